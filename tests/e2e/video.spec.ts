// The video module (src/video) in Debian's Chromium: synthetic frames are encoded to MP4 on the
// main thread and in a Web Worker, then checked from outside by ffprobe (frame count, size, rate,
// codec, provenance tags), played back in a <video> element (duration, pixel colours), and read
// back by our own provenance reader; image and clip import are checked with good and bad files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import type { VideoChecksApi } from '../browser/video';

// Served by the Vite dev server over the repo root (the kernels-in-browser project's baseURL).
const PAGE_URL = '/tests/browser/video.html';
const FRAME_COUNT = 16;
const FPS = 8;

let scratch: string;
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'kinora-video-'));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function openChecks(page: Page): Promise<void> {
  await page.goto(PAGE_URL);
  await page.waitForFunction(() => 'kinoraVideoChecks' in globalThis);
}

type Checks = VideoChecksApi['checks'];
type CheckName = keyof Checks;
type CheckResult<K extends CheckName> = Awaited<ReturnType<Checks[K]>>;

/** Runs one check of tests/browser/video.ts in the page, on its main thread or in its Web Worker. */
async function runCheck<K extends CheckName>(page: Page, name: K, args: Parameters<Checks[K]>[0], inWorker = false): Promise<CheckResult<K>> {
  return page.evaluate(
    ([n, a, w]) => {
      const checks = (globalThis as unknown as { kinoraVideoChecks: VideoChecksApi }).kinoraVideoChecks;
      const run = (w ? checks.inWorker : (k: CheckName, x: unknown) => (checks.checks[k] as (x: unknown) => unknown)(x)) as (k: CheckName, x: unknown) => unknown;
      return run(n, a);
    },
    [name, args, inWorker] as const,
  ) as Promise<CheckResult<K>>;
}

async function playInVideoElement(page: Page, args: Parameters<VideoChecksApi['playInVideoElement']>[0]) {
  return page.evaluate((a) => (globalThis as unknown as { kinoraVideoChecks: VideoChecksApi }).kinoraVideoChecks.playInVideoElement(a), args);
}

interface Probe {
  streams: { codec_name: string; width: number; height: number; r_frame_rate: string; nb_read_frames: string; duration: string }[];
  format: { format_name: string; tags: Record<string, string> };
}

function ffprobe(mp4Base64: string, name: string): Probe {
  const file = join(scratch, name);
  writeFileSync(file, Buffer.from(mp4Base64, 'base64'));
  const json = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' });
  return JSON.parse(json) as Probe;
}

function maxChannelError(actual: number[], expected: readonly number[]): number {
  return Math.max(...[0, 1, 2].map((c) => Math.abs(actual[c] - expected[c])));
}

/**
 * Lossy codecs and the RGB → YUV 4:2:0 → RGB round trip move flat colours by a few levels (2 of 255
 * measured in the middle of flat areas); 8 leaves room for other encoders and still fails on a wrong colour.
 */
const COLOUR_TOLERANCE = 8;

const SIZES = [
  [64, 64],
  [112, 64],
  [64, 112],
] as const;

