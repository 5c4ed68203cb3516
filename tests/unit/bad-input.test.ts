// The bad-input suite, in Node: what a careless or hostile user sends through the automation
// door, the command line or the studio, one case each, named for what they do (issue 17). Its
// browser half is tests/e2e/bad-input.spec.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/model/manifest';
import type { GenerateRequest } from '../../src/worker/api';
import { GenerationCancelledError } from '../../src/worker/generation-errors';
import { GenerationService, type GenerationModel } from '../../src/worker/generation-service';
import { clipFramesKept, planRecipe } from '../../src/worker/mode-plan';
import { describeClipUse } from '../../src/app/clip-use';
import { InvalidRequestError, MAX_PROMPT_CHARS, validateRequest } from '../../src/worker/request-validation';
import { buildProvenance, provenanceFromTags, provenanceTags } from '../../src/video/provenance';
import { readModelManifest } from '../../src/model/loader/load-model';
import { parseGenerateArgs } from '../../scripts/generate';

const manifest = JSON.parse(readFileSync('public/models/tiny/manifest.json', 'utf8')) as ModelManifest;
const ok: GenerateRequest = { prompt: 'a red ball bounces', seconds: 1, aspect: '1:1', seed: 7 };

/** The message validateRequest gives for `request`, which must be refused as the user's to fix. */
function refusal(request: unknown): string {
  try {
    validateRequest(request);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).userError).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the request was accepted');
}

describe('a request through the automation door', () => {
  it.each([
    ['asks for guidance NaN', { guidance: Number.NaN }, 'Guidance must be a number from 1 to 20, not NaN.'],
    ['asks for guidance −5', { guidance: -5 }, 'from 1 to 20, not -5'],
    ['asks for guidance 1e6', { guidance: 1e6 }, 'from 1 to 20, not 1000000'],
    ['asks for 1000 steps', { steps: 1000 }, 'Steps must be a whole number from 1 to 100, not 1000.'],
    ['gives the seed "abc"', { seed: 'abc' }, 'The seed must be a whole number from 0 to 4294967295, not "abc".'],
    ['gives the seed −1', { seed: -1 }, 'from 0 to 4294967295, not -1'],
    ['gives a seed with a fraction', { seed: 1.5 }, 'not 1.5'],
    ['asks for the backend "cuda"', { backend: 'cuda' }, 'must be auto, webgpu, wasm, not "cuda"'],
    ['gives the seconds as a string', { seconds: '2' }, 'The duration must be a number of seconds above 0 and at most 60, not "2".'],
    ['asks for 61 seconds', { seconds: 61 }, 'at most 60, not 61'],
    ['asks for the shape 4:3', { aspect: '4:3' }, 'The shape (aspect) must be 1:1, 16:9, 9:16, not "4:3".'],
    ['sends the prompt null', { prompt: null }, 'The prompt must be text, not null.'],
    ['sends a prompt of only punctuation', { prompt: '?!… ---' }, 'has only punctuation or symbols, no words'],
    ['sends an empty prompt', { prompt: '   ' }, 'The prompt is empty.'],
    ['sends a prompt of 10 MB', { prompt: 'a'.repeat(10_000_000) }, `The prompt is 10000000 characters long; at most ${MAX_PROMPT_CHARS} fit.`],
    ['names an unknown mode', { mode: { kind: 'dance' } }, 'There is no mode "dance". Choose one of text, image, extend, connect, edit, loop, storyboard.'],
    ['chooses "Animate an image" without an image', { mode: { kind: 'image' } }, 'This mode needs an image to animate'],
    ['chooses "Extend a clip" without a clip', { mode: { kind: 'extend', direction: 'forward' } }, 'This mode needs a clip to extend'],
    ['gives a storyboard shot of NaN seconds', { mode: { kind: 'storyboard', shots: [{ prompt: 'a red ball', seconds: Number.NaN }] } }, "Shot 1's length must be a number of seconds above 0 and at most 60, not NaN."],
    ['gives a storyboard shot of −5 seconds', { mode: { kind: 'storyboard', shots: [{ prompt: 'a red ball', seconds: -5 }] } }, "Shot 1's length"],
    ['gives a storyboard shot a prompt of 1 MB', { mode: { kind: 'storyboard', shots: [{ prompt: 'b'.repeat(1_000_000), seconds: 1 }] } }, "Shot 1's prompt is 1000000 characters long"],
    ['gives an edit strength of 5', { mode: { kind: 'edit', clip: new Blob([]), strength: 5 } }, 'not 5'],
    ['says "yes" for whether the prompt goes into the file', { promptInFile: 'yes' }, 'Whether the prompt goes into the file (promptInFile) must be true or false, not "yes".'],
  ])('that %s is refused with the valid range', (_, change, message) => {
    expect(refusal({ ...ok, ...change })).toContain(message);
  });

  it('that is valid goes through unchanged', () => {
    expect(validateRequest({ ...ok, steps: 4, guidance: 3, backend: 'wasm' })).toEqual({ ...ok, steps: 4, guidance: 3, backend: 'wasm' });
  });
});

