// "Make N": takes of one prompt with consecutive seeds, as a grid of looping videos that fills in
// as each take is made, one bar for the batch, each take in the gallery, Cancel stopping the batch.
import { expect, test, type Page } from '@playwright/test';

const PROMPT = 'a red ball bounces on the grass under a blue sky';

async function fastSettings(page: Page, steps = 4, seconds = 1, variations = 4) {
  await page.addInitScript(([steps, seconds, variations]) => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds, aspect: '1:1', steps, guidance: null, seed: 500, seedLocked: true, modelId: 'tiny', backend: 'auto', variations }));
  }, [steps, seconds, variations]);
}

/** SHA-256 of each take's video as the page holds it, to tell the takes apart. */
function takeDigests(page: Page): Promise<string[]> {
  return page.getByTestId('take-video').evaluateAll(async (videos) =>
    Promise.all(videos.map(async (v) => {
      const bytes = await (await fetch((v as HTMLVideoElement).src)).arrayBuffer();
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    })),
  );
}

test('Make 4 makes four distinct takes with consecutive seeds, all playing, all kept; one picked plays large with its seed', async ({ page }, testInfo) => {
  await fastSettings(page);
  await page.goto('./');
  await page.getByTestId('prompt').fill(PROMPT);
  await expect(page.getByTestId('generate-takes')).toHaveText('Make 4');
  await page.getByTestId('generate-takes').click();
  // One bar for the batch, and the status line names the take.
  await expect(page.getByTestId('progress')).toBeVisible();
  await expect(page.getByTestId('progress-message')).toContainText(/Take \d of 4/, { timeout: 120_000 });
  await expect(page.getByTestId('take')).toHaveCount(4, { timeout: 240_000 });
  await expect(page.getByTestId('progress')).toBeHidden({ timeout: 60_000 });

  const videos = page.getByTestId('take-video');
  await expect.poll(() => videos.evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).readyState >= 2 && !(v as HTMLVideoElement).paused).every(Boolean)), { timeout: 20_000 }).toBe(true);
  expect(new Set(await takeDigests(page)).size).toBe(4);
  await expect(page.getByTestId('take')).toHaveText([/seed 500/, /seed 501/, /seed 502/, /seed 503/]);
  await expect(page.getByTestId('gallery-item')).toHaveCount(4);
  // For the README: the grid of takes.
  await page.getByTestId('takes').screenshot({ path: testInfo.outputPath('takes-grid.png') });

  // Picking the third shows it large, with its own seed, ready to download or continue.
  await page.getByTestId('take').nth(2).click();
  await expect(page.getByTestId('take').nth(2)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('result-seed')).toHaveText('502');
  await expect(page.getByTestId('download')).toHaveAttribute('download', 'kinora-video-502.mp4');
  await expect.poll(() => page.getByTestId('player').evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
});

test('Cancel stops the batch: the takes already made stay, shown and kept, and no more are made', async ({ page }) => {
  // Long enough takes that Cancel lands while the second one is denoising.
  await fastSettings(page, 20, 4, 3);
  await page.goto('./');
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate-takes').click();
  await expect(page.getByTestId('take')).toHaveCount(1, { timeout: 240_000 });
  await expect(page.getByTestId('progress-message')).toContainText(/Take 2 of 3 · Denoising/, { timeout: 120_000 });
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('progress')).toBeHidden({ timeout: 60_000 });
  await expect(page.getByTestId('take')).toHaveCount(1);
  await expect(page.getByTestId('take-pending')).toHaveCount(2);
  await expect(page.getByTestId('error')).toHaveCount(0);
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
});
