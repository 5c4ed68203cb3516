// The bad-input suite, in Node: what a careless or hostile user sends through the automation
// door, the command line or the studio, one case each, named for what they do (issue 17). Its
// browser half is tests/e2e/bad-input.spec.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
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
import { parseGenerateArgs, takeFileNames } from '../../scripts/generate';
import { recaption } from '../../src/model/recaption';
import { describeFileSize, extraFilesNotice } from '../../src/app/file-label';
import { blobToCheck, CheckArgumentError } from '../../src/app/check-argument';
import { defaultSettings, loadSettings } from '../../src/app/settings';
import { namespaced } from '../../src/app/storage-namespace';

const manifest = JSON.parse(readFileSync('tests/fixtures/models/tiny/manifest.json', 'utf8')) as ModelManifest;
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
  it.each(['0', '5', '2.5', 'many', '-1'])('given --variations %s names the range', (n) => {
    expect(message(['a red ball', '--out', out, '--variations', n])).toBe(`--variations must be a whole number from 1 to 4, not ${n}.`);
  });
  it('given --variations 3 makes three takes named clip-1, clip-2, clip-3 beside --out', () => {
    const args = parseGenerateArgs(['a red ball', '--out', out, '--variations', '3']);
    expect(args.variations).toBe(3);
    expect(takeFileNames(out, 3).map((f) => basename(f))).toEqual(['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4']);
    expect(takeFileNames(out, 1)).toEqual([out]);
    expect(takeFileNames('/tmp/take', 2)).toEqual(['/tmp/take-1', '/tmp/take-2']);
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

// ------------------------------------------------------------------------------------------------
// Issue 24, second round: more of what careless and hostile users send, one row a case.

describe('a request through the automation door, more of it', () => {
  const STEPS = 'Steps must be a whole number from 1 to 100';
  const GUIDANCE = 'Guidance must be a number from 1 to 20';
  const SEED = 'The seed must be a whole number from 0 to 4294967295';
  const SECONDS = 'The duration must be a number of seconds above 0 and at most 60';
  const ASPECT = 'The shape (aspect) must be 1:1, 16:9, 9:16';
  const BACKEND = 'The engine (backend) must be auto, webgpu, wasm';
  const MODE = 'Choose one of text, image, extend, connect, edit, loop, storyboard';
  const NEGATIVE = `The negative prompt must be text of at most ${MAX_PROMPT_CHARS} characters`;
  const MODEL = 'The model must be named by its id';
  const PROMPT_TEXT = 'The prompt must be text';
  it.each([
    ['asks for 0 steps', { steps: 0 }, `${STEPS}, not 0.`],
    ['asks for −1 steps', { steps: -1 }, `${STEPS}, not -1.`],
    ['asks for 1.5 steps', { steps: 1.5 }, `${STEPS}, not 1.5.`],
    ['asks for 101 steps', { steps: 101 }, `${STEPS}, not 101.`],
    ['asks for NaN steps', { steps: Number.NaN }, `${STEPS}, not NaN.`],
    ['asks for Infinity steps', { steps: Number.POSITIVE_INFINITY }, STEPS],
    ['gives the steps as the text "8"', { steps: '8' }, `${STEPS}, not "8".`],
    ['gives the steps as null', { steps: null }, `${STEPS}, not null.`],
    ['gives the steps as a list', { steps: [8] }, STEPS],
    ['gives the steps as true', { steps: true }, STEPS],
    ['asks for guidance 0', { guidance: 0 }, `${GUIDANCE}, not 0.`],
    ['asks for guidance 0.99', { guidance: 0.99 }, `${GUIDANCE}, not 0.99.`],
    ['asks for guidance 20.01', { guidance: 20.01 }, `${GUIDANCE}, not 20.01.`],
    ['asks for guidance Infinity', { guidance: Number.POSITIVE_INFINITY }, GUIDANCE],
    ['asks for guidance −Infinity', { guidance: Number.NEGATIVE_INFINITY }, GUIDANCE],
    ['gives the guidance as the text "3"', { guidance: '3' }, `${GUIDANCE}, not "3".`],
    ['gives the guidance as null', { guidance: null }, `${GUIDANCE}, not null.`],
    ['gives the guidance as an object', { guidance: { value: 3 } }, GUIDANCE],
    ['gives the seed NaN', { seed: Number.NaN }, `${SEED}, not NaN.`],
    ['gives the seed Infinity', { seed: Number.POSITIVE_INFINITY }, SEED],
    ['gives the seed 2^32', { seed: 2 ** 32 }, `${SEED}, not 4294967296.`],
    ['gives the seed 1e20', { seed: 1e20 }, SEED],
    ['gives the seed −0.5', { seed: -0.5 }, SEED],
    ['gives the seed as empty text', { seed: '' }, SEED],
    ['gives the seed as " 7"', { seed: ' 7' }, SEED],
    ['gives the seed as a list', { seed: [7] }, SEED],
    ['gives the seed as null', { seed: null }, `${SEED}, not null.`],
    ['leaves the seed out', { seed: undefined }, SEED],
    ['asks for 0 seconds', { seconds: 0 }, `${SECONDS}, not 0.`],
    ['asks for −0 seconds', { seconds: -0 }, SECONDS],
    ['asks for NaN seconds', { seconds: Number.NaN }, `${SECONDS}, not NaN.`],
    ['asks for Infinity seconds', { seconds: Number.POSITIVE_INFINITY }, SECONDS],
    ['asks for 60.01 seconds', { seconds: 60.01 }, `${SECONDS}, not 60.01.`],
    ['asks for a million seconds', { seconds: 1e6 }, SECONDS],
    ['gives the seconds as empty text', { seconds: '' }, SECONDS],
    ['gives the seconds as null', { seconds: null }, `${SECONDS}, not null.`],
    ['gives the seconds as true', { seconds: true }, SECONDS],
    ['leaves the seconds out', { seconds: undefined }, SECONDS],
    ['asks for an empty shape', { aspect: '' }, ASPECT],
    ['asks for the shape "1:1 " with a space', { aspect: '1:1 ' }, ASPECT],
    ['asks for the shape 16x9', { aspect: '16x9' }, ASPECT],
    ['asks for the shape 1.777', { aspect: 16 / 9 }, ASPECT],
    ['asks for the shape null', { aspect: null }, ASPECT],
    ['asks for the shape 9:16 in a list', { aspect: ['9:16'] }, ASPECT],
    ['asks for the engine "WEBGPU" in capitals', { backend: 'WEBGPU' }, BACKEND],
    ['asks for an empty engine', { backend: '' }, BACKEND],
    ['asks for the engine null', { backend: null }, BACKEND],
    ['asks for the engine 7', { backend: 7 }, BACKEND],
    ['sends the prompt 42', { prompt: 42 }, `${PROMPT_TEXT}, not 42.`],
    ['sends the prompt as a list of words', { prompt: ['a', 'red', 'ball'] }, PROMPT_TEXT],
    ['sends the prompt as an object', { prompt: { text: 'a red ball' } }, PROMPT_TEXT],
    ['sends no prompt at all', { prompt: undefined }, PROMPT_TEXT],
    ['sends a prompt of zero-width spaces only', { prompt: '\u200b\u200b\u200b' }, 'has only punctuation or symbols, no words'],
    ['sends a prompt of tabs and newlines', { prompt: '\n\t\r\n' }, 'The prompt is empty.'],
    ['sends a prompt of emoji only', { prompt: '🔥🔥🎉' }, 'has only punctuation or symbols, no words'],
    ['sends a prompt one character over the limit', { prompt: 'a'.repeat(MAX_PROMPT_CHARS + 1) }, `is ${MAX_PROMPT_CHARS + 1} characters long`],
    ['sends a negative prompt of 2 001 characters', { negativePrompt: 'b'.repeat(MAX_PROMPT_CHARS + 1) }, NEGATIVE],
    ['sends the negative prompt 42', { negativePrompt: 42 }, NEGATIVE],
    ['sends the negative prompt null', { negativePrompt: null }, NEGATIVE],
    ['names the model by an empty id', { modelId: '' }, MODEL],
    ['names the model by a number', { modelId: 3 }, MODEL],
    ['names the model by an id of 1 000 characters', { modelId: 'm'.repeat(1000) }, MODEL],
    ['says 1 for whether the prompt goes into the file', { promptInFile: 1 }, 'must be true or false, not 1.'],
    ['says "true" for whether the prompt goes into the file', { promptInFile: 'true' }, 'must be true or false, not "true".'],
    ['names an empty mode', { mode: { kind: '' } }, MODE],
    ['names the mode "IMAGE" in capitals', { mode: { kind: 'IMAGE' } }, MODE],
    ['names the mode "text " with a space', { mode: { kind: 'text ' } }, MODE],
    ['sends the mode as text', { mode: 'loop' }, 'The mode must be one of'],
    ['sends the mode null', { mode: null }, 'The mode must be one of'],
    ['chooses "Connect two images" with only the first', { mode: { kind: 'connect', first: new Blob(['x']) } }, 'This mode needs a last image'],
    ['chooses "Connect two images" with file names instead of files', { mode: { kind: 'connect', first: 'a.png', last: 'b.png' } }, 'This mode needs a first image'],
    ['chooses "Animate an image" with a path instead of a file', { mode: { kind: 'image', image: '/home/me/cat.png' } }, 'This mode needs an image to animate'],
    ['extends a clip sideways', { mode: { kind: 'extend', clip: new Blob(['x']), direction: 'sideways' } }, 'A clip is extended forward or backward, not "sideways".'],
    ['extends a clip with no direction', { mode: { kind: 'extend', clip: new Blob(['x']) } }, 'A clip is extended forward or backward'],
    ['gives an edit strength of 0', { mode: { kind: 'edit', clip: new Blob(['x']), strength: 0 } }, 'not 0.'],
    ['gives an edit strength of −1', { mode: { kind: 'edit', clip: new Blob(['x']), strength: -1 } }, 'not -1.'],
    ['gives an edit strength of NaN', { mode: { kind: 'edit', clip: new Blob(['x']), strength: Number.NaN } }, 'not NaN.'],
    ['gives an edit strength as the text "0.5"', { mode: { kind: 'edit', clip: new Blob(['x']), strength: '0.5' } }, 'not "0.5".'],
    ['re-imagines a clip without the clip', { mode: { kind: 'edit', strength: 0.5 } }, 'This mode needs a clip to re-imagine'],
    ['sends a storyboard of no shots', { mode: { kind: 'storyboard', shots: [] } }, 'A storyboard needs at least one shot'],
    ['sends a storyboard whose shots are text', { mode: { kind: 'storyboard', shots: 'a red ball, 2 s' } }, 'A storyboard needs at least one shot'],
    ['sends a storyboard of 33 shots', { mode: { kind: 'storyboard', shots: Array.from({ length: 33 }, () => ({ prompt: 'a red ball', seconds: 1 })) } }, 'A storyboard has at most 32 shots, not 33.'],
    ['sends a storyboard shot that is null', { mode: { kind: 'storyboard', shots: [null] } }, 'Shot 1 must have a prompt and a length in seconds.'],
    ['sends a storyboard shot that is a number', { mode: { kind: 'storyboard', shots: [5] } }, 'Shot 1 must have a prompt and a length in seconds.'],
    ['sends a storyboard shot with an empty prompt', { mode: { kind: 'storyboard', shots: [{ prompt: ' ', seconds: 1 }] } }, "Shot 1's prompt is empty."],
    ['sends a storyboard shot whose prompt is a number', { mode: { kind: 'storyboard', shots: [{ prompt: 7, seconds: 1 }] } }, "Shot 1's prompt must be text, not 7."],
    ['sends a second storyboard shot of Infinity seconds', { mode: { kind: 'storyboard', shots: [{ prompt: 'a red ball', seconds: 1 }, { prompt: 'a blue ball', seconds: Number.POSITIVE_INFINITY }] } }, "Shot 2's length"],
    ['sends a storyboard shot with its seconds as text', { mode: { kind: 'storyboard', shots: [{ prompt: 'a red ball', seconds: '2' }] } }, `Shot 1's length must be a number of seconds above 0 and at most 60, not "2".`],
    ['sends a storyboard shot of only punctuation', { mode: { kind: 'storyboard', shots: [{ prompt: '...', seconds: 1 }] } }, "Shot 1's prompt"],
  ])('that %s is refused with what is valid', (_, change, message) => {
    expect(refusal({ ...ok, ...change })).toContain(message);
  });

  it.each([
    ['sends no request at all', undefined],
    ['sends the request null', null],
    ['sends the request as text', 'a red ball bounces'],
    ['sends the request as a number', 42],
  ])('that %s is told what a request is', (_, request) => {
    expect(refusal(request)).toBe('A request is an object with at least a prompt, seconds, aspect and seed.');
  });

  it.each([
    ['a prompt of exactly 2 000 characters', { prompt: 'a red ball '.repeat(200).slice(0, MAX_PROMPT_CHARS) }],
    ['steps 1 and guidance 1, the lowest', { steps: 1, guidance: 1 }],
    ['steps 100 and guidance 20, the highest', { steps: 100, guidance: 20 }],
    ['the seed 4294967295, the highest', { seed: 4294967295 }],
    ['60 seconds exactly', { seconds: 60 }],
    ['a prompt in full-width letters', { prompt: 'ａ ｒｅｄ ｂａｌｌ' }],
  ])('that sends %s, at the edge of what is valid, goes through', (_, change) => {
    expect(() => validateRequest({ ...ok, ...change })).not.toThrow();
  });
});

/** What Kinora makes of `prompt` (with `negative` in "Leave out"): the caption or the refusal, and the notes. */
function read(prompt: string, negative?: string) {
  const r = recaption(prompt, negative);
  const objects = r.parse.scene.objects;
  return {
    caption: r.caption.ok ? r.caption.caption : undefined,
    refusal: r.caption.ok ? undefined : r.caption.reason,
    objects,
    colours: objects.map((o) => o.colour),
    shapes: objects.map((o) => o.shape),
    motions: objects.map((o) => o.motion),
    camera: r.parse.scene.camera,
    notes: r.parse.notes,
    negative: r.negative?.caption,
  };
}

describe('a prompt typed carelessly or with hostile text', () => {
  it.each([
    ['types a template expression "{{7*7}} balls"', '{{7*7}} balls', 2, '"{{7*7}}" is not a number of objects'],
    ['types "9.9 balls"', '9.9 balls', 2, '"9.9" is not a number of objects'],
    ['types "-3 balls"', '-3 balls', 2, '"-3" is not a number of objects'],
    ['types "10,000 stars"', '10,000 stars', 2, '"10,000" is not a number of objects'],
    ['types "1/2 a ball"', '1/2 a ball', 1, '"1/2" is not a number of objects'],
    ['types "#1 red ball"', '#1 red ball', 1, '"#1" is not a number of objects'],
    ['types "a ball 3.14"', 'a ball 3.14', 1, '"3.14" is not a number of objects'],
    ['types "${7*7} stars"', '${7*7} stars', 2, 'is not a number of objects'],
    ['types "2+2 squares"', '2+2 squares', 2, '"2+2" is not a number of objects'],
  ])('who %s gets no stray count', (_, prompt, count, note) => {
    const r = read(prompt);
    expect(r.objects.length).toBe(count);
    expect(r.notes.join(' ')).toContain(note);
  });

  it.each([
    ['types "2 balls"', '2 balls', 2],
    ['types "(3) stars"', '(3) stars', 3],
    ['types "two red balls."', 'two red balls.', 2],
  ])('who %s still gets the count', (_, prompt, count) => {
    expect(read(prompt).objects.length).toBe(count);
  });

  it.each([
    ['asks for "a red blue ball"', 'a red blue ball', 'blue', 'red and blue; it can have one colour, so blue'],
    ['asks for "a green yellow star"', 'a green yellow star', 'yellow', 'so yellow (the last named) is kept'],
    ['asks for "a crimson navy cube"', 'a crimson navy cube', 'blue', 'crimson and navy'],
  ])('who %s (two colours for one object) is told which was kept', (_, prompt, colour, note) => {
    const r = read(prompt);
    expect(r.colours).toEqual([colour]);
    expect(r.notes.join(' ')).toContain(note);
  });

  it.each([
    ['asks for "a tiny huge ball"', 'a tiny huge ball', 'large', 'tiny and huge; it can have one size, so large'],
    ['asks for "a big small star"', 'a big small star', 'small', 'so small (the last named) is kept'],
  ])('who %s (two sizes for one object) is told which was kept', (_, prompt, size, note) => {
    const r = read(prompt);
    expect(r.objects.map((o) => o.size)).toEqual([size]);
    expect(r.notes.join(' ')).toContain(note);
  });

  it('who makes one typo 60 times gets one note, not 60', () => {
    const r = read(Array.from({ length: 60 }, () => 'a yelow ball').join(', '));
    expect(r.notes.filter((n) => n === 'yelow → yellow (read as a typo)')).toHaveLength(1);
  });
  it('who names "dog" 50 times gets one "cannot draw" note', () => {
    expect(read('a red ball and a dog '.repeat(50)).notes.filter((n) => n.includes('cannot draw "dog"'))).toHaveLength(1);
  });

  it.each([
    ['asks for "a night sky" alone', 'a night sky', 'names a background (a night sky) but no object'],
    ['asks for "a sunny meadow" alone', 'a sunny meadow', 'names a background (a day sky over grass) but no object'],
    ['asks for "a red background" alone', 'a red background', 'names a background (a red background) but no object'],
    ['asks for "a gradient from red to blue" alone', 'a gradient from red to blue', 'names a background (a gradient from red to blue) but no object'],
  ])('who %s is told what is missing', (_, prompt, reason) => {
    const r = read(prompt);
    expect(r.refusal).toContain(reason);
    expect(r.refusal).toContain('Add one');
  });

  it.each([
    ['writes "gras" (grass or gray?)', 'a red ball on gras', 'gray'],
    ['writes "gren" (green or grey?)', 'a gren star', 'gray'],
  ])('who %s gets no guess between two meanings', (_, prompt, notThis) => {
    const r = read(prompt);
    expect(r.notes.join(' ')).not.toContain('read as a typo');
    expect(JSON.stringify(r.caption)).not.toContain(notThis);
  });
  it('who writes French "une balle rouge" gets one ball, not two', () => {
    const r = read('une balle rouge');
    expect(r.objects).toHaveLength(1);
    expect(r.notes).toContain('balle → ball (read as a typo)');
  });
  it('who writes "a red bals" (a plural typo) gets two balls', () => {
    expect(read('a red bals').objects).toHaveLength(2);
  });

  it.each([
    ['writes markup around the prompt', '<script>alert(1)</script> a red ball', ['red']],
    ['pastes an SQL injection after the prompt', "a blue star'; DROP TABLE videos; --", ['blue']],
    ['hides a NUL byte inside a word', 'a red\u0000 ball', ['red']],
    ['types a right-to-left override', '\u202ea red ball\u202c', ['red']],
    ['types a lone surrogate', 'a red ball \ud800', ['red']],
    ['types soft hyphens inside words', 'a re\u00add ba\u00adll', ['red']],
    ['types a word joiner inside a word', 'a gr\u2060een star', ['green']],
    ['types a byte-order mark first', '\ufeffa pink square', ['pink']],
    ['types everything in capitals', 'A RED BALL BOUNCES', ['red']],
    ['types with no spaces after commas', 'a red ball,a blue star,a green square', ['red', 'blue', 'green']],
    ['types combining accents', 'a re\u0300d ba\u0302ll', ['red']],
    ['types in full-width letters', 'ａ ｂｌｕｅ ｓｔａｒ', ['blue']],
    ['types emoji between the words', 'a 🔴 red 🔴 ball 🎉', ['red']],
    ['types a Cyrillic "а" as the article', '\u0430 red ball', ['red']],
    ['types a prompt with 500 exclamation marks', 'a red ball' + '!'.repeat(500), ['red']],
    ['types tabs and newlines between words', 'a\tred\n\nball', ['red']],
    ['types HTML entities', 'a red ball &amp; a blue star', ['red', 'blue']],
  ])('who %s still gets what the words ask for', (_, prompt, colours) => {
    expect(read(prompt).colours).toEqual(expect.arrayContaining(colours));
  });

  it.each([
    ['pastes a 1 MB prompt', 'a red ball '.repeat(100_000)],
    ['pastes one 2 000-letter word', 'a'.repeat(2000)],
    ['pastes 2 000 emoji', '🎉'.repeat(2000)],
    ['pastes 1 000 zero-width joiners', '\u200d'.repeat(1000)],
    ['pastes 2 000 combining marks', 'a' + '\u0301'.repeat(2000)],
    ['pastes 3 000 commas', ','.repeat(3000)],
  ])('who %s gets an answer within a second', (_, prompt) => {
    const started = performance.now();
    const r = read(prompt);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.caption ?? r.refusal).toBeTruthy();
  });
});

describe('a colour name far from the basic ones', () => {
  it.each([
    ['ivory', 'white'], ['beige', 'white'], ['chartreuse', 'green'], ['olive', 'green'], ['teal', 'green'],
    ['navy', 'blue'], ['salmon', 'pink'], ['magenta', 'pink'], ['khaki', 'orange'], ['mint', 'green'],
    ['lavender', 'purple'], ['tan', 'orange'], ['greyish', 'gray'], ['blonde', 'yellow'],
  ])('"a %s ball" is a %s ball', (name, colour) => {
    const r = read(`a ${name} ball`);
    expect(r.colours).toEqual([colour]);
    expect(r.notes).toContain(`${name} → ${colour}`);
  });
});

describe('a prompt that gives each object its own motion', () => {
  it.each([
    ['two balls, one bounces and the other spins', ['bounce', 'rotate']],
    ['a red ball and a blue square, one rises while the other falls', ['up', 'fall']],
    ['a red ball and a blue ball. The first bounces, the second spins.', ['bounce', 'rotate']],
    ['a red star and a green star: the first grows, the second shrinks', ['grow', 'shrink']],
    ['a red ball and a blue ball, one moves left and the other one moves right', ['left', 'right']],
    ['a yellow square and a pink circle; one spins, another bounces', ['rotate', 'bounce']],
    ['three stars, the first rises, the second falls and the third spins', ['up', 'fall', 'rotate']],
  ])('"%s"', (prompt, motions) => {
    expect(read(prompt).motions).toEqual(motions);
  });
});

describe('a motion verb that could be the camera’s', () => {
  it.each([
    ['a red ball zooms to the left', 'left', 'quickly'],
    ['a blue star pans right', 'right', 'slowly'],
    ['a green square zooms up', 'up', 'quickly'],
    ['a yellow ball sweeps across to the right', 'right', 'slowly'],
  ])('"%s" with no camera named moves the object', (prompt, motion, speed) => {
    const r = read(prompt);
    expect(r.camera).toBe('static');
    expect(r.motions).toEqual([motion]);
    expect(r.objects[0].speed).toBe(speed);
  });
  it.each([
    ['a red ball, the camera zooms in', 'zoom_in'],
    ['a red ball; zoom in', 'zoom_in'],
    ['a red ball, pan left', 'pan_left'],
    ['a red ball zooms left and the camera is still', 'zoom_in'],
    ['a ball zooms in', 'zoom_in'],
  ])('"%s" still moves the camera', (prompt, camera) => {
    expect(read(prompt).camera).toBe(camera);
  });
});

describe('a negative prompt that works against the prompt', () => {
  it('equal to the prompt gets a warning', () => {
    expect(read('a red ball bounces', 'a red ball bounces').notes.join(' ')).toContain('The negative prompt is the prompt itself');
  });
  it('equal to the prompt but for case and punctuation gets a warning', () => {
    expect(read('A red ball bounces!', 'a red ball bounces').notes.join(' ')).toContain('The negative prompt is the prompt itself');
  });
  it.each([
    ['leaves out "red" from "a red ball"', 'a red ball', 'red', '“red”'],
    ['leaves out "stars" from "a yellow star"', 'a yellow star', 'no stars', '“stars”'],
    ['leaves out "a big square" from "a big blue square"', 'a big blue square', 'a big square', '“large square”'],
    ['leaves out "crimson" from "a scarlet ball" (both read as red)', 'a scarlet ball', 'crimson', '“red”'],
  ])('that %s gets a warning', (_, prompt, negative, named) => {
    const notes = read(prompt, negative).notes.join(' ');
    expect(notes).toContain('The negative prompt leaves out');
    expect(notes).toContain(named);
  });
  it.each([
    ['leaves out "blue" from "a red ball"', 'a red ball', 'blue'],
    ['leaves out "a red square" from "a red ball"', 'a red ball', 'a red square'],
    ['leaves out "red" from "a ball" (whose colour is the default)', 'a ball', 'red'],
  ])('that %s gets no warning', (_, prompt, negative) => {
    expect(read(prompt, negative).notes.join(' ')).not.toContain('The negative prompt');
  });
  it('listing colours with commas ("red, orange, yellow") leaves out each, not the colour name "orange yellow"', () => {
    expect(read('a ball', 'red, orange, yellow').negative).toBe('A red object. An orange object. A yellow object.');
  });
  it('leaving out every colour does not quietly paint one of them: it says so', () => {
    const r = read('a ball', 'red, orange, yellow, green, blue, purple, pink, white, black, gray');
    expect(r.notes.join(' ')).toContain('Every colour was left out');
  });
  it('leaving out every shape says so, and one shape left out is not the default', () => {
    expect(read('a red thing', 'circles, squares, triangles, stars, diamonds').notes.join(' ')).toContain('Every shape was left out');
    expect(read('a red thing', 'no circles').shapes).toEqual(['square']);
  });
  it.each([
    ['"no stars"', 'no stars', 'A star.'],
    ['"stars"', 'stars', 'A star.'],
    ['"no stars, no stars at all, definitely no stars"', 'no stars, no stars at all, definitely no stars', 'A star.'],
    ['"red, red, red"', 'red, red, red', 'A red object.'],
    ['"circles, squares, triangles, stars, diamonds" (more than three things)', 'circles, squares, triangles, stars, diamonds', 'A circle. A square. A triangle. A star. A diamond.'],
  ])('%s is one clause per distinct thing', (_, negative, caption) => {
    expect(read('a red ball', negative).negative).toBe(caption);
  });
});

describe('the command line, more of it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kinora-cli-more-'));
  const out = join(dir, 'clip.mp4');
  const message = (argv: string[]) => {
    try {
      parseGenerateArgs(argv);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('the arguments were accepted');
  };
  const notAList = join(dir, 'shots.json');
  writeFileSync(notAList, '{"prompt": "a red ball", "seconds": 2}');
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '[{"prompt": "a red ball", ');

  it.each([
    ['names a model the site does not have', ['a red ball', '--out', out, '--model', 'kinora-big'], 'There is no model "kinora-big". The models are kinora-small (the default)'],
    ['names a model with a typo', ['a red ball', '--out', out, '--model', 'kinora-smal'], 'give one of them with --model, or leave --model out for the default.'],
    ['names an empty model', ['a red ball', '--out', out, '--model', ''], 'There is no model "".'],
    ['gives --steps 0', ['a red ball', '--out', out, '--steps', '0'], 'Steps must be a whole number from 1 to 100, not 0.'],
    ['gives --steps 2.5', ['a red ball', '--out', out, '--steps', '2.5'], 'not 2.5.'],
    ['gives --steps many', ['a red ball', '--out', out, '--steps', 'many'], 'not "many".'],
    ['gives --steps NaN', ['a red ball', '--out', out, '--steps', 'NaN'], 'not "NaN".'],
    ['gives --steps as an empty string', ['a red ball', '--out', out, '--steps', ''], 'Steps must be a whole number from 1 to 100, not "".'],
    ['gives --guidance 0', ['a red ball', '--out', out, '--guidance', '0'], 'Guidance must be a number from 1 to 20, not 0.'],
    ['gives --guidance 21', ['a red ball', '--out', out, '--guidance', '21'], 'not 21.'],
    ['gives --guidance Infinity', ['a red ball', '--out', out, '--guidance', 'Infinity'], 'Guidance must be a number from 1 to 20'],
    ['gives --guidance -3', ['a red ball', '--out', out, '--guidance', '-3'], 'not -3.'],
    ['gives --seconds 0', ['a red ball', '--out', out, '--seconds', '0'], 'The duration must be a number of seconds above 0 and at most 60, not 0.'],
    ['gives --seconds 61', ['a red ball', '--out', out, '--seconds', '61'], 'not 61.'],
    ['gives --seconds two', ['a red ball', '--out', out, '--seconds', 'two'], 'not "two".'],
    ['gives --seconds 1e9', ['a red ball', '--out', out, '--seconds', '1e9'], 'not 1000000000.'],
    ['gives --seed -1', ['a red ball', '--out', out, '--seed', '-1'], 'not -1.'],
    ['gives --seed 1.5', ['a red ball', '--out', out, '--seed', '1.5'], 'not 1.5.'],
    ['gives --seed 4294967296', ['a red ball', '--out', out, '--seed', '4294967296'], 'not 4294967296.'],
    ['gives --aspect 4:3', ['a red ball', '--out', out, '--aspect', '4:3'], 'The shape (aspect) must be 1:1, 16:9, 9:16, not "4:3".'],
    ['gives --aspect 16X9', ['a red ball', '--out', out, '--aspect', '16X9'], 'not "16X9".'],
    ['gives --backend cuda', ['a red ball', '--out', out, '--backend', 'cuda'], 'The engine (backend) must be auto, webgpu, wasm, not "cuda".'],
    ['gives --direction sideways', ['a red ball', '--out', out, '--extend', out, '--direction', 'sideways'], '--direction must be forward or backward, not sideways.'],
    ['gives --direction without --extend', ['a red ball', '--out', out, '--direction', 'backward'], '--direction goes with --extend.'],
    ['gives --strength without --edit', ['a red ball', '--out', out, '--strength', '0.5'], '--strength goes with --edit.'],
    ['gives --loop and --storyboard together', ['a red ball', '--out', out, '--loop', '--storyboard', notAList], 'Choose one of --image, --extend, --connect, --loop, --storyboard and --edit.'],
    ['gives --connect with one image', ['a red ball', '--out', out, '--connect', 'one.png'], '--connect needs two images after the prompt'],
    ['gives a storyboard file that does not exist', ['--out', out, '--storyboard', join(dir, 'missing.json')], 'Cannot read the storyboard'],
    ['gives a storyboard file of broken JSON', ['--out', out, '--storyboard', broken], 'Cannot read the storyboard'],
    ['gives a storyboard file that is not a list', ['--out', out, '--storyboard', notAList], 'A storyboard file is a JSON list of shots'],
    ['gives no prompt', ['--out', out], 'Give a prompt, for example'],
    ['gives a prompt of spaces', ['   ', '--out', out], 'Give a prompt, for example'],
    ['gives no --out', ['a red ball'], 'Give --out <file.mp4>.'],
    ['gives a prompt of 2 001 characters', ['a'.repeat(MAX_PROMPT_CHARS + 1), '--out', out], `is ${MAX_PROMPT_CHARS + 1} characters long`],
    ['gives --negative of 2 001 characters', ['a red ball', '--out', out, '--negative', 'n'.repeat(MAX_PROMPT_CHARS + 1)], 'The negative prompt must be text of at most'],
    ['gives a prompt of emoji only', ['🔥🔥', '--out', out], 'has only punctuation or symbols, no words'],
  ])('that %s is told what to do', (_, argv, expected) => {
    expect(message(argv)).toContain(expected);
  });

  it('that names a model the site has goes on', () => {
    expect(parseGenerateArgs(['a red ball', '--out', out, '--model', 'tiny']).request.modelId).toBe('tiny');
  });
  it('never tells a terminal to "choose one of them in Settings"', () => {
    expect(message(['a red ball', '--out', out, '--model', 'kinora-big'])).not.toContain('Settings');
  });
});

