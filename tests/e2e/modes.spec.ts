// Sora's modes in Chromium, through the page's automation door and the studio, on both test models:
// v1's tiny (format 1, 64 px) and tiny-v2 (format 2: causal latent frames, 128 px, its counts fitted
// to whole latent frames: a clip before new frames keeps 1 + 4k frames, new frames before one come
// in fours, connect leaves out its held last image's copies). The frames the user gives must really
// appear in the output (compared decoded, by PSNR; MP4 is lossy), a long video is made window by
// window, and bad files get a clear message and lose nothing.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInPage } from '../../scripts/page-generate';
import type { AutomationRequest } from '../../src/app/automation';

const dir = mkdtempSync(join(tmpdir(), 'kinora-modes-'));
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { maxBuffer: 1 << 28 });

/** A 2×2 colour grid, 200×200: survives cropping and scaling, easy to recognise. */
function quadImage(name: string, colours: [string, string, string, string]): string {
  const path = join(dir, name);
  const [a, b, c, d] = colours;
  ffmpeg('-f', 'lavfi', '-i', `color=c=${a}:s=100x100[a];color=c=${b}:s=100x100[b];color=c=${c}:s=100x100[c];color=c=${d}:s=100x100[d];[a][b]hstack[t];[c][d]hstack[u];[t][u]vstack`, '-frames:v', '1', path);
  return path;
}

/** What the tests expect of each model (its side at 1:1, and the frame counts its latent frames give). */
const MODELS = [
  { id: 'tiny', side: 64, extendKeeps: 8, extendBefore: 8, loopFrames: 20, storyboardFrames: 48 },
  // 8 frames of clip keep 5 (1 + 4); 1 s before a clip is 8 frames (two latent frames);
  // a 2 s loop adds a 3-frame bridge (4k − 9); shots of 2 s are 17, then 16 frames.
  { id: 'tiny-v2', side: 128, extendKeeps: 5, extendBefore: 8, loopFrames: 19, storyboardFrames: 49 },
] as const;

/** Decoded RGB of every frame, each frame width×height×3 bytes. */
function framesOf(mp4: string, width = 64, height = 64): Buffer[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', mp4, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  const size = width * height * 3;
  return Array.from({ length: raw.length / size }, (_, i) => raw.subarray(i * size, (i + 1) * size));
}

/** The image fitted as the app fits it (centre crop to square, scaled to side×side), decoded to RGB. */
function fitted(image: string, side = 64): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', image, '-vf', `crop=min(iw\\,ih):min(iw\\,ih),scale=${side}:${side}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
}

function psnr(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

const file = (path: string, type: string) => ({ base64: readFileSync(path).toString('base64'), type });

async function generate(page: Page, request: Partial<AutomationRequest>, modelId = 'tiny'): Promise<{ path: string; frameCount: number }> {
  const result = await generateInPage(page, { prompt: 'a red ball bounces', seconds: 1, aspect: '1:1', seed: 3, steps: 2, modelId, backend: 'wasm', ...request });
  const path = join(dir, `out-${Math.random().toString(36).slice(2)}.mp4`);
  writeFileSync(path, Buffer.from(result.videoBase64, 'base64'));
  return { path, frameCount: result.frameCount };
}

/** Makes `modelId` the studio's model (the settings it remembers) and reloads. */
async function chooseModel(page: Page, modelId: string): Promise<void> {
  await page.evaluate((modelId) => {
    const key = 'kinora.settings.v1';
    localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key) ?? '{}'), modelId }));
  }, modelId);
  await page.reload();
  await page.waitForFunction(() => 'kinora' in globalThis);
}

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await page.waitForFunction(() => 'kinora' in globalThis);
});

