// GenerationService in Node with fakes for the model, its files, the video writer, the GPU and the
// clock: one run at a time, cancel within a step, the writer dropped on failure, an ETA that only
// falls across a storyboard's passes, a device loss named as such, and a storyboard's prompts.
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

const manifest = JSON.parse(readFileSync('public/models/tiny/manifest.json', 'utf8')) as ModelManifest;
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
  return { width, height, frames, knownWords: ['ball'], unknownWords: [] };
}

function fakes(generate: (o: GenerateCall) => Promise<GeneratedFrames>, options: { gpu?: () => Promise<GpuContext>; now?: () => number } = {}) {
  const calls: GenerateCall[] = [];
  const released: string[] = [];
  const writer = { added: 0, finished: false, cancelled: false };
  const model: GenerationModel = {
    manifest,
    generate: (o) => (calls.push(o), generate(o)),
    releaseDenoiser: (kind) => void released.push(kind),
    release: async () => undefined,
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
    openWriter: async () => clipWriter,
    gpu: options.gpu ?? (() => Promise.reject(new Error('no GPU here'))),
    now: options.now,
    loadModel: async () => model,
  });
  return { service, calls, released, writer };
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
    expect(calls.map((c) => c.request.prompt)).toEqual(['a red ball rolls right', 'a blue square falls']);
    expect(calls.map((c) => c.request.seed)).toEqual([7, 8]);
    expect(result.settings.prompt).toBe('a red ball rolls right / a blue square falls');
    expect(result.settings.mode).toEqual({ kind: 'storyboard', shots });
  });
});
