// The result's other downloads in the built studio: a video made with the tiny test model is
// downloaded as WebM, as an animated GIF, as a GIF and a WebM enlarged 2× (crisp and smooth) and
// as an MP4 enlarged 2×; ffprobe (Debian's ffmpeg) reads each file's codec, size and frame count,
// and its metadata record. The watermark is read back by the project's own detector: in the page
// (window.kinora.check) for the WebM and the MP4, and in Node on the GIF's frames as ffmpeg
// decodes them (the checker reads no GIF files).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import type { FileCheck } from '../../src/provenance/detect';
import type { C2paChecksApi } from '../browser/c2pa';
import { KERNEL_PAGE_ORIGIN } from '../../playwright.config';
import { detectWatermark } from '../../src/video/watermark-detect';
import type { RgbaFrame } from '../../src/video/rgba-frame';

const SEED = 4321;
/** 1 s at the tiny model's 8 fps. */
const SECONDS = 1;

interface Probe {
  streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[];
  format: { format_name: string; tags?: Record<string, string> };
}

let scratch: string;
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'kinora-downloads-'));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ffprobe(file: string): Probe {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' })) as Probe;
}

/** The file's frames as ffmpeg decodes them, RGBA. */
function decodedFrames(file: string, width: number, height: number): RgbaFrame[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { maxBuffer: 256 * 1024 * 1024 });
  const bytes = width * height * 4;
  return Array.from({ length: raw.length / bytes }, (_, i) => ({ width, height, data: new Uint8Array(raw.subarray(i * bytes, (i + 1) * bytes)) }));
}

/** Clicks a download control and keeps the file; returns its path and suggested name. */
async function download(page: Page, testId: string): Promise<{ path: string; name: string }> {
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByTestId(testId).click();
  const file = await downloading;
  const path = join(scratch, file.suggestedFilename());
  await file.saveAs(path);
  return { path, name: file.suggestedFilename() };
}

async function checkInPage(page: Page, path: string, type: string): Promise<FileCheck> {
  return page.evaluate(
    ([base64, mime]) => {
      const kinora = (globalThis as unknown as { kinora: { check(f: { base64: string; type: string }): Promise<FileCheck> } }).kinora;
      return kinora.check({ base64, type: mime });
    },
    [readFileSync(path).toString('base64'), type] as const,
  );
}