for (const [width, height] of SIZES) {
  for (const where of ['main thread', 'worker'] as const) {
    test(`${width}×${height}: encoded on the ${where}, probed by ffprobe, played in <video>, provenance read back`, async ({ page }) => {
      await openChecks(page);
      const encoded = await runCheck(page, 'encodeSynthetic', { width, height }, where === 'worker');
      if (!encoded.ok) throw new Error(`encoding failed: ${encoded.kind}: ${encoded.message}`);
      // Chromium's H.264 encoder takes these sizes as they are.
      expect(encoded.family).toBe('avc');
      expect(encoded.encoded).toEqual({ width, height, scale: 1 });
      expect(encoded.frameCount).toBe(FRAME_COUNT);

      const probe = ffprobe(encoded.mp4, `${width}x${height}-${where.replace(' ', '-')}.mp4`);
      expect(probe.format.format_name).toContain('mp4');
      expect(probe.streams).toHaveLength(1);
      const [stream] = probe.streams;
      expect(stream.codec_name).toBe('h264');
      expect([stream.width, stream.height]).toEqual([width, height]);
      expect(stream.r_frame_rate).toBe(`${FPS}/1`);
      expect(Number(stream.nb_read_frames)).toBe(FRAME_COUNT);
      expect(Number(stream.duration)).toBeCloseTo(FRAME_COUNT / FPS, 2);

      // Provenance, as ffprobe sees the tags and as our reader parses them.
      const written = encoded.provenanceWritten;
      const tags = probe.format.tags;
      expect(tags.title).toBe(written.prompt);
      expect(tags.encoder).toBe(`Kinora ${written.generatorVersion}`);
      expect(tags.date).toBe('2026-11-23T10:00:00.000Z');
      expect(tags.description).toContain('kinora-test');
      expect(tags.description).toContain(written.model.sha256);
      expect(JSON.parse(tags.comment)).toEqual(written);
      expect(encoded.provenanceRead).toEqual(written);
      expect(written).toMatchObject({
        generator: 'Kinora',
        model: { id: 'kinora-test', sha256: '5f'.repeat(32) },
        seed: 1234,
        settings: { steps: 8, guidance: 3.5, aspect: '1:1', seconds: 2 },
        createdAt: '2026-11-23T10:00:00.000Z',
        encoding: { codec: encoded.codec, fps: FPS, frameWidth: width, frameHeight: height, upscale: 1 },
      });

      // Chromium plays it, and the pixels are the synthetic frames' within the tolerance.
      const played = await playInVideoElement(page, { mp4: encoded.mp4, frameWidth: width, frameHeight: height, frames: [0, 7, 15] });
      if (!played.ok) throw new Error(played.message);
      expect(played.duration).toBeCloseTo(FRAME_COUNT / FPS, 1);
      expect([played.videoWidth, played.videoHeight]).toEqual([width, height]);
      for (const sample of played.samples) {
        expect(maxChannelError(sample.square.actual, sample.square.expected), `square, frame ${sample.index}`).toBeLessThanOrEqual(COLOUR_TOLERANCE);
        expect(maxChannelError(sample.background.actual, sample.background.expected), `background, frame ${sample.index}`).toBeLessThanOrEqual(COLOUR_TOLERANCE);
      }
    });
  }
}

test('an 8×8 video with H.264 only is enlarged 32× by nearest neighbour, and says so', async ({ page }) => {
  await openChecks(page);
  // Chromium's H.264 encoder refuses sides under 16 px, so the writer must fall back to 256×256.
  const encoded = await runCheck(page, 'encodeSynthetic', { width: 8, height: 8, codecs: ['avc'] });
  if (!encoded.ok) throw new Error(`${encoded.kind}: ${encoded.message}`);
  expect(encoded.encoded).toEqual({ width: 256, height: 256, scale: 32 });
  const probe = ffprobe(encoded.mp4, 'enlarged.mp4');
  expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 256, height: 256, nb_read_frames: String(FRAME_COUNT) });
  expect(encoded.provenanceRead?.encoding).toMatchObject({ frameWidth: 8, frameHeight: 8, upscale: 32 });
  expect(probe.format.tags.description).toContain('enlarged 32× (nearest neighbour)');

  const played = await playInVideoElement(page, { mp4: encoded.mp4, frameWidth: 8, frameHeight: 8, frames: [0, 15] });
  if (!played.ok) throw new Error(played.message);
  for (const sample of played.samples) {
    expect(maxChannelError(sample.square.actual, sample.square.expected)).toBeLessThanOrEqual(COLOUR_TOLERANCE);
    expect(maxChannelError(sample.background.actual, sample.background.expected)).toBeLessThanOrEqual(COLOUR_TOLERANCE);
  }
});

for (const [family, ffprobeName] of [
  ['vp9', 'vp9'],
  ['av1', 'av1'],
] as const) {
  test(`where H.264 is missing, ${family} is written into the MP4 and plays`, async ({ page }) => {
    await openChecks(page);
    const encoded = await runCheck(page, 'encodeSynthetic', { width: 112, height: 64, codecs: [family] }, true);
    if (!encoded.ok) throw new Error(`${encoded.kind}: ${encoded.message}`);
    expect(encoded.family).toBe(family);
    const probe = ffprobe(encoded.mp4, `${family}.mp4`);
    expect(probe.streams[0]).toMatchObject({ codec_name: ffprobeName, width: 112, height: 64, r_frame_rate: `${FPS}/1` });
    expect(Number(probe.streams[0].nb_read_frames)).toBe(FRAME_COUNT);
    expect(encoded.provenanceRead).toEqual(encoded.provenanceWritten);
    const played = await playInVideoElement(page, { mp4: encoded.mp4, frameWidth: 112, frameHeight: 64, frames: [3] });
    if (!played.ok) throw new Error(played.message);
    expect(played.duration).toBeCloseTo(FRAME_COUNT / FPS, 1);
    const [sample] = played.samples;
    expect(maxChannelError(sample.square.actual, sample.square.expected)).toBeLessThanOrEqual(COLOUR_TOLERANCE);
  });
}

