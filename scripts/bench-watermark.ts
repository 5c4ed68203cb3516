// npm run bench:watermark -- [--kinora 252] [--world 100] [--patterns 60] [--noise 60] [--page-check 24]
//                             [--out bench-results/watermark] [--reuse] [--build] [--report-only]
// (--reuse keeps the videos already made under --out; --report-only prints the tables of the last run.)
// Measures the pixel watermark (src/video/watermark*.ts) as docs/provenance-measurements.md reports:
//   1. Kinora's videos, made by the BUILT site in headless Chromium exactly as the studio makes them
//      (every shipped model, several modes, the three shapes, many seeds and prompts);
//   2. videos Kinora never made, encoded by Kinora's own MP4 writer in the same Chromium without the
//      mark (tests/browser/watermark-bench.html on a Vite dev server): clips of the procedural world
//      the models learned from (scripts/render_world_clips.py), ffmpeg's test patterns, and crops of
//      natural-looking fractal noise;
//   3. each of them as shared videos are changed, by ffmpeg: untouched, re-encoded with libx264 at
//      CRF 30, halved and doubled back, centre-cropped to 80 %, cut to the first second, and turned
//      into 24 fps (every changed file is re-encoded with libx264, at its default CRF 23 except the
//      CRF 30 row);
//   4. read back with ffmpeg's decoder and the detector in Node, taking the frames the page takes
//      (detection-frames.ts), and for a sample also through the page's own check (window.kinora.check)
//      to show that both read alike;
//   5. the cost: milliseconds to mark a 2-s video in the browser, bytes the mark adds to a file.
// Prints the tables (markdown) and writes them, with every score, under --out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { createServer } from 'vite';
import { launchChromium } from './chromium';
import type { AutomationRequest } from '../src/app/automation';
import type { FileCheck } from '../src/provenance/detect';
import { detectionTimes } from '../src/video/detection-frames';
import type { RgbaFrame } from '../src/video/rgba-frame';
import { detectWatermark, WATERMARK_FALSE_POSITIVE_BOUND, WATERMARK_THRESHOLD } from '../src/video/watermark-detect';
import type { WatermarkBenchApi } from '../tests/browser/watermark-bench';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';
import { mulberry32 } from './seeded-random';

const even = (e: string) => `trunc(${e}/2)*2`;
/** ffmpeg arguments of each change a shared video goes through ('none': the file as written). */
export const TRANSFORMS: Record<string, { label: string; args: string[] }> = {
  none: { label: 'untouched', args: [] },
  crf30: { label: 'libx264 CRF 30', args: ['-c:v', 'libx264', '-crf', '30'] },
  half: { label: 'half size and back', args: ['-vf', `scale=${even('iw/2')}:${even('ih/2')},scale=${even('iw*2')}:${even('ih*2')}`, '-c:v', 'libx264'] },
  crop80: { label: 'centre crop to 80 %', args: ['-vf', `crop=${even('iw*0.8')}:${even('ih*0.8')}`, '-c:v', 'libx264'] },
  first1s: { label: 'first second only', args: ['-t', '1', '-c:v', 'libx264'] },
  fps24: { label: '24 fps', args: ['-vf', 'fps=24', '-c:v', 'libx264'] },
};

const PROMPTS = [
  'a red ball bounces on the grass',
  'a blue square slides left in a night sky',
  'a large yellow triangle spins over the sea, the camera pans right',
  'a small green star falls on a plain white background',
  'a purple diamond grows in a day sky',
  'two orange circles move right, the camera zooms in',
  'a pink square orbits on a gray background',
  'a white star rotates on a night sky',
  'a black circle moves up slowly over a gradient',
  'a large red square shrinks on a blue background',
];
const ASPECTS = ['1:1', '16:9', '9:16'] as const;
/** The modes tried, in turn; the files they need are world renders (so the given frames are not Kinora's). */
const MODES = ['text', 'text', 'text', 'image', 'loop', 'extend', 'connect', 'edit', 'still'] as const;
type ModeName = (typeof MODES)[number];

interface Video {
  id: string;
  group: 'kinora' | 'world' | 'pattern' | 'noise' | 'world-marked';
  file: string;
  meta: Record<string, unknown>;
}

