// A person's path through the studio on the built site with the shipped tiny test model:
// prompt → progress → a video that plays → download → gallery across a reload; and cancel.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

const PROMPT = 'a red ball bounces on the grass under a blue sky';

/** Picks the tiny test model and few steps (many for a run that must still be going when cancelled). */
async function fastSettings(page: Page, steps = 4, seconds = 1) {
  await page.addInitScript(([steps, seconds]) => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds, aspect: '1:1', steps, guidance: null, seed: 1234, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  }, [steps, seconds]);
}

test('a prompt becomes a video that plays, downloads as MP4 and stays in the gallery', async ({ page }) => {
  await fastSettings(page);
  await page.goto('./');
  await expect(page.getByTestId('estimate')).toHaveText('The first video measures how fast this device is');
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('progress')).toBeVisible();

  const player = page.getByTestId('player');
  await expect(player).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('result-seed')).toHaveText('1234');
  // Now the page knows this device's speed and says how long the next video will take.
  await expect(page.getByTestId('estimate')).toContainText(/^Takes (a second or two|about \d+ (s|min)) on this device$/);
  // The video element decodes it: metadata loads and it has the frames' duration.
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const duration = await player.evaluate((v: HTMLVideoElement) => v.duration);
  expect(duration).toBeGreaterThan(0.5);
  expect(duration).toBeLessThan(1.5);

  // Frame by frame: the player pauses and moves one frame (1/8 s) at a time.
  await page.getByTestId('frame-next').click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  // Where the loop was when it paused depends on this machine's speed (at the last frame there is
  // no next one), so the person scrubs to frame 2 first, then steps forward and back.
  await player.evaluate((v: HTMLVideoElement) => { v.currentTime = 2.5 / 8; });
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(2.5 / 8, 3);
  await page.getByTestId('frame-next').click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(3.5 / 8, 3);
  await page.getByTestId('frame-back').click();
  await page.getByTestId('frame-back').click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(1.5 / 8, 3);
  expect(await player.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  // The last frame is reachable, and Frame ▶ stays on it (it neither wraps nor leaves the video).
  const frames = Number((await page.getByTestId('result-facts').innerText()).match(/(\d+) frames at 8 fps/)![1]);
  await player.evaluate((v: HTMLVideoElement, n) => { v.currentTime = (n - 1.5) / 8; }, frames);
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo((frames - 1.5) / 8, 3);
  await page.getByTestId('frame-next').click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo((frames - 0.5) / 8, 3);
  await page.getByTestId('frame-next').click();
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 3_000 }).toBeCloseTo((frames - 0.5) / 8, 3);

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('kinora-video-1234.mp4'); // the prompt is not in the file by default, nor in its name
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');

  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item')).toContainText(PROMPT);
});

test('cancel stops a generation and the next one still works', async ({ page }) => {
  // The most steps a request may have (request-validation.ts) over a whole minute of video: still denoising when Cancel lands.
  await fastSettings(page, 100, 60);
  await page.goto('./');
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  // Wait until denoising has begun (the model is loaded), then cancel.
  await expect(page.getByTestId('progress-message')).toContainText('Denoising', { timeout: 120_000 });
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('progress')).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('result')).toHaveCount(0);
  await expect(page.getByTestId('error')).toHaveCount(0);

  await page.getByTestId('settings-summary').click();
  await page.getByTestId('steps').selectOption('4');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
});

test('a prompt with no word the model knows gets a clear message', async ({ page }) => {
  await fastSettings(page);
  await page.goto('./');
  await page.getByTestId('prompt').fill('zzzq xylophone');
  await page.getByTestId('generate').click();
  const error = page.getByTestId('error');
  await expect(error).toContainText('Kinora cannot make this', { timeout: 120_000 });
  await expect(error).toContainText('xylophone');                 // it names what it cannot draw
  await expect(page.getByTestId('prompt')).toHaveValue('zzzq xylophone');   // and the text is kept
});

test('after one generation, the app and the model work with the network off', async ({ page, context }) => {
  await fastSettings(page);
  await page.goto('./');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });

  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('prompt').fill('a green triangle falls and lands');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('gallery-item')).toHaveCount(2);
  await context.setOffline(false);
});

test('a failing model download gives a clear message, and Try again works once the network is back', async ({ page }) => {
  await fastSettings(page);
  // The model's largest part cannot be fetched: the server is unreachable for it.
  await page.route('**/models/tiny/dit.onnx', (route) => route.abort('internetdisconnected'));
  await page.goto('./');
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('error')).toContainText('could not be downloaded', { timeout: 120_000 });
  await expect(page.getByTestId('prompt')).toHaveValue(PROMPT);

  await page.unroute('**/models/tiny/dit.onnx');
  await page.getByTestId('retry').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
});

test('with no usable GPU adapter, the video is made on the CPU (WebAssembly)', async () => {
  // Chromium on Linux without the WebGPU flags has navigator.gpu but no adapter.
  const { launchChromium } = await import('../../scripts/chromium');
  const { ROOT_URL } = await import('./fixtures');
  const browser = await launchChromium({ withoutWebGpu: true });
  try {
    const page = await browser.newPage();
    await fastSettings(page);
    await page.goto(ROOT_URL);
    await expect(page.getByTestId('gpu-unavailable')).toHaveAttribute('data-kind', 'no-adapter');
    await expect(page.getByTestId('cpu-fallback-note')).toBeVisible();
    await page.getByTestId('prompt').fill(PROMPT);
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
    await expect(page.getByTestId('result-backend')).toHaveAttribute('data-kind', 'wasm');
    await expect(page.getByTestId('result-backend')).toContainText('no usable GPU');
  } finally {
    await browser.close();
  }
});

test('the gallery survives a reload in the middle of a generation', async ({ page }) => {
  const settings = (steps: number, seconds = 1) =>
    page.evaluate(([steps, seconds]) => {
      localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds, aspect: '1:1', steps, seed: 1234, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
    }, [steps, seconds]);
  await page.goto('./');
  await settings(4);
  await page.reload();
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1, { timeout: 150_000 });

  // A run long enough to be cut by the reload: the most steps a request may have, over a minute of video.
  await settings(100, 60);
  await page.reload();
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('progress-message')).toContainText('Denoising', { timeout: 120_000 });
  await settings(4);
  await page.reload();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item')).toContainText(PROMPT);
  // And the studio works again at once.
  await page.getByTestId('prompt').fill('a green triangle falls and lands');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('gallery-item')).toHaveCount(2, { timeout: 150_000 });
});

test('a long video plays while it is being made, and the finished one replaces it', async ({ page }) => {
  await fastSettings(page, 20, 8); // 64 frames in 5 windows, each slow enough to watch
  await page.goto('./');
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  const live = page.getByTestId('live-player');
  await expect(live).toBeVisible({ timeout: 120_000 });
  const ready = page.getByTestId('live-ready');
  await expect(ready).toHaveText(/^\d+\.\d s of 8\.0 s ready$/);
  const first = parseFloat((await ready.textContent())!);
  expect(first).toBeLessThan(8);
  // More of it arrives while it plays.
  await expect.poll(async () => parseFloat((await ready.textContent()) ?? '0'), { timeout: 120_000 }).toBeGreaterThan(first);
  await page.getByTestId('live-play').click();
  await expect(page.getByTestId('live-play')).toHaveText('Play');
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  await expect(live).toHaveCount(0);
  await expect(page.getByTestId('result-facts')).toContainText('64 frames');
});
