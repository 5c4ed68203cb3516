// npm run generate -- "<prompt>" --out clip.mp4 [--seed N] [--seconds S] [--aspect 1:1|16:9|9:16]
//                      [--steps N] [--guidance G] [--model ID] [--negative "no stars"] [--include-prompt]
//                      [--variations N] (N takes with seeds N, N+1, …: clip-1.mp4, clip-2.mp4, …)
// Makes one video with the BUILT site in headless Chromium, exactly as a visitor's tab would,
// shows progress, writes the MP4 and prints a summary. Exits non-zero with a message on any error.
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AutomationRequest, AutomationResult, EncodedFile } from '../src/app/automation';
import type { GenerateResult } from '../src/worker/api';
import { validateRequest } from '../src/worker/request-validation';
import { modelChoiceProblem } from './model-choice';
import { generateInPage, takesInPage } from './page-generate';
import { MAX_TAKES } from '../src/worker/take-progress';
import { openSite } from './site-session';

const USAGE = [
  'usage: npm run generate -- "<prompt>" --out clip.mp4 [--seed N] [--seconds S] [--aspect 1:1|16:9|9:16]',
  '         [--steps N] [--guidance G] [--model ID] [--backend auto|webgpu|wasm] [--negative "<what to leave out>"] [--build]',
  '         [--include-prompt] (write the prompt into the MP4; by default it names model, seed and settings only)',
  '         [--variations 2-4] (takes with consecutive seeds, written as clip-1.mp4, clip-2.mp4, …)',
  '         [--image first.png | --extend clip.mp4 [--direction forward|backward] | --connect a.png b.png',
  '          | --loop | --storyboard shots.json | --edit clip.mp4 [--strength 0.6]]',
  '         (a storyboard needs no prompt: each shot has its own)',
].join('\n');

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.mp4': 'video/mp4', '.webm': 'video/webm', '.mov': 'video/quicktime' };

