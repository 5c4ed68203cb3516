// "A gallery you can keep": three videos made with the tiny test model, one starred, found by
// search; backed up as one zip; then, in a fresh browser profile (as on another machine, or after
// the browser cleared the site's data), a foreign file is refused without a change, the backup
// restores all three — each plays, with its prompt and its star — and restoring it again adds none.
import { test, expect, type Page } from '@playwright/test';

const PROMPTS = [
  'a red ball bounces on the grass under a blue sky',
  'a yellow star rotates on a night sky',
  'a green triangle falls and lands',
];
const STARRED = PROMPTS[1];

/** The tiny test model, few steps, one second: quick videos. */
async function fastSettings(page: Page) {
  await page.addInitScript(() => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 1, aspect: '1:1', steps: 4, guidance: null, seed: 1234, seedLocked: false, modelId: 'tiny', backend: 'auto' }));
  });
}

const tile = (page: Page, prompt: string) => page.getByTestId('gallery-item').filter({ hasText: prompt });

test('back up the gallery, lose the site data, restore it: every video plays with its prompt and star', async ({ page, browser }, testInfo) => {
  test.setTimeout(420_000);
  await fastSettings(page);
  await page.goto('./');
  for (const [i, prompt] of PROMPTS.entries()) {
    await page.getByTestId('prompt').fill(prompt);
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('gallery-item')).toHaveCount(i + 1, { timeout: 150_000 });
    await expect(page.getByTestId('progress')).toBeHidden({ timeout: 60_000 });
  }

  // A star is kept in the gallery entry: it survives a reload.
  await tile(page, STARRED).getByTestId('gallery-star').click();
  await expect(tile(page, STARRED)).toHaveAttribute('data-starred', 'true');
  await page.reload();
  await expect(tile(page, STARRED)).toHaveAttribute('data-starred', 'true');
  await expect(tile(page, PROMPTS[0])).toHaveAttribute('data-starred', 'false');

  // Search filters as you type; "Starred only" keeps the starred one.
  const search = page.getByTestId('gallery-search');
  await search.pressSequentially('TRIANGLE');
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item')).toContainText(PROMPTS[2]);
  await search.fill('sky');
  await expect(page.getByTestId('gallery-item')).toHaveCount(2);
  await search.fill('');
  await page.getByTestId('gallery-starred-only').check();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item')).toContainText(STARRED);
  await page.getByTestId('gallery-starred-only').uncheck();
  await expect(page.getByTestId('gallery-item')).toHaveCount(3);

  // One file, of all videos, named for the day.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('gallery-backup-make').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^kinora-backup-\d{4}-\d{2}-\d{2}\.zip$/);
  await expect(page.getByTestId('gallery-backup-outcome')).toContainText('(3 videos,');
  const backupPath = await download.path();

  // A fresh profile: no IndexedDB, no gallery — the site's data is gone, as on another machine.
  const fresh = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 760, height: 900 } });
  const other = await fresh.newPage();
  await other.goto('./');
  await expect(other.getByTestId('gallery')).toContainText('Videos you make appear here');
  await expect(other.getByTestId('gallery-item')).toHaveCount(0);

  // The storage line says whether the browser may clear the site's data, and asking gets a plain answer.
  const persistence = other.getByTestId('storage-persistence');
  await expect(persistence).toBeVisible();
  if ((await persistence.getAttribute('data-state')) === 'best-effort') {
    await expect(persistence).toContainText('has not granted Kinora persistent storage');
    await other.getByTestId('storage-persist').click();
    await expect(other.getByTestId('storage-persist-answer')).toHaveText(/^The browser said (no|yes)/);
  }

  // A file that is not a backup is refused, and nothing changes.
  await other.getByTestId('gallery-backup-file').setInputFiles({ name: 'holiday.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really a zip') });
  await expect(other.getByTestId('gallery-backup-problem')).toHaveText(/^This file is not a Kinora backup: .* Nothing was changed\.$/);
  await expect(other.getByTestId('gallery-item')).toHaveCount(0);

  await other.getByTestId('gallery-backup-file').setInputFiles(backupPath);
  await expect(other.getByTestId('gallery-backup-outcome')).toHaveText('Restored 3 videos.');
  await expect(other.getByTestId('gallery-backup-problem')).toHaveCount(0);
  await expect(other.getByTestId('gallery-item')).toHaveCount(3);
  await expect(tile(other, STARRED)).toHaveAttribute('data-starred', 'true');
  // Its Content Credentials were signed where it was made, which need not be this browser.
  await expect(other.getByTestId('gallery-credentials').first()).toHaveText('Content Credentials: signed where it was made');
  // For the README: the gallery with its search, stars, storage line and backup panel.
  await other.getByTestId('gallery').screenshot({ path: testInfo.outputPath('gallery-backup.png') });
  for (const prompt of PROMPTS) {
    await expect(tile(other, prompt)).toHaveCount(1);
    await tile(other, prompt).getByRole('button', { name: `Open “${prompt}”` }).click();
    await expect(other.getByTestId('result')).toContainText(`“${prompt}”`);
    const player = other.getByTestId('player');
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await player.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(0.5);
    // Opened large, it says the same: not "signed on this device".
    await expect(other.getByTestId('content-credentials')).toContainText('signed where it was made');
  }

  // The same file again: nothing is added twice, and it says so.
  await other.getByTestId('gallery-backup-file').setInputFiles(backupPath);
  await expect(other.getByTestId('gallery-backup-outcome')).toHaveText('Nothing to restore: all 3 videos in this backup were already here.');
  await other.reload();
  await expect(other.getByTestId('gallery-item')).toHaveCount(3);
  await expect(tile(other, STARRED)).toHaveAttribute('data-starred', 'true');
  await fresh.close();
});
