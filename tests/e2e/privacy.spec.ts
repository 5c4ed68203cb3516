// Privacy is a feature: every request the page, its workers and its service worker make
// goes to the page's own origin. Nothing is sent anywhere else, ever.
import { test, expect } from '@playwright/test';
import { recordRequests, ROOT_URL } from './fixtures';

test('no request leaves the page origin', async ({ page, context }) => {
  const log = recordRequests(context);
  await page.goto('./');
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect(page.getByTestId('gpu-ready')).toBeVisible();

  expect(log.urls.length).toBeGreaterThan(3);
  expect(log.foreign(new URL(ROOT_URL).origin)).toEqual([]);
});