interface Reading {
  id: string;
  group: Video['group'];
  transform: string;
  score: number;
  found: boolean;
  crop: number;
  frames: number;
  meta: Record<string, unknown>;
}

function ffmpeg(args: string[], input?: Buffer): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', ...args], { input, maxBuffer: 1 << 30 });
}

function probe(file: string): { width: number; height: number; fps: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,r_frame_rate', '-of', 'csv=p=0', file]).toString().trim();
  const [width, height, rate] = out.split(',');
  const [num, den] = rate.split('/').map(Number);
  return { width: Number(width), height: Number(height), fps: num / (den || 1) };
}

/** The frames the page would read (detection-frames.ts: 8 a second, spread evenly), decoded by ffmpeg. */
export function framesForDetection(file: string): RgbaFrame[] {
  const { width, height, fps } = probe(file);
  const raw = ffmpeg(['-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
  const size = width * height * 4;
  const count = raw.length / size;
  const times = detectionTimes(0, count / fps);
  return times.map((t) => {
    const i = Math.min(count - 1, Math.floor(t * fps));
    return { width, height, data: new Uint8Array(raw.buffer, raw.byteOffset + i * size, size) };
  });
}

function transformed(file: string, transform: string): string {
  if (transform === 'none') return file;
  const out = file.replace(/\.mp4$/, `.${transform}.mp4`);
  if (!existsSync(out)) ffmpeg(['-y', '-i', file, ...TRANSFORMS[transform].args, '-pix_fmt', 'yuv420p', out]);
  return out;
}

/**
 * 16 frames of natural-looking noise: a window of Kinora's size drifting over a larger field of
 * fractal value noise (octaves of halving size and weight, as natural pictures' spectra fall),
 * three fields mixed into colour, with ±3 levels of sensor noise per frame.
 */
function noiseClip(seed: number, width: number, height: number): Buffer {
  const next = mulberry32(seed);
  const fieldW = width * 2;
  const fieldH = height * 2;
  const field = () => {
    const out = new Float32Array(fieldW * fieldH);
    for (let octave = 0; octave < 5; octave++) {
      const cell = 32 / 2 ** octave;
      const gw = Math.ceil(fieldW / cell) + 2;
      const grid = Float32Array.from({ length: gw * (Math.ceil(fieldH / cell) + 2) }, () => next() * 2 - 1);
      for (let y = 0; y < fieldH; y++) {
        for (let x = 0; x < fieldW; x++) {
          const gx = x / cell, gy = y / cell;
          const x0 = Math.floor(gx), y0 = Math.floor(gy), fx = gx - x0, fy = gy - y0;
          const v = (grid[y0 * gw + x0] * (1 - fx) + grid[y0 * gw + x0 + 1] * fx) * (1 - fy) + (grid[(y0 + 1) * gw + x0] * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1] * fx) * fy;
          out[y * fieldW + x] += v / 2 ** octave;
        }
      }
    }
    return out;
  };
  const fields = [field(), field(), field()];
  const mix = Array.from({ length: 9 }, () => next() * 2 - 1);
  const base = [next(), next(), next()].map((v) => 60 + v * 140);
  const contrast = 20 + next() * 60;
  const [vx, vy] = [(next() - 0.5) * 3, (next() - 0.5) * 3];
  const frames = Buffer.alloc(16 * width * height * 4);
  for (let f = 0; f < 16; f++) {
    const ox = Math.round(width / 2 + vx * f), oy = Math.round(height / 2 + vy * f);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = (oy + y) * fieldW + ox + x;
        const at = ((f * height + y) * width + x) * 4;
        for (let c = 0; c < 3; c++) {
          const v = base[c] + contrast * (mix[c * 3] * fields[0][p] + mix[c * 3 + 1] * fields[1][p] + mix[c * 3 + 2] * fields[2][p]) + (next() * 2 - 1) * 3;
          frames[at + c] = Math.max(0, Math.min(255, Math.round(v)));
        }
        frames[at + 3] = 255;
      }
    }
  }
  return frames;
}