describe('a file in the checker', () => {
  it.each([
    [0, '0 bytes, empty'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1 kB'],
    [1499, '1 kB'],
    [999_499, '999 kB'],
    [1_000_000, '1.0 MB'],
    [420_000_000, '420.0 MB'],
  ])('of %i bytes is labelled "%s"', (bytes, label) => {
    expect(describeFileSize(bytes)).toBe(label);
  });

  it('dropped two at a time says only the first is checked', () => {
    expect(extraFilesNotice(['a.mp4', 'b.mp4'])).toBe('2 files were dropped; only the first, “a.mp4”, is used. Drop the other one at a time.');
  });
  it('dropped five at a time names the first and counts the others', () => {
    expect(extraFilesNotice(['a.mp4', 'b.png', 'c.png', 'd.png', 'e.png'])).toContain('Drop the other 4 one at a time.');
  });
  it('dropped alone needs no notice', () => {
    expect(extraFilesNotice(['a.mp4'])).toBeUndefined();
  });

  it.each([
    ['null', null, 'not null.'],
    ['nothing', undefined, 'not undefined.'],
    ['a file name', 'clip.mp4', 'not the text "clip.mp4".'],
    ['a number', 42, 'not number.'],
    ['a list of files', [new Blob(['x'])], 'not a list.'],
    ['an object without bytes', { name: 'clip.mp4' }, 'not object.'],
  ])('handed %s through window.kinora.check is told what to give', (_, given, what) => {
    expect(() => blobToCheck(given)).toThrow(CheckArgumentError);
    expect(() => blobToCheck(given)).toThrow(`window.kinora.check needs one file: a Blob or File, or { base64, type } with the file's bytes, ${what}`);
  });
  it('handed a Blob takes it as it is', () => {
    const blob = new Blob(['x']);
    expect(blobToCheck(blob)).toBe(blob);
  });
});

describe('settings stored by an older version or edited by hand', () => {
  class MemoryStorage {
    private data = new Map<string, string>();
    getItem(k: string) { return this.data.get(k) ?? null; }
    setItem(k: string, v: string) { this.data.set(k, v); }
    removeItem(k: string) { this.data.delete(k); }
  }
  const stored = (value: unknown) => {
    const storage = new MemoryStorage();
    storage.setItem(namespaced('kinora.settings.v1'), typeof value === 'string' ? value : JSON.stringify(value));
    (globalThis as { localStorage?: unknown }).localStorage = storage;
    return loadSettings();
  };

  it.each([
    ['steps 0', { steps: 0 }],
    ['steps −4', { steps: -4 }],
    ['steps 2.5', { steps: 2.5 }],
    ['steps 1000', { steps: 1000 }],
    ['steps "8"', { steps: '8' }],
    ['steps null (NaN as JSON writes it)', { steps: null }],
  ])('with %s fall back to the model’s default steps', (_, value) => {
    expect(stored(value).steps).toBeNull();
  });
  it.each([
    ['guidance 0', { guidance: 0 }],
    ['guidance 50', { guidance: 50 }],
    ['guidance "3"', { guidance: '3' }],
  ])('with %s fall back to the model’s default guidance', (_, value) => {
    expect(stored(value).guidance).toBeNull();
  });
  it.each([
    ['seconds 3, not a choice', { seconds: 3 }, 'seconds', defaultSettings().seconds],
    ['the shape 4:3', { aspect: '4:3' }, 'aspect', '1:1'],
    ['the engine "cuda"', { backend: 'cuda' }, 'backend', 'auto'],
    ['the prompt-in-file switch as "yes"', { promptInFile: 'yes' }, 'promptInFile', false],
    ['the negative prompt as a number', { negativePrompt: 7 }, 'negativePrompt', ''],
    ['9 takes for Make N', { variations: 9 }, 'variations', 4],
    ['takes as "3"', { variations: '3' }, 'variations', 4],
  ])('with %s fall back to the default', (_, value, key, fallback) => {
    expect(stored(value)[key as keyof ReturnType<typeof loadSettings>]).toEqual(fallback);
  });
  it.each([
    ['broken JSON', '{"steps": 8,'],
    ['a JSON list', '[1, 2, 3]'],
    ['the text "null"', 'null'],
  ])('stored as %s give the defaults, not an error', (_, raw) => {
    expect(() => stored(raw)).not.toThrow();
    expect(stored(raw).aspect).toBe('1:1');
  });
  it('with steps 16 and guidance 6 keep them', () => {
    expect(stored({ steps: 16, guidance: 6 })).toMatchObject({ steps: 16, guidance: 6 });
  });
});
