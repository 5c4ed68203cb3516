// The built site in Chromium with SwiftShader WebGPU: it loads, its worker gets an adapter,
// it works under a sub-path and offline, survives a lost device, and says clearly when
// WebGPU is missing or refused.
import { test, expect } from '@playwright/test';
import { launchChromium } from '../../scripts/chromium';
import { readFileSync } from 'node:fs';
import { ROOT_URL, SUBPATH_URL } from './fixtures';

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
  const sampler = (id: string) => JSON.parse(readFileSync(`public/models/${id}/manifest.json`, 'utf8')).sampler;
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