test('an MP4 that Kinora did not write has no provenance, and a non-MP4 is refused', async ({ page }) => {
  await openChecks(page);
  const foreign = join(scratch, 'foreign.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=8:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', foreign]);
  const mp4 = readFileSync(foreign).toString('base64');
  expect(await runCheck(page, 'readProvenanceOf', { mp4 })).toEqual({ ok: true, provenance: null });
  const notMp4 = Buffer.from('RIFF....WEBPVP8 not a video at all').toString('base64');
  expect(await runCheck(page, 'readProvenanceOf', { mp4: notMp4 })).toMatchObject({ ok: false, kind: 'not-a-video' });
  // A clip made elsewhere (x264 via FFmpeg) imports too.
  const clip = await runCheck(page, 'importClipCase', { name: 'mp4', mp4, width: 32, height: 32, fps: 8, maxFrames: 4, from: 'start' });
  if (!clip.ok) throw new Error(`${clip.kind}: ${clip.message}`);
  expect(clip.source).toMatchObject({ codec: 'avc', width: 96, height: 64 });
  expect(clip.frames).toHaveLength(4);
});

for (const where of ['main thread', 'worker'] as const) {
  test(`image import on the ${where}: PNG, JPEG and WebP are cut to the target aspect, EXIF-rotated and alpha kept; bad files get clear errors`, async ({ page }) => {
    await openChecks(page);
    const inWorker = where === 'worker';
    for (const name of ['png', 'jpeg', 'webp'] as const) {
      const image = await runCheck(page, 'importImageCase', { name, width: 64, height: 64 }, inWorker);
      if (!image.ok) throw new Error(`${name}: ${image.kind}: ${image.message}`);
      expect(image.source).toEqual({ format: name, width: 300, height: 150 });
      expect([image.width, image.height, image.bytes]).toEqual([64, 64, 64 * 64 * 4]);
      // The 2:1 picture's side bands are cut away, so its centre colour fills the square frame;
      // JPEG and lossy WebP shift flat colours a little more than video (chroma at 1/4 resolution).
      for (const [at, colour] of Object.entries(image.samples)) {
        expect(maxChannelError(colour, image.expected), `${name} ${at}`).toBeLessThanOrEqual(COLOUR_TOLERANCE);
      }
    }

    // Shown upright (EXIF orientation 6), the picture is 150×300 with its bands at top and bottom:
    // at 64×128 nothing is cropped, so the top is band-coloured. Ignoring EXIF would give the centre colour there.
    const rotated = await runCheck(page, 'importImageCase', { name: 'exif-rotated-jpeg', width: 64, height: 128 }, inWorker);
    if (!rotated.ok) throw new Error(`${rotated.kind}: ${rotated.message}`);
    expect(rotated.source).toEqual({ format: 'jpeg', width: 300, height: 150 });
    expect(maxChannelError(rotated.samples.top, rotated.bands)).toBeLessThanOrEqual(COLOUR_TOLERANCE);
    expect(maxChannelError(rotated.samples.centre, rotated.expected)).toBeLessThanOrEqual(COLOUR_TOLERANCE);

    // Alpha is kept, and the colour is not darkened by premultiplication.
    const translucent = await runCheck(page, 'importImageCase', { name: 'translucent-png', width: 64, height: 64 }, inWorker);
    if (!translucent.ok) throw new Error(`${translucent.kind}: ${translucent.message}`);
    expect(Math.abs(translucent.samples.centre[3] - 128)).toBeLessThanOrEqual(1);
    expect(maxChannelError(translucent.samples.centre, translucent.expected)).toBeLessThanOrEqual(COLOUR_TOLERANCE);

    const refused: Record<string, string> = {
      empty: 'empty-file',
      text: 'not-an-image',
      'huge-png': 'image-too-large',
      'truncated-png': 'corrupt-image',
    };
    for (const [name, kind] of Object.entries(refused)) {
      const result = await runCheck(page, 'importImageCase', { name: name as 'empty', width: 64, height: 64 }, inWorker);
      expect(result, name).toMatchObject({ ok: false, name: 'MediaInputError', kind });
    }
    const huge = await runCheck(page, 'importImageCase', { name: 'huge-png', width: 64, height: 64 }, inWorker);
    expect(huge.ok === false && huge.message).toContain('10000×10000');
  });
}

