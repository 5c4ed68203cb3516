// npm run generate -- "<prompt>" --out clip.mp4 [--seed N] [--seconds S] [--aspect 1:1|16:9|9:16]
//                      [--steps N] [--guidance G] [--model ID] [--negative "no stars"]
// Makes one video with the BUILT site in headless Chromium, exactly as a visitor's tab would,
// shows progress, writes the MP4 and prints a summary. Exits non-zero with a message on any error.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { AutomationRequest, EncodedFile } from '../src/app/automation';
import type { GenerateResult } from '../src/worker/api';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';

const USAGE = [
  'usage: npm run generate -- "<prompt>" --out clip.mp4 [--seed N] [--seconds S] [--aspect 1:1|16:9|9:16]',
  '         [--steps N] [--guidance G] [--model ID] [--backend auto|webgpu|wasm] [--negative "<what to leave out>"] [--build]',
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

export function parseGenerateArgs(argv: string[]): { request: AutomationRequest; out: string; build: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
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
    },
  });
  // --connect takes the two images as the last two positionals: "<prompt>" --connect a.png b.png
  const images = values.connect ? positionals.slice(-2) : [];
  const prompt = (values.connect ? positionals.slice(0, -2) : positionals).join(' ').trim();
  if (!prompt && !values.storyboard) fail('Give a prompt, for example: npm run generate -- "a red ball bounces" --out clip.mp4');
  if (!values.out) fail('Give --out <file.mp4>.');
  const number = (name: string, text: string | undefined, ok: (n: number) => boolean) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || !ok(n)) fail(`--${name} ${text} is not valid.`);
    return n;
  };
  const aspect = values.aspect ?? '1:1';
  if (aspect !== '1:1' && aspect !== '16:9' && aspect !== '9:16') fail(`--aspect must be 1:1, 16:9 or 9:16, not ${aspect}.`);
  const request: AutomationRequest = {
    prompt,
    aspect,
    seconds: number('seconds', values.seconds, (n) => n > 0 && n <= 60) ?? 2,
    seed: number('seed', values.seed, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff) ?? Math.floor(Math.random() * 0xffffffff),
  };
  const steps = number('steps', values.steps, (n) => Number.isInteger(n) && n >= 1 && n <= 100);
  if (steps !== undefined) request.steps = steps;
  const guidance = number('guidance', values.guidance, (n) => n >= 1 && n <= 20);
  if (guidance !== undefined) request.guidance = guidance;
  if (values.model) request.modelId = values.model;
  if (values.negative !== undefined) request.negativePrompt = values.negative;
  const modes = [values.image, values.extend, values.connect || undefined, values.loop || undefined, values.storyboard, values.edit].filter((v) => v !== undefined);
  if (modes.length > 1) fail('Choose one of --image, --extend, --connect, --loop, --storyboard and --edit.');
  if (values.edit) {
    const strength = number('strength', values.strength ?? '0.6', (x) => x > 0 && x <= 1)!;
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
    const valid = Array.isArray(shots) && shots.length > 0 && shots.every((s) => typeof s?.prompt === 'string' && typeof s?.seconds === 'number' && s.seconds > 0);
    if (!valid) fail('A storyboard file is a JSON list of shots: [{ "prompt": "a red ball rolls right", "seconds": 2 }, …]');
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
  if (values.backend !== undefined) {
    if (values.backend !== 'auto' && values.backend !== 'webgpu' && values.backend !== 'wasm') fail(`--backend must be auto, webgpu or wasm, not ${values.backend}.`);
    request.backend = values.backend;
  }
  return { request, out: values.out, build: values.build ?? false };
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
    const result = await generateInPage(site.page, args.request, 'kinoraCliProgress');
    if (process.stderr.isTTY) process.stderr.write('\n');
    writeFileSync(args.out, Buffer.from(result.videoBase64, 'base64'));
    const s = result.settings;
    console.log(
      [
        `wrote ${args.out} (${(result.videoBytes / 1024).toFixed(1)} KiB, ${result.mimeType})`,
        `frames ${result.frameCount} at ${result.fps} fps, ${result.width}×${result.height}`,
        `seed ${s.seed} · steps ${s.steps} · guidance ${s.guidance} · aspect ${s.aspect} · model ${s.modelId} (${result.modelSha256.slice(0, 12)}…)`,
        ...describeReading(result.reading, result.unknownWords),
        `denoiser: ${result.backend.label} (${result.backend.reason})`,
        `generation ${(result.elapsedMs / 1000).toFixed(1)} s · total ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    process.stderr.write('\n');
    console.error(`Generation failed: ${(err as Error).message.replace(/^page\.evaluate: /, '').replace(/^\w*Error: /, '').split('\n')[0]}`);
    return 1;
  } finally {
    await site.close();
  }
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

