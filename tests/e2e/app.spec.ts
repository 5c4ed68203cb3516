// The built site in Chromium with SwiftShader WebGPU: it loads, its worker gets an adapter,
// it works under a sub-path and offline, survives a lost device, and says clearly when
// WebGPU is missing or refused; its picker offers only the real models.
import { test, expect } from '@playwright/test';
import { launchChromium } from '../../scripts/chromium';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT_URL, SUBPATH_URL } from './fixtures';
import { modelFolder } from '../support/model-folders';
import { freePort } from '../support/free-port';

test('the page loads and the worker reports the SwiftShader adapter', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Kinora', exact: true })).toBeVisible();
  const ready = page.getByTestId('gpu-ready');
  await expect(ready).toBeVisible();
  await expect(page.getByTestId('adapter-name')).toContainText('swiftshader');
  await expect(page.getByTestId('feature-subgroups')).toHaveText('subgroups: yes');
  await expect(page.getByTestId('feature-shader-f16')).toHaveText('shader-f16: no');
  // SwiftShader is a CPU emulation: the visitor is told it will be slow.
  await expect(page.getByTestId('fallback-note')).toBeVisible();
  // Loading raised nothing (no uncaught error or unhandled rejection in the page or its worker).
  await expect(page.getByTestId('model-panel')).toBeAttached();
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
});

test('the built site works under a sub-path', async ({ page }) => {
  await page.goto(SUBPATH_URL);
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  await expect(page.getByTestId('adapter-name')).toContainText('swiftshader');
});

test('after one visit the app shell loads with the network off', async ({ page, context }) => {
  await page.goto('./');
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  // The service worker must have precached everything and taken control before we go offline.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Kinora', exact: true })).toBeVisible();
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  await context.setOffline(false);
});

test('a lost GPU device is reported and the next request gets a fresh one', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('gpu-ready')).toHaveAttribute('data-device-number', '1');
  await page.evaluate(() => (globalThis as unknown as { kinora: { simulateDeviceLoss(): Promise<void> } }).kinora.simulateDeviceLoss());
  await expect(page.getByTestId('device-lost')).toBeVisible();
  await page.getByTestId('reconnect').click();
  await expect(page.getByTestId('gpu-ready')).toHaveAttribute('data-device-number', '2');
});

test('a browser without WebGPU gets a clear message naming browsers that have it', async ({ page }) => {
  await page.addInitScript(() => {
    delete (Navigator.prototype as unknown as { gpu?: unknown }).gpu;
  });
  await page.goto('./');
  const box = page.getByTestId('gpu-unavailable');
  await expect(box).toHaveAttribute('data-kind', 'no-webgpu');
  await expect(box).toContainText('This browser has no WebGPU');
  await expect(box).toContainText('Chrome or Edge 113');
});

test('a browser that refuses the adapter gets its own message', async () => {
  // Chromium on Linux without the WebGPU flags has navigator.gpu but gives no adapter.
  const browser = await launchChromium({ withoutWebGpu: true });
  try {
    const page = await browser.newPage();
    await page.goto(ROOT_URL);
    const box = page.getByTestId('gpu-unavailable');
    await expect(box).toHaveAttribute('data-kind', 'no-adapter');
    await expect(box).toContainText('no graphics adapter');
  } finally {
    await browser.close();
  }
});

test("the settings show the chosen model's own steps and guidance, and guidance goes back to it", async ({ page }) => {
  const sampler = (id: string) => JSON.parse(readFileSync(`${modelFolder(id)}/manifest.json`, 'utf8')).sampler;
  const tiny = sampler('tiny');
  const site = JSON.parse(readFileSync('public/models/index.json', 'utf8')).default as string;
  const shipped = sampler(site);
  await page.goto('./');
  await page.getByTestId('settings-summary').click();
  const value = page.getByTestId('guidance-value');
  await expect(value).toHaveText(`model default (${shipped.default_guidance})`);
  await expect(page.getByTestId('steps').locator('option').first()).toHaveText(`Model default (${shipped.default_steps})`);
  await expect(page.getByTestId('guidance')).toHaveValue(String(shipped.default_guidance));

  await page.getByTestId('model-panel').getByRole('radio').nth(
    (await page.getByTestId('model-panel').locator('strong').allTextContents()).indexOf('tiny')).check();
  await expect(value).toHaveText(`model default (${tiny.default_guidance})`);
  await expect(page.getByTestId('guidance')).toHaveValue(String(tiny.default_guidance));

  // Moving the slider sets a guidance of one's own; it is kept across a reload, and one click undoes it.
  await page.getByTestId('guidance').fill('7.5');
  await expect(value).toHaveText('7.5');
  await page.reload();
  await page.getByTestId('settings-summary').click();
  await expect(value).toHaveText('7.5');
  await page.getByTestId('guidance-reset').click();
  await expect(value).toHaveText(`model default (${tiny.default_guidance})`);
  await expect(page.getByTestId('guidance-reset')).toHaveCount(0);
});

test('the built site offers a visitor only the real models, each saying what it is good at; the test models are not in it', async ({ browser }) => {
  const built = JSON.parse(readFileSync('dist/models/index.json', 'utf8')) as { models: string[]; good_at: Record<string, string> };
  const testModels = (JSON.parse(readFileSync('tests/fixtures/models/index.json', 'utf8')) as { models: string[] }).models;
  expect(testModels).toEqual(['tiny', 'tiny-v2']);
  expect(built.models.filter((id) => testModels.includes(id))).toEqual([]);
  for (const id of testModels) expect(existsSync(`dist/models/${id}`)).toBe(false);

  // Served as `npm start` serves it (no --test-models): the picker lists the built index's models, no more.
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['scripts/serve.mjs', 'dist', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((ready, failed) => {
      server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Kinora is served') && ready());
      server.once('exit', (code) => failed(new Error(`scripts/serve.mjs exited with ${code}`)));
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByTestId('settings-summary').click();
    const panel = page.getByTestId('model-panel');
    await expect(panel.locator('strong')).toHaveText(built.models);
    for (const id of built.models) {
      await expect(page.getByTestId(`model-good-at-${id}`)).toHaveText(built.good_at[id]);
      await expect(page.getByTestId(`model-speed-${id}`)).toHaveText('Speed: not measured yet on this device.');
    }
    await page.close();
  } finally {
    server.kill();
  }
});

test('after a video, the picker says how fast that model is on this device', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 0.125, aspect: '1:1', steps: 1, guidance: null, seed: 3, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  });
  await page.goto('./');
  await page.getByTestId('prompt').fill('a red ball');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  await page.getByTestId('settings-summary').click();
  const defaultSteps = JSON.parse(readFileSync(`${modelFolder('tiny')}/manifest.json`, 'utf8')).sampler.default_steps as number;
  await expect(page.getByTestId('model-speed-tiny')).toHaveText(
    new RegExp(`^On this device: a 2-s video takes (a second or two|about \\d+ (s|min)) \\(WebAssembly, ${defaultSteps} steps\\)\\.$`),
  );
  await expect(page.getByTestId('model-speed-tiny-v2')).toHaveText('Speed: not measured yet on this device.');
  await expect(page.getByTestId('model-good-at-tiny')).toContainText('Tests only');
});