/** ffmpeg's test sources, each as a lavfi graph at a size; those without a size option are scaled. */
const PATTERNS: ((w: number, h: number, i: number) => string)[] = [
  (w, h) => `testsrc=size=${w}x${h}:rate=8`,
  (w, h) => `testsrc2=size=${w}x${h}:rate=8`,
  (w, h) => `smptebars=size=${w}x${h}:rate=8`,
  (w, h) => `smptehdbars=size=${w}x${h}:rate=8`,
  (w, h) => `pal75bars=size=${w}x${h}:rate=8`,
  (w, h) => `pal100bars=size=${w}x${h}:rate=8`,
  (w, h) => `rgbtestsrc=size=${w}x${h}:rate=8`,
  (w, h) => `yuvtestsrc=size=${w}x${h}:rate=8`,
  (w, h, i) => `mandelbrot=size=${w}x${h}:rate=8:start_x=${-0.743643887 + i * 0.01}:start_y=${-0.131825904 + i * 0.005}:start_scale=${0.5 + i * 0.3}`,
  (w, h, i) => `life=size=${w}x${h}:rate=8:seed=${i + 1}:mold=10:ratio=0.2`,
  (w, h, i) => `cellauto=size=${w}x${h}:rate=8:rule=${[18, 30, 90, 110][i % 4]}:seed=${i + 1}`,
  (w, h, i) => `gradients=size=${w}x${h}:rate=8:seed=${i + 1}:speed=0.05`,
  (w, h, i) => `sierpinski=size=${w}x${h}:rate=8:seed=${i + 1}`,
  (w, h) => `colorspectrum=size=${w}x${h}:rate=8`,
  (w, h) => `colorchart=rate=8,scale=${w}:${h}`,
  (w, h) => `mptestsrc=rate=8,scale=${w}:${h}`,
];
const SIZES = [
  [64, 64],
  [112, 64],
  [64, 112],
  [128, 128],
] as const;