for (const model of MODELS) {
test.describe(model.id, () => {
test('animate an image: the image is the first frame', async ({ page }) => {
  const image = quadImage('start.png', ['red', 'blue', 'yellow', 'green']);
  const out = await generate(page, { seconds: 1, mode: { kind: 'image', image: file(image, 'image/png') } }, model.id);
  const frames = framesOf(out.path, model.side, model.side);
  expect(frames).toHaveLength(8);
  expect(psnr(frames[0], fitted(image, model.side))).toBeGreaterThan(25);
});

test('extend a clip forwards and backwards: the clip is kept and new frames are added on the right side', async ({ page }) => {
  const first = await generate(page, { seconds: 1 }, model.id);
  const clip = framesOf(first.path, model.side, model.side);
  const keeps = model.extendKeeps;
  const forward = await generate(page, { seconds: 1, mode: { kind: 'extend', clip: file(first.path, 'video/mp4'), direction: 'forward' } }, model.id);
  const f = framesOf(forward.path, model.side, model.side);
  expect(f).toHaveLength(keeps + 8);
  for (let i = 0; i < keeps; i++) expect(psnr(f[i], clip[8 - keeps + i])).toBeGreaterThan(30); // the clip's last frames

  const backward = await generate(page, { seconds: 1, mode: { kind: 'extend', clip: file(first.path, 'video/mp4'), direction: 'backward' } }, model.id);
  const b = framesOf(backward.path, model.side, model.side);
  expect(b).toHaveLength(model.extendBefore + keeps);
  for (let i = 0; i < keeps; i++) expect(psnr(b[model.extendBefore + i], clip[i])).toBeGreaterThan(30); // its first frames
});

test('connect two images: the video opens on the first and ends on the last', async ({ page }) => {
  const a = quadImage('a.png', ['red', 'red', 'blue', 'blue']);
  const z = quadImage('z.png', ['yellow', 'green', 'yellow', 'green']);
  const out = await generate(page, { seconds: 1, mode: { kind: 'connect', first: file(a, 'image/png'), last: file(z, 'image/png') } }, model.id);
  const frames = framesOf(out.path, model.side, model.side);
  expect(frames.length).toBe(out.frameCount);
  expect(psnr(frames[0], fitted(a, model.side))).toBeGreaterThan(25);
  expect(psnr(frames[frames.length - 1], fitted(z, model.side))).toBeGreaterThan(25);
  // And they are not the same picture: the check above can tell them apart.
  expect(psnr(frames[0], fitted(z, model.side))).toBeLessThan(15);
});

});
}

for (const model of MODELS) {
test(`a 60-second video is made window by window (${model.id})`, async ({ page }) => {
  // tiny-v2: 121 latent frames in 30 windows of 5, decoded to 481 frames and cut to 480
  const out = await generate(page, { seconds: 60, steps: 1 }, model.id);
  expect(out.frameCount).toBe(480);
  const probe = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', out.path]).toString().trim();
  expect(Number(probe)).toBe(480);
});
}

for (const model of MODELS) {
test.describe(model.id, () => {
test('frames stream to the page in order, from the start, while later windows are still made', async ({ page }) => {
  type Event = { message: string; ready?: { count: number; total: number } };
  const run = async (request: Partial<AutomationRequest>) => {
    const events: Event[] = [];
    const name = `progress${Math.random().toString(36).slice(2)}`;
    await page.exposeFunction(name, (e: Event) => events.push(e));
    const result = await generateInPage(page, { prompt: 'a red ball bounces', seconds: 1, aspect: '1:1', seed: 3, steps: 2, modelId: model.id, backend: 'wasm', ...request }, name);
    const counts = events.flatMap((e) => (e.ready ? [e.ready.count] : []));
    return { result, events, counts, totals: new Set(events.flatMap((e) => (e.ready ? [e.ready.total] : []))) };
  };

  const long = await run({ seconds: 8 });
  expect(long.result.frameCount).toBe(64);
  expect([...long.totals]).toEqual([64]);
  expect(long.counts.at(-1)).toBe(64);
  for (let i = 1; i < long.counts.length; i++) expect(long.counts[i]).toBeGreaterThan(long.counts[i - 1]);
  expect(long.counts.length).toBeGreaterThan(2);
  // The first frames were ready before the last window was denoised.
  const firstReady = long.events.findIndex((e) => e.ready);
  const lastDenoise = long.events.map((e) => e.message.startsWith('Denoising')).lastIndexOf(true);
  expect(firstReady).toBeLessThan(lastDenoise);

  // A backward extension makes the start last: nothing streams until it exists, then all of it.
  const clip = await generate(page, { seconds: 1 }, model.id);
  const backward = await run({ seconds: 1, mode: { kind: 'extend', clip: file(clip.path, 'video/mp4'), direction: 'backward' } });
  expect(backward.counts).toEqual([model.extendBefore + model.extendKeeps]);
});

});
}