test('a video downloads as WebM, as a looping GIF and enlarged 2×, each with its frames, size and record', async ({ page, context }) => {
  await page.addInitScript(([seed, seconds]) => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds, aspect: '1:1', steps: 2, guidance: null, seed, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  }, [SEED, SECONDS]);
  await page.goto('./');
  await page.getByTestId('prompt').fill('a red ball bounces on the grass');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  const frames = Number((await page.getByTestId('result-facts').innerText()).match(/(\d+) frames at 8 fps/)![1]);
  expect(frames).toBe(8);
  // What each format carries is said where it is offered.
  await expect(page.getByTestId('download-carries')).toContainText('No Content Credentials: the C2PA SDK cannot write them into WebM');

  // WebM: VP9 here (Chromium encodes it), every frame at the model's 64×64, the record in Matroska tags.
  const webm = await download(page, 'download-webm');
  expect(webm.name).toBe(`kinora-video-${SEED}.webm`);
  const webmProbe = ffprobe(webm.path);
  expect(webmProbe.format.format_name).toContain('webm');
  expect(webmProbe.streams[0]).toMatchObject({ codec_name: 'vp9', width: 64, height: 64, nb_read_frames: String(frames) });
  // Mediabunny writes the tags for the whole file (TargetType MOVIE), which ffprobe names MOVIE/COMMENT and so on.
  const webmTags = Object.fromEntries(Object.entries(webmProbe.format.tags ?? {}).map(([k, v]) => [k.replace(/^MOVIE\//, '').toLowerCase(), v]));
  const webmRecord = JSON.parse(webmTags.comment);
  expect(webmRecord).toMatchObject({ schema: 'kinora-provenance/1', generator: 'Kinora', model: { id: 'tiny' }, seed: SEED, copy: { format: 'webm', enlarged: { factor: 1 } } });
  expect(webmRecord).not.toHaveProperty('prompt'); // kept out of the file, as in the MP4
  expect(webmTags.description).toContain('This WebM is a copy made from Kinora\'s MP4 on download');
  // The watermark is in the pixels: the studio's checker finds it in the WebM (there is no C2PA manifest to find).
  const webmCheck = await checkInPage(page, webm.path, 'video/webm');
  expect(webmCheck.watermark.found).toBe(true);
  expect(webmCheck.c2pa.state).toBe('absent');
  console.log(`watermark score: WebM ${webmCheck.watermark.score.toFixed(1)}`);

  // GIF: every frame, looping forever (the NETSCAPE2.0 extension with a count of 0), the record in a comment.
  const gif = await download(page, 'download-gif');
  expect(gif.name).toBe(`kinora-video-${SEED}.gif`);
  const gifProbe = ffprobe(gif.path);
  expect(gifProbe.streams[0]).toMatchObject({ codec_name: 'gif', width: 64, height: 64, nb_read_frames: String(frames) });
  const gifBytes = readFileSync(gif.path);
  expect(gifBytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  expect(gifBytes.includes(Buffer.from([...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0]))).toBe(true);
  expect(JSON.parse(gifProbe.format.tags!.comment)).toMatchObject({ schema: 'kinora-provenance/1', model: { id: 'tiny' }, seed: SEED, copy: { format: 'gif' } });
  // Signed like the MP4, in C2PA's GIF binding: the CAI's SDK on another origin (no key of this device) finds it valid.
  const checker = await context.newPage();
  await checker.goto(`${KERNEL_PAGE_ORIGIN}/tests/browser/c2pa.html`);
  await checker.waitForFunction(() => 'kinoraC2paChecks' in globalThis);
  const gifVerdict = await checker.evaluate(
    (base64) => (globalThis as unknown as { kinoraC2paChecks: C2paChecksApi }).kinoraC2paChecks.checks.verify({ mp4: base64, mimeType: 'image/gif' }),
    gifBytes.toString('base64'),
  );
  expect(gifVerdict).toMatchObject({ state: 'valid', signer: 'another-device', facts: { generator: 'Kinora', modelId: 'tiny', mode: 'text' } });
  await checker.close();
  // 256 colours keep the watermark: the detector finds it in the frames ffmpeg decodes from the GIF.
  const gifReading = detectWatermark(decodedFrames(gif.path, 64, 64));
  console.log(`watermark score: GIF ${gifReading.score.toFixed(1)} (threshold ${gifReading.threshold})`);
  expect(gifReading.found).toBe(true);

  // 2×, crisp: a GIF of 128×128 whose pixels come in 2×2 blocks, and a smooth WebM of 128×128.
  await page.getByTestId('download-size').selectOption('2');
  const gif2 = await download(page, 'download-gif');
  expect(gif2.name).toBe(`kinora-video-${SEED}-2x.gif`);
  expect(ffprobe(gif2.path).streams[0]).toMatchObject({ codec_name: 'gif', width: 128, height: 128, nb_read_frames: String(frames) });
  const [first] = decodedFrames(gif2.path, 128, 128);
  for (const [x, y] of [[0, 0], [40, 64], [126, 90]]) {
    const at = (dx: number, dy: number) => Array.from(first.data.subarray(((y + dy) * 128 + x + dx) * 4, ((y + dy) * 128 + x + dx) * 4 + 4));
    expect(at(1, 1)).toEqual(at(0, 0));
  }
  const gif2Reading = detectWatermark(decodedFrames(gif2.path, 128, 128));
  console.log(`watermark score: GIF 2× ${gif2Reading.score.toFixed(1)}`);
  expect(gif2Reading.found).toBe(true);

  await page.getByTestId('download-resample').selectOption('smooth');
  const webm2 = await download(page, 'download-webm');
  expect(webm2.name).toBe(`kinora-video-${SEED}-2x-smooth.webm`);
  expect(ffprobe(webm2.path).streams[0]).toMatchObject({ codec_name: 'vp9', width: 128, height: 128, nb_read_frames: String(frames) });

  // An enlarged MP4 is a new file, signed anew on this device, and still watermarked.
  await page.getByTestId('download-resample').selectOption('nearest');
  const mp4 = await download(page, 'download');
  expect(mp4.name).toBe(`kinora-video-${SEED}-2x.mp4`);
  expect(ffprobe(mp4.path).streams[0]).toMatchObject({ width: 128, height: 128, nb_read_frames: String(frames) });
  const mp4Check = await checkInPage(page, mp4.path, 'video/mp4');
  expect(mp4Check.headline).toBe('Made by Kinora');
  expect(mp4Check.signer).toBe('this-device');
  await expect(page.getByTestId('download-problem')).toHaveCount(0);
});
