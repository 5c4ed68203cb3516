// The bad-input suite, in the browser: what a careless or hostile visitor does, one test each,
// named for what they do (issue 17). Its unit half is tests/unit/bad-input.test.ts.
import { expect, test, type Page } from '@playwright/test';
import { ROOT_URL } from './fixtures';

/** Loads the app and waits until its service worker controls the page (as after one visit). */
async function visitOnce(page: Page, url = ROOT_URL): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test('after visiting Kinora at the root, another page of the same site still shows its own content', async ({ page }) => {
  await visitOnce(page);
  const response = await page.goto(`${ROOT_URL}another-project/`);
  // The host's own answer (our test server's 404), not Kinora's app shell.
  expect(response?.status()).toBe(404);
  await expect(page.locator('body')).toContainText('Not found');
  await expect(page).not.toHaveTitle(/Kinora/);
});