describe('a storyboard', () => {
  it('of 59 s and 16 shots of 1/16 s is refused: every shot is a frame, and the frames pass 60 s', async () => {
    const shots = [{ prompt: 'a red ball', seconds: 59 }, ...Array.from({ length: 16 }, () => ({ prompt: 'a blue ball', seconds: 1 / 16 }))];
    await expect(planRecipe({ ...ok, mode: { kind: 'storyboard', shots } }, manifest)).rejects.toThrow(/a video can last at most 60 s \(480 frames\)/);
  });
});

/** A service whose fake model makes every planned frame at once and whose writer's finish waits for `finishing`. */
function serviceWithSlowFinish(finishing: Promise<void>) {
  const { width, height } = manifest.video.sizes['1:1'];
  const model: GenerationModel = {
    manifest,
    generate: async (o) => ({ width, height, frames: Array.from({ length: o.request.plan.total }, () => new Uint8ClampedArray(width * height * 4)), knownWords: ['ball'], unknownWords: [], latents: new Map() }),
    releaseDenoiser: () => undefined,
    release: async () => undefined,
  };
  const writer = { cancelled: false, finished: false };
  const service = new GenerationService({
    models: { manifest: async () => manifest, open: async () => ({ manifest, sha256: 'ab'.repeat(32), file: () => Promise.reject(new Error('no files')) }) },
    openWriter: async () => ({
      add: async () => undefined,
      finish: async () => (await finishing, (writer.finished = true), { blob: new Blob([]), mimeType: 'video/mp4' }),
      cancel: async () => void (writer.cancelled = true),
    }),
    gpu: () => Promise.reject(new Error('no GPU here')),
    loadModel: async () => model,
  });
  return { service, writer };
}

describe('Cancel', () => {
  it('pressed during "Finishing the video file…" is honoured: no video comes back', async () => {
    let done!: () => void;
    const { service, writer } = serviceWithSlowFinish(new Promise((resolve) => (done = resolve)));
    const run = service.generate({ ...ok, steps: 1, guidance: 1, backend: 'wasm' }, (p) => {
      if (p.phase === 'encode') {
        void service.cancel();
        done();
      }
    });
    await expect(run).rejects.toBeInstanceOf(GenerationCancelledError);
    expect(writer.cancelled).toBe(true);
  });

  it('is not needed for a request refused before anything runs: NaN guidance never reaches the model', async () => {
    const { service, writer } = serviceWithSlowFinish(Promise.resolve());
    await expect(service.generate({ ...ok, guidance: Number.NaN }, () => undefined)).rejects.toThrow('Guidance must be a number from 1 to 20, not NaN.');
    expect(writer.finished).toBe(false);
  });
});