function encodeFile(path: string): EncodedFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    fail(`Cannot read ${path}: ${(err as Error).message}`);
  }
  return { base64: bytes.toString('base64'), type: MIME[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}

function fail(message: string): never {
  throw Object.assign(new Error(message), { usage: true });
}

/** The options that take a value that may be a negative number (`--seconds -1`), which parseArgs would read as a flag. */
const NUMBER_OPTIONS = ['seed', 'seconds', 'steps', 'guidance', 'strength', 'variations'];

/** `--seconds -1` as `--seconds=-1`, so that it reaches the range check instead of "argument is ambiguous". */
function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (argv[i].startsWith('--') && NUMBER_OPTIONS.includes(name) && /^-[\d.]/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/** Fails now, before a video is made, when `out` cannot be written: a folder, or a folder that is missing or read-only. */
function checkOut(out: string): void {
  let isFolder = false;
  try {
    isFolder = statSync(out).isDirectory();
  } catch {
    // Not there yet: its folder decides.
  }
  if (isFolder) fail(`--out ${out} is a folder; give a file name in it, such as ${join(out, 'clip.mp4')}.`);
  const folder = dirname(out);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    fail(`--out ${out} cannot be written: the folder ${folder} does not exist or is not writable. Choose another path.`);
  }
}

/** A request with the files as Node holds them, checked by the worker's own validation (files stand in as empty Blobs). */
function checkRequest(request: AutomationRequest): void {
  const standIn = (mode: AutomationRequest['mode']) =>
    mode && Object.fromEntries(Object.entries(mode).map(([k, v]) => [k, typeof v === 'object' && v !== null && 'base64' in v ? new Blob([]) : v]));
  try {
    validateRequest({ ...request, mode: standIn(request.mode) });
  } catch (err) {
    fail((err as Error).message);
  }
}

/** The files N takes are written to: clip.mp4 -> clip-1.mp4, clip-2.mp4, … (one take: the name as given). */
export function takeFileNames(out: string, count: number): string[] {
  if (count === 1) return [out];
  const ext = extname(out);
  const stem = ext ? out.slice(0, -ext.length) : out;
  return Array.from({ length: count }, (_, i) => `${stem}-${i + 1}${ext}`);
}

export function parseGenerateArgs(argv: string[]): { request: AutomationRequest; out: string; build: boolean; variations: number } {
  const { values, positionals } = parseArgs({
    args: joinNegativeNumbers(argv),
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      seed: { type: 'string' },
      seconds: { type: 'string' },
      aspect: { type: 'string' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      model: { type: 'string' },
      negative: { type: 'string' },
      backend: { type: 'string' },
      image: { type: 'string' },
      extend: { type: 'string' },
      direction: { type: 'string' },
      connect: { type: 'boolean' },
      loop: { type: 'boolean' },
      edit: { type: 'string' },
      strength: { type: 'string' },
      storyboard: { type: 'string' },
      build: { type: 'boolean' },
      'include-prompt': { type: 'boolean' },
      variations: { type: 'string' },
    },
  });
  // --connect takes the two images as the last two positionals: "<prompt>" --connect a.png b.png;
  // with one image given, the prompt would be read as the first image and be "missing".
  if (values.connect && positionals.length < 3) fail('--connect needs two images after the prompt: "<prompt>" --connect first.png last.png');
  const images = values.connect ? positionals.slice(-2) : [];
  const prompt = (values.connect ? positionals.slice(0, -2) : positionals).join(' ').trim();
  if (!prompt && !values.storyboard) fail('Give a prompt, for example: npm run generate -- "a red ball bounces" --out clip.mp4');
  if (!values.out) fail('Give --out <file.mp4>.');
  checkOut(values.out);
  // A number as typed; text that is not one goes on as text, for the range check to name.
  const number = (text: string | undefined) => (text === undefined ? undefined : text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
  // The ranges are checked with the worker's own validation below (checkRequest), so the command
  // line and the page say the same.
  const request = {
    prompt,
    aspect: values.aspect ?? '1:1',
    seconds: number(values.seconds) ?? 2,
    seed: number(values.seed) ?? Math.floor(Math.random() * 0xffffffff),
  } as AutomationRequest;
  const steps = number(values.steps);
  if (steps !== undefined) request.steps = steps as number;
  const guidance = number(values.guidance);
  if (guidance !== undefined) request.guidance = guidance as number;
  if (values.model !== undefined) {
    const problem = modelChoiceProblem(values.model);
    if (problem) fail(problem);
    request.modelId = values.model;
  }
  if (values.negative !== undefined) request.negativePrompt = values.negative;
  // The prompt is the user's: like the studio, the file carries it only when asked.
  request.promptInFile = values['include-prompt'] === true;
  const modes = [values.image, values.extend, values.connect || undefined, values.loop || undefined, values.storyboard, values.edit].filter((v) => v !== undefined);
  if (modes.length > 1) fail('Choose one of --image, --extend, --connect, --loop, --storyboard and --edit.');
  if (values.edit) {
    const strength = number(values.strength ?? '0.6') as number;
    request.mode = { kind: 'edit', clip: encodeFile(values.edit), strength };
  } else if (values.strength) fail('--strength goes with --edit.');
  if (values.loop) request.mode = { kind: 'loop' };
  if (values.storyboard) {
    let shots: unknown;
    try {
      shots = JSON.parse(readFileSync(values.storyboard, 'utf8'));
    } catch (err) {
      fail(`Cannot read the storyboard ${values.storyboard}: ${(err as Error).message}`);
    }
    if (!Array.isArray(shots)) fail('A storyboard file is a JSON list of shots: [{ "prompt": "a red ball rolls right", "seconds": 2 }, …]');
    request.mode = { kind: 'storyboard', shots: shots as { prompt: string; seconds: number }[] };
  }
  if (values.image) request.mode = { kind: 'image', image: encodeFile(values.image) };
  if (values.extend) {
    const direction = values.direction ?? 'forward';
    if (direction !== 'forward' && direction !== 'backward') fail(`--direction must be forward or backward, not ${direction}.`);
    request.mode = { kind: 'extend', clip: encodeFile(values.extend), direction };
  } else if (values.direction) fail('--direction goes with --extend.');
  if (values.connect) {
    if (images.length !== 2) fail('--connect needs two images after the prompt: "<prompt>" --connect first.png last.png');
    request.mode = { kind: 'connect', first: encodeFile(images[0]), last: encodeFile(images[1]) };
  }
  if (values.backend !== undefined) request.backend = values.backend as AutomationRequest['backend'];
  checkRequest(request);
  const variations = values.variations === undefined ? 1 : Number(values.variations);
  if (!Number.isInteger(variations) || variations < 1 || variations > MAX_TAKES) {
    fail(`--variations must be a whole number from 1 to ${MAX_TAKES}, not ${values.variations}.`);
  }
  return { request, out: values.out, build: values.build ?? false, variations };
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseGenerateArgs>;
  try {
    args = parseGenerateArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = Date.now();
  const site = await openSite({ build: args.build });
  try {
    let lastLine = '';
    await site.page.exposeFunction('kinoraCliProgress', (p: { message: string; fraction: number; etaSeconds: number | null }) => {
      const eta = p.etaSeconds == null ? '' : ` · ${Math.round(p.etaSeconds)} s left`;
      if (process.stderr.isTTY) {
        const bar = '█'.repeat(Math.round(p.fraction * 30)).padEnd(30, '░');
        process.stderr.write(`\r${bar} ${Math.round(p.fraction * 100)}% ${p.message}${eta}`.padEnd(100));
      } else if (p.message !== lastLine) {
        // In a log, one line per stage (and per step) rather than a redrawn bar.
        lastLine = p.message;
        process.stderr.write(`${Math.round(p.fraction * 100)}% ${p.message}${eta}\n`);
      }
    });
    const results = args.variations === 1
      ? [await generateInPage(site.page, args.request, 'kinoraCliProgress')]
      : await takesInPage(site.page, args.request, args.variations, 'kinoraCliProgress');
    if (process.stderr.isTTY) process.stderr.write('\n');
    const files = takeFileNames(args.out, results.length);
    for (const [i, result] of results.entries()) {
      writeFileSync(files[i], Buffer.from(result.videoBase64, 'base64'));
      if (i > 0) console.log('');
      console.log(summary(result, files[i]));
    }
    console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    process.stderr.write('\n');
    console.error(`Generation failed: ${(err as Error).message.replace(/^page\.evaluate: /, '').replace(/^\w*Error: /, '').split('\n')[0]}`);
    return 1;
  } finally {
    await site.close();
  }
}

/** What one written video is: its file, frames, settings, what the model read, engine, credentials, time. */
function summary(result: AutomationResult, file: string): string {
  const s = result.settings;
  return [
    `wrote ${file} (${(result.videoBytes / 1024).toFixed(1)} KiB, ${result.mimeType})`,
    `frames ${result.frameCount} at ${result.fps} fps, ${result.width}×${result.height}`,
    `seed ${s.seed} · steps ${s.steps} · guidance ${s.guidance} · aspect ${s.aspect} · model ${s.modelId} (${result.modelSha256.slice(0, 12)}…)`,
    ...describeReading(result.reading, result.unknownWords),
    `denoiser: ${result.backend.label} (${result.backend.reason})`,
    result.contentCredentials?.state === 'signed'
      ? `Content Credentials (C2PA): signed with this browser profile's key (self-signed, so C2PA checkers call the signer untrusted), +${result.contentCredentials.bytesAdded} bytes, ${result.contentCredentials.signMs.toFixed(0)} ms`
      : `Content Credentials (C2PA): none — ${result.contentCredentials?.reason ?? 'not attempted'}`,
    `generation ${(result.elapsedMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

/** What the model read, one line per prompt (a storyboard's shots), the notes, and the negative prompt. */
function describeReading(reading: GenerateResult['reading'], unknown: string[]): string[] {
  const lines = reading.prompts.flatMap((r) => [
    `the model read: "${r.caption}"${reading.prompts.length > 1 ? ` (from "${r.prompt}")` : ''}`,
    ...r.notes.map((n) => `  ${n}`),
  ]);
  if (unknown.length) lines.push(`not drawn: ${unknown.join(', ')}`);
  const n = reading.negative;
  if (n) lines.push(n.used ? `negative prompt "${n.text}" read as "${n.caption}"` : `negative prompt "${n.text}" not used`, ...n.notes.map((x) => `  ${x}`));
  return lines;
}

