// GenerationService in Node with fakes for the model, its files, the video writer, the GPU and the
// clock: one run at a time, cancel within a step, the writer dropped on failure, an ETA that only
// falls across a storyboard's passes, a device loss named as such, a storyboard's prompts, and the
// prompt-reading step: the captions and the negative prompt's caption the model gets; and a batch
// of takes (variations): consecutive seeds, one model, one bar, Cancel keeps the takes made.
import type { PoolStats } from '../../src/gpu/buffer-pool';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/device';
import type { GeneratedFrames, GenerateFramesOptions } from '../../src/model/generate-frames';
import type { ModelManifest } from '../../src/model/manifest';
import { sampleFlow } from '../../src/sampling/flow-sampler';
import type { GenerateProgress, GenerateRequest } from '../../src/worker/api';
import type { ClipWriter } from '../../src/worker/clip-writer';
import { GenerationBusyError, GenerationCancelledError, GpuLostDuringGenerationError } from '../../src/worker/generation-errors';
import { GenerationService, type GenerationModel } from '../../src/worker/generation-service';
import type { ClipProvenance } from '../../src/worker/clip-writer';
import { NothingToDrawError } from '../../src/worker/prompt-reading';

const manifest = JSON.parse(readFileSync('tests/fixtures/models/tiny/manifest.json', 'utf8')) as ModelManifest;
const { width, height } = manifest.video.sizes['1:1'];

type GenerateCall = Omit<GenerateFramesOptions, 'model' | 'denoiser'> & { engine: { kind: string } };

/** A fake clock the fake model advances as its work "takes time". */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** A run of the model that reports text, each step and the decode, and hands out every planned frame. */
async function steadyRun(o: GenerateCall, time: ReturnType<typeof clock>, ms = { text: 500, step: 1000, decode: 500 }): Promise<GeneratedFrames> {
  const { steps, plan } = o.request;
  o.onProgress?.({ phase: 'text', step: 0, steps });
  time.advance(ms.text);
  for (let step = 1; step <= steps; step++) {
    time.advance(ms.step);
    o.onProgress?.({ phase: 'denoise', step, steps });
  }
  o.onProgress?.({ phase: 'decode', step: steps, steps });
  time.advance(ms.decode);
  const frames = Array.from({ length: plan.total }, (_, i) => plan.given.get(i) ?? new Uint8ClampedArray(width * height * 4).fill(i));
  await o.onFrames?.(new Map(frames.map((f, i) => [i, f])));
  return { width, height, frames, knownWords: ['ball'], unknownWords: [], latents: new Map() };
}

function fakes(generate: (o: GenerateCall) => Promise<GeneratedFrames>, options: { gpu?: () => Promise<GpuContext>; now?: () => number; gpuPool?: PoolStats } = {}) {
  const calls: GenerateCall[] = [];
  const released: string[] = [];
  const opened = { models: 0 };
  const writer = { added: 0, finished: false, cancelled: false, provenance: undefined as ClipProvenance | undefined };
  const model: GenerationModel = {
    manifest,
    generate: (o) => (calls.push(o), generate(o)),
    releaseDenoiser: (kind) => void released.push(kind),
    release: async () => undefined,
    ...(options.gpuPool ? { gpuPool: async () => options.gpuPool } : {}),
  };
  const clipWriter: ClipWriter = {
    add: async () => void writer.added++,
    finish: async () => ((writer.finished = true), { blob: new Blob([]), mimeType: 'video/mp4' }),
    cancel: async () => void (writer.cancelled = true),
  };
  const service = new GenerationService({
    models: {
      manifest: async () => manifest,
      open: async () => ({ manifest, sha256: 'ab'.repeat(32), file: () => Promise.reject(new Error('the fake model reads no files')) }),
    },
    openWriter: async (clip) => ((writer.provenance = clip.provenance), clipWriter),
    gpu: options.gpu ?? (() => Promise.reject(new Error('no GPU here'))),
    now: options.now,
    loadModel: async () => (opened.models++, model),
  });
  return { service, calls, released, writer, opened };
}

const request: GenerateRequest = { prompt: 'a red ball bounces', seconds: 1, aspect: '1:1', seed: 7, steps: 4, guidance: 3 };