async function openBenchPage(): Promise<{ page: Page; close(): Promise<void> }> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the Vite dev server has no address');
  const browser = await launchChromium();
  const page = await browser.newPage();
  page.on('pageerror', (err) => process.stderr.write(`bench page error: ${err.message}\n`));
  await page.goto(new URL('tests/browser/watermark-bench.html', url).href);
  await page.waitForFunction(() => 'kinoraWatermarkBench' in globalThis, undefined, { timeout: 120_000 });
  return {
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

type BenchCall = Parameters<WatermarkBenchApi['encode']>[0];

async function encodeInPage(page: Page, args: BenchCall) {
  return page.evaluate((a) => (globalThis as unknown as { kinoraWatermarkBench: WatermarkBenchApi }).kinoraWatermarkBench.encode(a), args);
}

/** A world clip as a PNG of its first (or last) frame, and as an unmarked MP4: the files the modes are given. */
function worldInputs(dir: string, clip: { file: string; width: number; height: number }, worldDir: string, mp4: string) {
  const raw = join(worldDir, clip.file);
  const png = (which: 'first' | 'last') => {
    const out = join(dir, `${clip.file}.${which}.png`);
    if (!existsSync(out)) {
      ffmpeg(['-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${clip.width}x${clip.height}`, '-i', raw, '-vf', which === 'first' ? 'select=eq(n\\,0)' : 'select=eq(n\\,15)', '-frames:v', '1', out]);
    }
    return { base64: readFileSync(out).toString('base64'), type: 'image/png' };
  };
  return { first: png('first'), last: png('last'), clip: { base64: readFileSync(mp4).toString('base64'), type: 'video/mp4' } };
}

function modeRequest(mode: ModeName, inputs: ReturnType<typeof worldInputs>): Pick<AutomationRequest, 'mode' | 'seconds'> {
  switch (mode) {
    case 'text':
      return { seconds: 2 };
    case 'still':
      return { seconds: 0.125 };
    case 'image':
      return { seconds: 2, mode: { kind: 'image', image: inputs.first } };
    case 'loop':
      return { seconds: 2, mode: { kind: 'loop' } };
    case 'extend':
      return { seconds: 2, mode: { kind: 'extend', clip: inputs.clip, direction: 'forward' } };
    case 'connect':
      // 1.5 s: the longest every model connects (format 2's tiny-v2 spans at most 1.625 s).
      return { seconds: 1.5, mode: { kind: 'connect', first: inputs.first, last: inputs.last } };
    case 'edit':
      return { seconds: 2, mode: { kind: 'edit', clip: inputs.clip, strength: 0.6 } };
  }
}

const pct = (k: number, n: number) => (n === 0 ? '–' : `${((100 * k) / n).toFixed(1)} %`);
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[s.length >> 1];
};
const quantile = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kinora: { type: 'string', default: '252' },
      world: { type: 'string', default: '100' },
      patterns: { type: 'string', default: '60' },
      noise: { type: 'string', default: '60' },
      'page-check': { type: 'string', default: '24' },
      out: { type: 'string', default: 'bench-results/watermark' },
      reuse: { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      'report-only': { type: 'boolean', default: false },
    },
  });
  const out = values.out!;
  if (values['report-only']) {
    // The tables again from the last run's results.json (after a change to the report alone).
    console.log(renderReport(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ReportInputs));
    return 0;
  }
  const counts = { kinora: Number(values.kinora), world: Number(values.world), patterns: Number(values.patterns), noise: Number(values.noise), pageCheck: Number(values['page-check']) };
  for (const d of ['kinora', 'world', 'pattern', 'noise', 'inputs', 'world-raw']) mkdirSync(join(out, d), { recursive: true });
  const videos: Video[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);

  // 2 (first, since the modes take world clips as their given files). Videos Kinora never made.
  const worldDir = join(out, 'world-raw');
  if (!values.reuse || !existsSync(join(worldDir, 'world.json'))) {
    execFileSync('/usr/bin/python3', ['scripts/render_world_clips.py', '--count', String(Math.max(counts.world, 12)), '--seed', '50000', '--out', worldDir], { stdio: 'inherit' });
  }
  const worldClips = JSON.parse(readFileSync(join(worldDir, 'world.json'), 'utf8')) as { file: string; width: number; height: number; aspect: string; background: string; camera: string }[];
  const bench = await openBenchPage();
  const markCost: { size: string; firstMs: number; medianMs: number }[] = [];
  const bytesAdded: { id: string; unmarked: number; marked: number }[] = [];
  let codec = '';
  try {
    for (const [i, clip] of worldClips.entries()) {
      const rgb = readFileSync(join(worldDir, clip.file));
      const rgba = Buffer.alloc((rgb.length / 3) * 4);
      for (let p = 0; p < rgb.length / 3; p++) rgba.set([rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2], 255], p * 4);
      const files = { unmarked: join(out, 'world', `world-${i}.mp4`), marked: join(out, 'world', `world-${i}.marked.mp4`) };
      for (const mark of [false, true]) {
        const file = mark ? files.marked : files.unmarked;
        if (values.reuse && existsSync(file)) continue;
        const made = await encodeInPage(bench.page, { rgba: rgba.toString('base64'), width: clip.width, height: clip.height, fps: 8, mark });
        codec = made.codec;
        writeFileSync(file, Buffer.from(made.mp4, 'base64'));
      }
      bytesAdded.push({ id: `world-${i}`, unmarked: readFileSync(files.unmarked).length, marked: readFileSync(files.marked).length });
      codec ||= execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,profile', '-of', 'csv=p=0', files.unmarked]).toString().trim();
      if (i < counts.world) {
        videos.push({ id: `world-${i}`, group: 'world', file: files.unmarked, meta: { aspect: clip.aspect, background: clip.background, camera: clip.camera } });
        videos.push({ id: `world-${i}.marked`, group: 'world-marked', file: files.marked, meta: { aspect: clip.aspect } });
      }
    }
    for (let i = 0; i < counts.patterns; i++) {
      const [w, h] = SIZES[i % SIZES.length];
      const source = PATTERNS[i % PATTERNS.length](w, h, Math.floor(i / PATTERNS.length));
      const file = join(out, 'pattern', `pattern-${i}.mp4`);
      if (!values.reuse || !existsSync(file)) {
        const rgba = ffmpeg(['-f', 'lavfi', '-i', source, '-frames:v', '16', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
        const made = await encodeInPage(bench.page, { rgba: rgba.toString('base64'), width: w, height: h, fps: 8, mark: false });
        writeFileSync(file, Buffer.from(made.mp4, 'base64'));
      }
      videos.push({ id: `pattern-${i}`, group: 'pattern', file, meta: { source: source.split('=')[0], size: `${w}×${h}` } });
    }
    for (let i = 0; i < counts.noise; i++) {
      const [w, h] = SIZES[i % 3];
      const file = join(out, 'noise', `noise-${i}.mp4`);
      if (!values.reuse || !existsSync(file)) {
        const made = await encodeInPage(bench.page, { rgba: noiseClip(9000 + i, w, h).toString('base64'), width: w, height: h, fps: 8, mark: false });
        writeFileSync(file, Buffer.from(made.mp4, 'base64'));
      }
      videos.push({ id: `noise-${i}`, group: 'noise', file, meta: { size: `${w}×${h}` } });
    }
    // 5. The cost of marking, in this browser, per 2-s video (16 frames) of each size a model draws.
    for (const [w, h] of [[64, 64], [112, 64], [64, 112], [128, 128], [224, 128]]) {
      const t = await bench.page.evaluate((a) => (globalThis as unknown as { kinoraWatermarkBench: WatermarkBenchApi }).kinoraWatermarkBench.timeMarking(a), { width: w, height: h, frames: 16, repeats: 20 });
      markCost.push({ size: `${w}×${h}`, ...t });
    }
  } finally {
    await bench.close();
  }
  log(`non-Kinora videos encoded (${codec}): ${videos.length}`);

  // 1. Kinora's own videos, from the built site.
  const models = (JSON.parse(readFileSync('public/models/index.json', 'utf8')) as { models: string[] }).models;
  const site = await openSite({ build: values.build });
  const failures: string[] = [];
  try {
    for (let i = 0; i < counts.kinora; i++) {
      const model = models[i % models.length];
      const aspect = ASPECTS[Math.floor(i / models.length) % ASPECTS.length];
      const mode = MODES[Math.floor(i / (models.length * ASPECTS.length)) % MODES.length];
      const prompt = PROMPTS[i % PROMPTS.length];
      const id = `kinora-${i}-${model}-${aspect.replace(':', 'x')}-${mode}`;
      const file = join(out, 'kinora', `${id}.mp4`);
      const meta = { model, aspect, mode, prompt, seed: 1000 + i };
      if (!(values.reuse && existsSync(file))) {
        // Given files: a world clip of the same shape, so no Kinora frame is given back to Kinora.
        const clipIndex = worldClips.findIndex((c, k) => c.aspect === aspect && k % 4 === i % 4);
        const inputs = worldInputs(join(out, 'inputs'), worldClips[clipIndex], worldDir, join(out, 'world', `world-${clipIndex}.mp4`));
        const started = Date.now();
        try {
          const made = await generateInPage(site.page, { prompt, aspect, seed: 1000 + i, modelId: model, promptInFile: false, ...modeRequest(mode, inputs) } as AutomationRequest);
          writeFileSync(file, Buffer.from(made.videoBase64, 'base64'));
          log(`${id}: ${made.frameCount} frames ${made.width}×${made.height}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
        } catch (err) {
          failures.push(`${id}: ${(err as Error).message.split('\n')[0]}`);
          log(`${id}: FAILED ${(err as Error).message.split('\n')[0]}`);
          continue;
        }
      }
      videos.push({ id, group: 'kinora', file, meta });
    }

    // 3 and 4. Every video under every change, read in Node.
    const readings: Reading[] = [];
    for (const [n, video] of videos.entries()) {
      for (const transform of Object.keys(TRANSFORMS)) {
        const reading = detectWatermark(framesForDetection(transformed(video.file, transform)));
        readings.push({ id: video.id, group: video.group, transform, score: reading.score, found: reading.found, crop: reading.crop, frames: reading.frames, meta: video.meta });
      }
      if (n % 50 === 49) log(`read ${n + 1} of ${videos.length} videos`);
    }

    // 4. A sample through the page's own check: the same answer?
    const agreement = { same: 0, total: 0, differing: [] as string[], largestDifference: 0 };
    const sample = [...videos.filter((v) => v.group === 'kinora').slice(0, counts.pageCheck), ...videos.filter((v) => v.group === 'world' || v.group === 'pattern').slice(0, counts.pageCheck)];
    for (const video of sample) {
      for (const transform of ['none', 'crf30', 'crop80']) {
        const file = transformed(video.file, transform);
        const check = await site.page.evaluate(
          (b64) => (globalThis as unknown as { kinora: { check(f: { base64: string; type: string }): Promise<FileCheck> } }).kinora.check({ base64: b64, type: '' }),
          readFileSync(file).toString('base64'),
        );
        const node = readings.find((r) => r.id === video.id && r.transform === transform)!;
        agreement.total++;
        agreement.largestDifference = Math.max(agreement.largestDifference, Math.abs(check.watermark.score - node.score));
        if (check.watermark.found === node.found) agreement.same++;
        else agreement.differing.push(`${video.id} ${transform}: page ${check.watermark.score.toFixed(2)}, Node ${node.score.toFixed(2)}`);
      }
    }

    const results: ReportInputs = { readings, videos, failures, agreement, markCost, bytesAdded, codec, counts, models };
    writeFileSync(join(out, 'results.json'), JSON.stringify(results));
    const report = renderReport(results);
    writeFileSync(join(out, 'report.md'), report);
    console.log(report);
  } finally {
    await site.close();
  }
  return 0;
}

interface ReportInputs {
  readings: Reading[];
  videos: Video[];
  failures: string[];
  agreement: { same: number; total: number; differing: string[]; largestDifference: number };
  markCost: { size: string; firstMs: number; medianMs: number }[];
  bytesAdded: { id: string; unmarked: number; marked: number }[];
  codec: string;
  counts: Record<string, number>;
  models: string[];
}

function renderReport(r: ReportInputs): string {
  const transforms = Object.keys(TRANSFORMS);
  const of = (group: Video['group'], transform: string, filter: (x: Reading) => boolean = () => true) =>
    r.readings.filter((x) => x.group === group && x.transform === transform && filter(x));
  const lines: string[] = [];
  const row = (cells: (string | number)[]) => lines.push(`| ${cells.join(' | ')} |`);
  const isStill = (x: { meta: Record<string, unknown> }) => x.meta.mode === 'still';
  const kinoraCount = r.videos.filter((v) => v.group === 'kinora' && !isStill(v)).length;
  const stillCount = r.videos.filter((v) => v.group === 'kinora' && isStill(v)).length;
  const negatives = r.videos.filter((v) => v.group === 'world' || v.group === 'pattern' || v.group === 'noise');

  lines.push(`Threshold: score ≥ ${WATERMARK_THRESHOLD}; bound on a false positive per file: ${WATERMARK_FALSE_POSITIVE_BOUND.toExponential(1)}.`, '');
  // Videos (2 s, 13–20 frames) and stills (one frame) apart: a still carries a sixteenth of a video's evidence.
  const detectionTable = (keep: (x: Reading) => boolean) => {
    row(['change', 'found', 'rate', 'score: min', '5th pct', 'median']);
    row(['---', '---', '---', '---', '---', '---']);
    for (const t of transforms) {
      const rs = of('kinora', t, keep);
      const scores = rs.map((x) => x.score);
      row([TRANSFORMS[t].label, `${rs.filter((x) => x.found).length} / ${rs.length}`, pct(rs.filter((x) => x.found).length, rs.length), Math.min(...scores).toFixed(1), quantile(scores, 0.05).toFixed(1), median(scores).toFixed(1)]);
    }
    lines.push('');
  };
  lines.push(`### Detection: ${kinoraCount} Kinora videos from the built site`, '');
  detectionTable((x) => !isStill(x));
  lines.push(`### Detection: ${stillCount} Kinora stills (one-frame videos) from the built site`, '');
  detectionTable(isStill);
  const breakdown: [string, (x: Reading) => boolean][] = [
    ['videos (2 s, every mode but still)', (x) => !isStill(x)],
    ['stills (one frame)', isStill],
    ...r.models.map((m): [string, (x: Reading) => boolean] => [`${m}, videos`, (x) => x.meta.model === m && !isStill(x)]),
    ...ASPECTS.map((a): [string, (x: Reading) => boolean] => [`${a}, videos`, (x) => x.meta.aspect === a && !isStill(x)]),
    ...MODES.filter((m, i) => MODES.indexOf(m) === i).map((m): [string, (x: Reading) => boolean] => [`mode ${m}`, (x) => x.meta.mode === m]),
  ];
  lines.push('Found, by kind of video:', '');
  row(['videos', ...transforms.map((t) => TRANSFORMS[t].label)]);
  row(['---', ...transforms.map(() => '---')]);
  for (const [label, keep] of breakdown) {
    row([label, ...transforms.map((t) => {
      const rs = of('kinora', t, keep);
      return `${rs.filter((x) => x.found).length} / ${rs.length}`;
    })]);
  }
  lines.push('');
  const worldMarked = transforms.map((t) => of('world-marked', t)).map((rs, k) => `${TRANSFORMS[transforms[k]].label} ${pct(rs.filter((x) => x.found).length, rs.length)}`);
  lines.push(`World renders marked by the same writer (not site outputs; ${of('world-marked', 'none').length} clips): ${worldMarked.join(', ')}.`, '');

  lines.push(`### False positives: ${negatives.length} videos Kinora never made, through the same encoder (${r.codec})`, '');
  row(['change', 'world renders', 'ffmpeg test patterns', 'fractal noise', 'all', 'highest score']);
  row(['---', '---', '---', '---', '---', '---']);
  for (const t of transforms) {
    const cell = (g: Video['group']) => `${of(g, t, (x) => x.found).length} / ${of(g, t).length}`;
    const all = [...of('world', t), ...of('pattern', t), ...of('noise', t)];
    row([TRANSFORMS[t].label, cell('world'), cell('pattern'), cell('noise'), pct(all.filter((x) => x.found).length, all.length), Math.max(...all.map((x) => x.score)).toFixed(2)]);
  }
  const allNegative = r.readings.filter((x) => x.group === 'world' || x.group === 'pattern' || x.group === 'noise');
  const negativeScores = allNegative.map((x) => x.score);
  lines.push('', `All ${allNegative.length} readings of unmarked videos: ${allNegative.filter((x) => x.found).length} false positives; score median ${median(negativeScores).toFixed(2)}, 99th percentile ${quantile(negativeScores, 0.99).toFixed(2)}, highest ${Math.max(...negativeScores).toFixed(2)}.`, '');

  lines.push('### Cost', '');
  row(['frame size', 'marking a 2-s video (16 frames): first of its size', 'then']);
  row(['---', '---', '---']);
  for (const c of r.markCost) row([c.size, `${c.firstMs.toFixed(2)} ms`, `${c.medianMs.toFixed(2)} ms`]);
  const added = r.bytesAdded.map((b) => b.marked - b.unmarked);
  const relative = r.bytesAdded.map((b) => (b.marked - b.unmarked) / b.unmarked);
  const meanSize = r.bytesAdded.reduce((s, b) => s + b.unmarked, 0) / Math.max(1, r.bytesAdded.length);
  lines.push('', `Bytes added by the mark (the same ${r.bytesAdded.length} world clips through Kinora's writer, ${r.codec}, with and without it): median ${median(added).toFixed(0)} bytes (${(100 * median(relative)).toFixed(1)} %), mean ${(added.reduce((s, v) => s + v, 0) / Math.max(1, added.length)).toFixed(0)} bytes, on files of ${(meanSize / 1024).toFixed(1)} KiB on average.`, '');

  lines.push(
    `Page check (window.kinora.check, the path of the studio and of npm run detect: Chromium's decoder and canvas) against the Node reading (ffmpeg's decoder): ` +
      `the same answer on ${r.agreement.same} of ${r.agreement.total} files; scores differ by at most ${r.agreement.largestDifference.toFixed(2)}` +
      `${r.agreement.differing.length ? `, which tips these across the threshold: ${r.agreement.differing.join('; ')}` : ''}.`,
  );
  if (r.failures.length) lines.push('', `Generations that failed (${r.failures.length}): ${r.failures.join('; ')}`);
  lines.push('', `Run: npm run bench:watermark -- --kinora ${r.counts.kinora} --world ${r.counts.world} --patterns ${r.counts.patterns} --noise ${r.counts.noise}; models ${r.models.join(', ')}.`);
  return lines.join('\n');
}
