// Privacy is a feature: every request the page, its workers and its service worker make
// goes to the page's own origin. Nothing is sent anywhere else, ever.
import { test, expect } from '@playwright/test';
import { recordRequests, ROOT_URL } from './fixtures';

test('no request leaves the page origin, from loading to a finished video', async ({ page, context }) => {
  const log = recordRequests(context);
  await page.addInitScript(() => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 0.5, aspect: '1:1', steps: 2, seed: 5, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  });
  await page.goto('./');
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  // A whole generation: model download, onnxruntime-web's wasm, encoding, signing (C2PA), gallery.
  await page.getByTestId('prompt').fill('a blue star spins');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 120_000 });
  expect(log.urls.some((u) => u.includes('/models/tiny/'))).toBe(true);
  expect(log.urls.some((u) => u.endsWith('.wasm'))).toBe(true);
  // The WebAssembly of the C2PA SDK, which signs the video, comes from the site too.
  expect(log.urls.some((u) => /\/c2pa_bg-[^/]*\.wasm$/.test(u))).toBe(true);

  expect(log.urls.length).toBeGreaterThan(3);
  expect(log.foreign(new URL(ROOT_URL).origin)).toEqual([]);
});