describe('GenerationService', () => {
  it('refuses a second video while one is being made, and takes the next one after', async () => {
    const time = clock();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { service } = fakes(async (o) => (await gate, steadyRun(o, time)));
    const first = service.generate(request, () => {});
    await expect(service.generate(request, () => {})).rejects.toBeInstanceOf(GenerationBusyError);
    release();
    await expect(first).resolves.toMatchObject({ frameCount: 8 });
    await expect(service.generate(request, () => {})).resolves.toMatchObject({ frameCount: 8 });
  });

  it('stops within the step that was running when Cancel came, and drops the file', async () => {
    let forwards = 0;
    const { service, writer } = fakes((o) => {
      const shape = [4, 2, 4, 4] as const;
      // The real sampler over a fake DiT: Cancel arrives while the second forward runs.
      return sampleFlow({
        noise: new Float32Array(4 * 2 * 4 * 4), shape, steps: 10, shift: 1, guidance: 1, signal: o.signal,
        velocity: async (x) => {
          if (++forwards === 2) service.cancel();
          return new Float32Array(x.length);
        },
      }).then(() => steadyRun(o, clock()));
    });
    await expect(service.generate(request, () => {})).rejects.toBeInstanceOf(GenerationCancelledError);
    expect(forwards).toBe(2);
    expect(writer.cancelled).toBe(true);
    expect(writer.finished).toBe(false);
  });

  it('cancels the video file when the model fails part-way, and reports the failure as it was', async () => {
    const { service, writer } = fakes(async (o) => {
      await o.onFrames?.(new Map([[0, new Uint8ClampedArray(width * height * 4)]]));
      throw new Error('the VAE ran out of memory');
    });
    await expect(service.generate(request, () => {})).rejects.toThrow('the VAE ran out of memory');
    expect(writer.added).toBe(1);
    expect(writer.cancelled).toBe(true);
    expect(writer.finished).toBe(false);
  });

  it('gives an ETA that only falls over the passes of a storyboard, though each pass reads its prompt first', async () => {
    const time = clock();
    const { service } = fakes((o) => steadyRun(o, time), { now: time.now });
    const shots = [1, 2, 3].map((n) => ({ prompt: `a red ball bounces ${n}`, seconds: 1 }));
    const reports: GenerateProgress[] = [];
    await service.generate({ ...request, prompt: '', mode: { kind: 'storyboard', shots } }, (p) => reports.push(p));
    const timed = reports.filter((p) => p.phase === 'denoise' && p.etaSeconds !== null && !p.ready);
    expect(new Set(timed.map((p) => p.message.split(' · ')[0])).size).toBe(3); // all three passes timed
    const etas = timed.map((p) => p.etaSeconds!);
    for (let i = 1; i < etas.length; i++) expect(etas[i], `ETA at report ${i}: ${etas.join(', ')}`).toBeLessThanOrEqual(etas[i - 1]);
    // At the last step only the decode is left: about one step's time (a step and its share of the prompts).
    expect(etas.at(-1)).toBeGreaterThan(0.5);
    expect(etas.at(-1)).toBeLessThan(1.5);
  });

  it('names a device lost during the run as such, and drops the DiT that lived on it', async () => {
    let lose!: () => void;
    const lost = new Promise<{ reason: 'unknown'; message: string }>((resolve) => (lose = () => resolve({ reason: 'unknown', message: 'reset' })));
    const facts = { vendor: 'fake', architecture: 'gpu', device: '', description: '', isFallbackAdapter: false, adapterFeatures: [], enabledFeatures: [], limits: {} } as unknown as GpuContext['facts'];
    const gpu = async (): Promise<GpuContext> => ({ device: {} as GPUDevice, facts, lost });
    const { service, released, writer, calls } = fakes(
      async () => {
        lose();
        throw new Error('mapAsync: the buffer is invalid');
      },
      { gpu },
    );
    await expect(service.generate({ ...request, backend: 'webgpu' }, () => {})).rejects.toBeInstanceOf(GpuLostDuringGenerationError);
    expect(calls[0].engine.kind).toBe('webgpu');
    expect(released).toEqual(['webgpu']);
    expect(writer.cancelled).toBe(true);
  });

  it('runs a storyboard shot by shot with its own prompts and seeds, and remembers it by them', async () => {
    const time = clock();
    const { service, calls } = fakes((o) => steadyRun(o, time));
    const shots = [
      { prompt: 'a red ball rolls right', seconds: 1 },
      { prompt: 'a blue square falls', seconds: 1 },
    ];
    const result = await service.generate({ ...request, prompt: '  ', mode: { kind: 'storyboard', shots } }, () => {});
    // Each shot is read on its own: the model gets each one's caption, not the words as typed.
    expect(calls.map((c) => c.request.caption)).toEqual([
      'A medium sized red circle moves slowly to the right on a white background. The camera is static.',
      'A medium sized blue square falls and lands on a white background. The camera is static.',
    ]);
    expect(calls.map((c) => c.request.seed)).toEqual([7, 8]);
    expect(result.settings.prompt).toBe('a red ball rolls right / a blue square falls');
    expect(result.settings.mode).toEqual({ kind: 'storyboard', shots });
  });

  it('reports the GPU buffer pool the denoiser holds after the video, for long-session checks, and none on the CPU', async () => {
    const held: PoolStats = { allocatedBytes: 5 << 20, peakAllocatedBytes: 6 << 20, inUseBytes: 0, peakInUseBytes: 4 << 20, created: 9, reused: 30 };
    const withPool = await fakes((o) => steadyRun(o, clock()), { gpuPool: held }).service.generate(request, () => {});
    expect(withPool.backend.gpuPool).toEqual({ allocatedBytes: 5 << 20, inUseBytes: 0 });
    const without = await fakes((o) => steadyRun(o, clock())).service.generate(request, () => {});
    expect(without.backend.gpuPool).toBeUndefined();
  });

  it('gives the model the caption recaption() writes, not the prompt as typed, and records both', async () => {
    const { service, calls, writer } = fakes((o) => steadyRun(o, clock()));
    const prompt = 'a crimson orb hops across a meadow, the camera slowly pans left';
    const result = await service.generate({ ...request, prompt }, () => {});
    const caption = 'A medium sized red circle bounces in a day sky over grass. The camera pans left.';
    expect(calls[0].request.caption).toBe(caption);
    expect(calls[0].request.negativeCaption).toBeUndefined(); // no negative prompt: the empty caption
    const scene = { background: { kind: 'day' }, camera: 'pan_left', occlusion: false,
      objects: [{ colour: 'red', shape: 'circle', size: 'medium', motion: 'bounce', speed: 'slowly' }] };
    expect(result.reading.prompts).toEqual([{ prompt, caption, scene, notes: ['crimson → red', 'orb → circle', 'hops → bounce'], unknown: [] }]);
    expect(calls[0].request.scene).toEqual(scene); // what a scene model reads
    expect(result.settings.prompt).toBe(prompt);
    expect(writer.provenance?.reading.prompts[0].caption).toBe(caption);
  });

  it('keeps the prompt out of the file unless the request asks for it, and in the result (the gallery\'s) either way', async () => {
    const unasked = fakes((o) => steadyRun(o, clock()));
    const kept = await unasked.service.generate({ ...request, prompt: 'a red ball' }, () => {});
    expect(unasked.writer.provenance?.settings.promptInFile).toBe(false);
    expect(kept.settings.prompt).toBe('a red ball');
    const asked = fakes((o) => steadyRun(o, clock()));
    await asked.service.generate({ ...request, prompt: 'a red ball', promptInFile: true }, () => {});
    expect(asked.writer.provenance?.settings.promptInFile).toBe(true);
  });

  it('puts the negative prompt\'s caption on the unconditional side, and never picks what it names as a default', async () => {
    const { service, calls, writer } = fakes((o) => steadyRun(o, clock()));
    const result = await service.generate({ ...request, prompt: 'a ball', negativePrompt: 'not red' }, () => {});
    expect(calls[0].request.negativeCaption).toBe('A red object.');
    expect(calls[0].request.caption).toMatch(/^A medium sized blue circle/);
    expect(result.reading.negative).toEqual({ text: 'not red', caption: 'A red object.', scene: { objects: [{ colour: 'red' }] }, used: true, notes: [] });
    expect(calls[0].request.negativeScene).toEqual({ objects: [{ colour: 'red' }] });
    expect(result.settings.negativePrompt).toBe('not red');
    expect(writer.provenance?.reading.negative?.caption).toBe('A red object.');
  });

  it('says a negative prompt is not used when the model runs without guidance (guidance 1), and sends none', async () => {
    const { service, calls } = fakes((o) => steadyRun(o, clock()));
    const result = await service.generate({ ...request, guidance: 1, negativePrompt: 'no stars' }, () => {});
    expect(calls[0].request.negativeCaption).toBeUndefined();
    expect(result.reading.negative?.used).toBe(false);
    expect(result.reading.negative?.notes.join(' ')).toMatch(/not used: this video runs without guidance/);
  });

  it('makes the scene the person set part by part, keeping the prompt as typed', async () => {
    const { service, calls } = fakes((o) => steadyRun(o, clock()));
    const scene = { objects: [{ colour: 'green', shape: 'star', size: 'large', motion: 'rotate', speed: 'quickly' }], background: { kind: 'night' }, camera: 'zoom_in', occlusion: false } as const;
    const result = await service.generate({ ...request, prompt: 'a red ball bounces', scene: structuredClone(scene) as never }, () => {});
    expect(calls[0].request.caption).toBe('A large green star rotates quickly at night under the stars. The camera zooms in.');
    expect(result.settings.prompt).toBe('a red ball bounces');
    expect(result.settings.scene).toEqual(scene);
  });

  it('refuses a prompt with nothing to draw before the video file opens, in words for the user', async () => {
    const { service, calls, writer } = fakes((o) => steadyRun(o, clock()));
    const refused = service.generate({ ...request, prompt: 'a dog in Tokyo' }, () => {});
    await expect(refused).rejects.toBeInstanceOf(NothingToDrawError);
    await expect(refused).rejects.toMatchObject({ userError: true, message: expect.stringMatching(/Kinora cannot make “a dog in Tokyo”/) });
    expect(calls).toEqual([]);
    expect(writer.provenance).toBeUndefined();
  });
});