test('bad files get a clear message in the studio and lose nothing', async ({ page }) => {
  ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=10000x10000', '-frames:v', '1', join(dir, 'huge.png'));
  writeFileSync(join(dir, 'notes.png'), 'this is text, not an image');
  writeFileSync(join(dir, 'empty.png'), '');
  writeFileSync(join(dir, 'broken.mp4'), Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(400, 7)]));
  await page.getByTestId('prompt').fill('a red ball bounces');
  const cases: [string, string, RegExp][] = [
    ['image', 'huge.png', /This image is 10000×10000 pixels; .*Scale it down first/],
    ['image', 'notes.png', /This file is not a PNG, JPEG or WebP image/],
    ['image', 'empty.png', /This file is empty \(0 bytes\)/],
    ['extend', 'broken.mp4', /This clip looks damaged: it could not be read to the end/],
  ];
  for (const [mode, name, message] of cases) {
    await page.getByTestId(`mode-${mode}`).check({ force: true });
    await page.getByTestId(mode === 'image' ? 'drop-image' : 'drop-clip').setInputFiles(join(dir, name));
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('error')).toContainText(message, { timeout: 60_000 });
    await expect(page.getByTestId('prompt')).toHaveValue('a red ball bounces');
  }
  // Nothing was lost: after the errors, a good image still makes a video.
  await page.getByTestId('mode-image').check({ force: true });
  await page.getByTestId('drop-image').setInputFiles(quadImage('ok.png', ['red', 'blue', 'yellow', 'green']));
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 120_000 });
});

for (const model of MODELS) {
test.describe(model.id, () => {
test('a loop appends a bridge made between its last and its first frames', async ({ page }) => {
  const out = await generate(page, { prompt: 'a yellow star spins', seconds: 2, mode: { kind: 'loop' } }, model.id);
  // 16 frames of clip + a bridge made between its last and first frames (4 frames; tiny-v2: 3).
  expect(out.frameCount).toBe(model.loopFrames);
  expect(framesOf(out.path, model.side, model.side)).toHaveLength(model.loopFrames);
});

test('a storyboard makes its shots in order, each continuing the last, in the studio', async ({ page }) => {
  if (model.id !== 'tiny') await chooseModel(page, model.id);
  await page.getByTestId('mode-storyboard').check({ force: true });
  await page.getByTestId('shot-prompt-0').fill('a red ball moves to the right');
  await page.getByTestId('shot-prompt-1').fill('the red ball bounces');
  await page.getByTestId('add-shot').click();
  await page.getByTestId('shot-prompt-2').fill('the red ball shrinks');
  await page.getByTestId('settings-summary').click();
  await page.getByTestId('steps').selectOption('4');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('progress-message')).toContainText('Shot 3 of 3', { timeout: 120_000 });
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 120_000 });
  // 3 shots of 2 s at 8 fps (tiny-v2: 17 + 16 + 16, whole latent frames).
  await expect(page.getByTestId('result-facts')).toContainText(`${model.storyboardFrames} frames`);
});

test('re-imagine a clip: a low strength stays near the original, full strength does not', async ({ page }) => {
  const source = await generate(page, { seconds: 1 }, model.id);
  const original = framesOf(source.path, model.side, model.side);
  const similarity = async (strength: number) => {
    const out = await generate(page, { seconds: 1, seed: 8, prompt: 'a blue star spins', mode: { kind: 'edit', clip: file(source.path, 'video/mp4'), strength } }, model.id);
    const frames = framesOf(out.path, model.side, model.side);
    expect(frames).toHaveLength(8);
    return frames.reduce((sum, f, i) => sum + psnr(f, original[i]), 0) / frames.length;
  };
  const light = await similarity(0.1);
  const full = await similarity(1);
  expect(light).toBeGreaterThan(full + 3);
  expect(light).toBeGreaterThan(22);
});

test('a still image is a one-frame video', async ({ page }) => {
  const out = await generate(page, { seconds: 0.125 }, model.id);
  expect(out.frameCount).toBe(1);
  expect(framesOf(out.path, model.side, model.side)).toHaveLength(1);
});
});
}
