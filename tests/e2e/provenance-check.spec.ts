// "Was this made by Kinora?" in the built studio: a video the studio made is found as Kinora's with
// its C2PA facts and this device's signature; the same video re-encoded by ffmpeg (H.264 CRF 30,
// so the manifest is gone) is still found by its watermark; a clip Kinora never made is not; and
// files that cannot be checked get a message while the studio keeps what was typed and made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';

const PROMPT = 'a red ball bounces on the grass';

async function makeVideo(page: Page): Promise<Buffer> {
  await page.addInitScript(() => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 2, aspect: '1:1', steps: 2, guidance: null, seed: 61, seedLocked: true, modelId: 'tiny', backend: 'auto' }));
  });
  await page.goto('./');
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download').click();
  return readFileSync(await (await downloading).path());
}

/** Drops a file on the checker and waits for its answer or its error. */
async function check(page: Page, name: string, mimeType: string, buffer: Buffer) {
  await page.getByTestId('check-file').setInputFiles({ name, mimeType, buffer });
  await expect(page.getByTestId('check-result').or(page.getByTestId('check-error'))).toBeVisible({ timeout: 60_000 });
}

/** ffmpeg in a scratch folder: `args` with {in} and {out} replaced; returns the output's bytes. */
function ffmpeg(input: Buffer | null, args: string[]): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kinora-check-'));
  try {
    if (input) writeFileSync(join(dir, 'in.mp4'), input);
    execFileSync('ffmpeg', ['-v', 'error', ...args.map((a) => a.replace('{in}', join(dir, 'in.mp4')).replace('{out}', join(dir, 'out.mp4'))), '-y']);
    return readFileSync(join(dir, 'out.mp4'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a studio video is made by Kinora; re-encoded, its watermark still says so; a stranger clip shows no sign', async ({ page }) => {
  const video = await makeVideo(page);

  await check(page, 'kinora-video-61.mp4', 'video/mp4', video);
  await expect(page.getByTestId('check-headline')).toHaveText('Made by Kinora');
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-kind', 'made-by-kinora');
  await expect(result).toContainText('signature from this device');
  await expect(result).toContainText('model tiny');
  await expect(result).toContainText('Watermark: found');

  // Re-encoded as a sharing site would: the C2PA manifest does not survive, the watermark does.
  const reencoded = ffmpeg(video, ['-i', '{in}', '-c:v', 'libx264', '-crf', '30', '-pix_fmt', 'yuv420p', '{out}']);
  await check(page, 'shared.mp4', 'video/mp4', reencoded);
  await expect(page.getByTestId('check-headline')).toHaveText('Watermark found: made by Kinora (C2PA manifest missing)');

  const stranger = ffmpeg(null, ['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=8:duration=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '{out}']);
  await check(page, 'testsrc.mp4', 'video/mp4', stranger);
  await expect(page.getByTestId('check-headline')).toHaveText('No sign of Kinora');
  await expect(page.getByTestId('check-result')).toContainText('Watermark: not found');
});

test('files that cannot be checked get a message, and the studio keeps its prompt and its video', async ({ page }) => {
  const video = await makeVideo(page);
  const cases: [string, string, Buffer, string][] = [
    ['notes.txt', 'text/plain', Buffer.from('not a picture at all\n'), 'neither a video (MP4, MOV, WebM, MKV) nor an image (PNG, JPEG, WebP)'],
    ['empty.mp4', 'video/mp4', Buffer.alloc(0), 'This file is empty (0 bytes)'],
    ['cut.mp4', 'video/mp4', video.subarray(0, 600), 'damaged'],
    ['broken.png', 'image/png', Buffer.concat([readFileSync('public/icon-192.png').subarray(0, 40)]), 'PNG file'],
  ];
  for (const [name, type, bytes, message] of cases) {
    await check(page, name, type, bytes);
    await expect(page.getByTestId('check-error'), name).toContainText(message);
    await expect(page.getByTestId('check-result')).toHaveCount(0);
  }
  // Nothing else moved: the prompt, the result and its download are where they were, and no studio error.
  await expect(page.getByTestId('prompt')).toHaveValue(PROMPT);
  await expect(page.getByTestId('player')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  // And the checker still works after the errors.
  await check(page, 'kinora-video-61.mp4', 'video/mp4', video);
  await expect(page.getByTestId('check-headline')).toHaveText('Made by Kinora');
});