describe('GenerationService: several takes of one request', () => {
  it('makes each take with the next seed, opens the model once, and hands each take over as it is made', async () => {
    const time = clock();
    const { service, calls, opened } = fakes((o) => steadyRun(o, time), { now: time.now });
    const handed: number[] = [];
    const made = await service.generateTakes(request, 3, () => {}, (take, index) => void handed.push(index, take.settings.seed));
    expect(made.map((t) => t.settings.seed)).toEqual([7, 8, 9]);
    expect(calls.map((c) => c.request.seed)).toEqual([7, 8, 9]);
    expect(handed).toEqual([0, 7, 1, 8, 2, 9]);
    expect(opened.models).toBe(1);
    // Every take reads the prompt the same way: the caption the model got is one.
    expect(new Set(calls.map((c) => JSON.stringify(c.request.caption))).size).toBe(1);
  });

  it('wraps seeds past the largest one to 0, as a seed typed by hand would be', async () => {
    const { service, calls } = fakes((o) => steadyRun(o, clock()));
    await service.generateTakes({ ...request, seed: 0xffffffff }, 2, () => {}, () => {});
    expect(calls.map((c) => c.request.seed)).toEqual([0xffffffff, 0]);
  });

  it('shows one bar for the batch: it only grows, names the take, and counts the takes still to come in the time left', async () => {
    const time = clock();
    const { service } = fakes((o) => steadyRun(o, time), { now: time.now });
    const seen: GenerateProgress[] = [];
    await service.generateTakes(request, 4, (p) => seen.push(p), () => {});
    const fractions = seen.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] - 1e-9);
    expect(fractions.at(-1)).toBeCloseTo(1, 6);
    expect(seen.filter((p) => p.take?.index === 2)[0].message).toMatch(/^Take 3 of 4 · /);
    // In take 1 (of 4, each 5 s of fake time) the time left includes three more takes.
    const early = seen.find((p) => p.take?.index === 0 && p.etaSeconds !== null && p.phase === 'denoise')!;
    expect(early.etaSeconds!).toBeGreaterThan(3 * 4);
    const lastTake = seen.filter((p) => p.take?.index === 3 && p.etaSeconds !== null);
    expect(lastTake.at(-1)!.etaSeconds!).toBeLessThan(5);
  });

  it('stops the whole batch on Cancel; the takes handed over before it stay made, the one running leaves no file', async () => {
    const time = clock();
    let service!: GenerationService;
    let runs = 0;
    const made = fakes((o) => {
      if (++runs === 2) service.cancel();
      return steadyRun(o, time).then((r) => (o.signal?.throwIfAborted(), r));
    }, { now: time.now });
    service = made.service;
    const handed: number[] = [];
    await expect(service.generateTakes(request, 4, () => {}, (take) => void handed.push(take.settings.seed)))
      .rejects.toBeInstanceOf(GenerationCancelledError);
    expect(handed).toEqual([7]);
    expect(runs).toBe(2);
    expect(made.writer.cancelled).toBe(true);
    // The service is free again at once.
    await expect(service.generate(request, () => {})).resolves.toMatchObject({ frameCount: 8 });
  });

  it('refuses a take count outside 1–4 in words, before opening anything', async () => {
    const { service, opened } = fakes((o) => steadyRun(o, clock()));
    for (const bad of [0, 5, 2.5, Number.NaN]) {
      await expect(service.generateTakes(request, bad, () => {}, () => {})).rejects.toThrow(/number of takes must be a whole number from 1 to 4/);
    }
    expect(opened.models).toBe(0);
  });
});
