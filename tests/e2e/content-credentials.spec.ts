// The studio signs what it makes: a video made in the built site carries C2PA Content
// Credentials signed in the generation worker with this browser's key, the result and the gallery
// say so, and the downloaded file validates with the CAI's SDK elsewhere — on another origin,
// which has no key of its own and so reads it as another device's, exactly as a stranger would.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { C2paChecksApi } from '../browser/c2pa';
import { KERNEL_PAGE_ORIGIN } from '../../playwright.config';

test('a studio video carries Content Credentials signed on this device; the result and the gallery say so', async ({ page, context }) => {
  await page.addInitScript(() => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 0.5, aspect: '1:1', steps: 2, guidance: null, seed: 31, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  });
  await page.goto('./');
  await page.getByTestId('prompt').fill('a green square slides left');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  const note = page.getByTestId('content-credentials');
  await expect(note).toHaveAttribute('data-state', 'signed');
  await expect(note).toContainText('signed on this device');
  await expect(note).toContainText('untrusted');
  await expect(page.getByTestId('gallery-item').first().getByTestId('gallery-credentials')).toContainText('signed on this device');

  const downloading = page.waitForEvent('download');
  await page.getByTestId('download').click();
  const bytes = readFileSync(await (await downloading).path());

  const checker = await context.newPage();
  await checker.goto(`${KERNEL_PAGE_ORIGIN}/tests/browser/c2pa.html`);
  await checker.waitForFunction(() => 'kinoraC2paChecks' in globalThis);
  const verdict = await checker.evaluate((mp4) => (globalThis as unknown as { kinoraC2paChecks: C2paChecksApi }).kinoraC2paChecks.checks.verify({ mp4 }), bytes.toString('base64'));
  expect(verdict).toMatchObject({ state: 'valid', signer: 'another-device', facts: { generator: 'Kinora', modelId: 'tiny', mode: 'text' } });
  expect((verdict as { facts: { weightsSha256: string } }).facts.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(verdict).not.toHaveProperty('facts.prompt');
});

test('when signing cannot run, the video is still made and kept, and the result says it has no Content Credentials', async ({ page, context }) => {
  // The SDK's WebAssembly never arrives (as on a host that lost the file): signing fails, nothing else may.
  await context.route(/\/c2pa_bg-[^/]*\.wasm$/, (route) => route.abort());
  await page.addInitScript(() => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 0.5, aspect: '1:1', steps: 2, guidance: null, seed: 32, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  });
  await page.goto('./');
  await page.getByTestId('prompt').fill('a green square slides left');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  const note = page.getByTestId('content-credentials');
  await expect(note).toHaveAttribute('data-state', 'not-signed');
  await expect(note).toContainText('Content Credentials could not be added');
  await expect(note).toContainText('saved without them');
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item').first().getByTestId('gallery-credentials')).toHaveCount(0);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download').click();
  const bytes = readFileSync(await (await downloading).path());
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
  expect(bytes.toString('latin1')).toContain('kinora-provenance/1');
});