describe('the command line', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'kinora-cli-')), 'clip.mp4');
  const message = (argv: string[]) => {
    try {
      parseGenerateArgs(argv);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('the arguments were accepted');
  };

  it('given --steps 1000 names the valid range', () => {
    expect(message(['a red ball', '--out', out, '--steps', '1000'])).toBe('Steps must be a whole number from 1 to 100, not 1000.');
  });
  it('given --seconds -1 names the valid range instead of "argument is ambiguous"', () => {
    expect(message(['a red ball', '--out', out, '--seconds', '-1'])).toBe('The duration must be a number of seconds above 0 and at most 60, not -1.');
  });
  it('given --seed abc says what a seed is', () => {
    expect(message(['a red ball', '--out', out, '--seed', 'abc'])).toContain('from 0 to 4294967295, not "abc"');
  });
  it('given --out in a folder that does not exist fails before making the video', () => {
    expect(message(['a red ball', '--out', '/no/such/folder/clip.mp4'])).toContain('the folder /no/such/folder does not exist or is not writable');
  });
  it('given --out that is a folder fails before making the video', () => {
    expect(message(['a red ball', '--out', tmpdir()])).toContain('is a folder; give a file name in it');
  });
  it('given a prompt of only punctuation says so, not "empty"', () => {
    expect(message(['?!?', '--out', out])).toContain('has only punctuation or symbols, no words');
  });
});

describe('the MP4 tags of a video', () => {
  const encoding = { codec: 'avc1.64000B', fps: 8, frameWidth: 112, frameHeight: 64, upscale: 1 };
  const record = (prompt: string) =>
    buildProvenance({ model: { id: 'tiny', sha256: 'ab'.repeat(32) }, prompt, promptInFile: true, seed: 1, settings: { steps: 4, guidance: 3, aspect: '1:1', seconds: 1 } }, encoding);
  const everyTag = (prompt: string) => {
    const tags = provenanceTags(record(prompt));
    return [tags.title, tags.description, tags.comment, ...Object.values(tags.raw ?? {})].map(String);
  };

  it('whose prompt has newlines and terminal escapes carry no raw control character, and the record reads back exact', () => {
    const prompt = 'a red ball\nTAG:artist=someone else\r\x1b[31mred\x9b2J\u202eevil\x7f';
    for (const value of everyTag(prompt)) expect(value).not.toMatch(/[\p{Cc}\u2028\u2029\u202a-\u202e]/u);
    expect(provenanceTags(record(prompt)).title).toBe('a red ball TAG:artist=someone else [31mred 2J evil');
    expect(provenanceFromTags(provenanceTags(record(prompt)))?.prompt).toBe(prompt);
  });

  it('of a prompt at the length limit hold the prompt once, not four times', () => {
    const prompt = 'a red ball bounces '.repeat(200).slice(0, MAX_PROMPT_CHARS);
    const bytes = everyTag(prompt).reduce((sum, v) => sum + v.length, 0);
    expect(bytes).toBeLessThan(prompt.length + 2000);
  });
});

describe('a model id', () => {
  /** A site that lists two models and serves no manifest for any other id. */
  const site = async (url: string | URL) =>
    String(url).endsWith('models/index.json')
      ? new Response(JSON.stringify({ models: ['kinora-small', 'tiny'], default: 'kinora-small' }))
      : new Response('not found', { status: 404 });

  it('that the site does not have (a typo, or a retired model) names the models there are, as the user\'s to fix', async () => {
    const read = readModelManifest({ siteUrl: 'http://site.test/', modelId: 'kinora-big', fetch: site, cache: null });
    await expect(read).rejects.toThrow('This site has no model "kinora-big". Its models are kinora-small (the default), tiny');
    await expect(read).rejects.toMatchObject({ userError: true });
  });
});

describe('extending a 2-minute clip', () => {
  it('says before generating that only its last 58 s are used when 2 s are added', () => {
    expect(describeClipUse(120, 2, 'forward')).toBe('This clip lasts 120 s. With 2 s added, only its last 58 s are used, so that the video stays within 60 s.');
    expect(describeClipUse(120, 2, 'backward')).toContain('only its first 58 s');
    expect(describeClipUse(30, 2, 'forward')).toBeNull();
  });
  it('keeps as many of its frames as leave the whole video at 60 s, never more', () => {
    const fps = manifest.video.fps;
    expect(clipFramesKept(2 * fps, fps) + 2 * fps).toBe(60 * fps);
  });
});