for (const where of ['main thread', 'worker'] as const) {
  test(`clip import on the ${where}: frames at the model's size and rate from either end; bad files get clear errors`, async ({ page }) => {
    await openChecks(page);
    const inWorker = where === 'worker';
    const encoded = await runCheck(page, 'encodeSynthetic', { width: 112, height: 64 });
    if (!encoded.ok) throw new Error(`${encoded.kind}: ${encoded.message}`);
    const mp4 = encoded.mp4;

    // 8 fps in, 4 fps out: every second frame. The 112×64 clip is cut to 64×64 around its centre.
    const first = await runCheck(page, 'importClipCase', { name: 'mp4', mp4, width: 32, height: 32, fps: 4, maxFrames: 3, from: 'start' }, inWorker);
    if (!first.ok) throw new Error(`${first.kind}: ${first.message}`);
    expect(first.source).toMatchObject({ codec: 'avc', width: 112, height: 64 });
    expect(first.source.duration).toBeCloseTo(2, 2);
    expect(first.timestamps).toEqual([0, 0.25, 0.5]);
    expect(first.frames).toEqual(Array(3).fill({ width: 32, height: 32, bytes: 32 * 32 * 4 }));
    // At the start the square sits in the top-left corner, so the cropped frame's corner is square-coloured.
    expect(maxChannelError(first.corners[0], [232, 176, 48])).toBeLessThanOrEqual(COLOUR_TOLERANCE);

    const last = await runCheck(page, 'importClipCase', { name: 'mp4', mp4, width: 32, height: 32, fps: 8, maxFrames: 4, from: 'end' }, inWorker);
    if (!last.ok) throw new Error(`${last.kind}: ${last.message}`);
    expect(last.timestamps).toEqual([1.5, 1.625, 1.75, 1.875]);
    // At the end the square has left the top-left corner: background there.
    expect(maxChannelError(last.corners[3], [24, 40, 96])).toBeLessThanOrEqual(COLOUR_TOLERANCE);

    const all = await runCheck(page, 'importClipCase', { name: 'mp4', mp4, width: 64, height: 64, fps: 8, maxFrames: 100, from: 'start' }, inWorker);
    expect(all.ok && all.frames.length).toBe(FRAME_COUNT);

    const refused: Record<string, string> = {
      empty: 'empty-file',
      png: 'not-a-video',
      'garbled-mp4': 'corrupt-video',
      'truncated-mp4': 'corrupt-video',
    };
    for (const [name, kind] of Object.entries(refused)) {
      const result = await runCheck(page, 'importClipCase', { name: name as 'empty', mp4, width: 32, height: 32, fps: 8, maxFrames: 16, from: 'start' }, inWorker);
      expect(result, name).toMatchObject({ ok: false, name: 'MediaInputError', kind });
    }
  });
}

test('clips made elsewhere that cannot be used are refused before decoding, with their reason', async ({ page }) => {
  await openChecks(page);
  const make = (name: string, args: string[]) => {
    const file = join(scratch, name);
    execFileSync('ffmpeg', ['-v', 'error', ...args, '-y', file]);
    return readFileSync(file).toString('base64');
  };
  const cases = {
    'no-video-track': make('sound-only.mp4', ['-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac']),
    // One black frame larger than 4096×2304: refused from the container's numbers alone.
    'video-too-large': make('huge.mp4', ['-f', 'lavfi', '-i', 'color=size=4608x2592:rate=1:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast']),
    // MPEG-4 Part 2, which WebCodecs does not decode.
    'unsupported-codec': make('mpeg4.mp4', ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=8:duration=0.5', '-c:v', 'mpeg4']),
  };
  for (const [kind, mp4] of Object.entries(cases)) {
    const result = await runCheck(page, 'importClipCase', { name: 'mp4', mp4, width: 32, height: 32, fps: 8, maxFrames: 4, from: 'start' }, true);
    expect(result, kind).toMatchObject({ ok: false, name: 'MediaInputError', kind });
  }
});

test('the writer refuses frames of the wrong size, empty videos and sizes no encoder takes', async ({ page }) => {
  await openChecks(page);
  const reports = await runCheck(page, 'encodeMisuse', undefined, true);
  expect(reports['wrong-size-frame']).toMatchObject({ ok: false, name: 'VideoEncodeError', kind: 'bad-frame' });
  expect(reports['no-frames']).toMatchObject({ ok: false, kind: 'no-frames' });
  expect(reports['too-large-for-h264']).toMatchObject({ ok: false, kind: 'no-supported-codec' });
});
