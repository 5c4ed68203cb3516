// The prompt is the user's: by default the MP4 the studio writes holds no trace of the prompt, the
// caption the model read from it or the negative prompt (nor does its file name); with the setting
// on it holds them. The gallery on the device keeps the prompt either way.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

// "crimson" and "orb" are read as "red" and "circle": the caption's words are not the prompt's.
const PROMPT = 'a crimson orb hops across a meadow';
const NEGATIVE = 'no stars';
/** What the file must not contain unless asked: the prompt, its words, the caption's own word, the negative prompt. */
const TRACES = [PROMPT, 'crimson', 'meadow', 'circle', NEGATIVE, 'star'];

async function makeVideo(page: Page): Promise<{ name: string; text: string }> {
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download').click();
  const download = await downloading;
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
  // Every byte as one character, lower-cased: a tag in any case, anywhere in the file, is found.
  return { name: download.suggestedFilename(), text: bytes.toString('latin1').toLowerCase() };
}

test('the MP4 carries the prompt only when the setting says so, and the setting is remembered', async ({ page }) => {
  await page.addInitScript(([negativePrompt]) => {
    if (localStorage.getItem('kinora.settings.v1')) return; // after the reload: what the page saved
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 0.5, aspect: '1:1', steps: 4, guidance: null, seed: 99, seedLocked: true, modelId: 'tiny', backend: 'auto', negativePrompt }));
  }, [NEGATIVE]);
  await page.goto('./');
  await page.getByTestId('settings-summary').click();
  await expect(page.getByTestId('prompt-in-file')).not.toBeChecked();

  const kept = await makeVideo(page);
  expect(kept.name).toBe('kinora-video-99.mp4');
  for (const trace of TRACES) expect(kept.text, `the file holds "${trace}"`).not.toContain(trace);
  // What does go in: the generator, the model and the seed.
  expect(kept.text).toContain('kinora-provenance/1');
  expect(kept.text).toContain('"seed":99');
  expect(kept.text).toContain('the prompt is not in this file');
  await expect(page.getByTestId('gallery-item').first()).toContainText(PROMPT);

  await page.getByTestId('prompt-in-file').check();
  const shared = await makeVideo(page);
  expect(shared.name).toBe('kinora-a-crimson-orb-hops-across-a-meadow-99.mp4');
  for (const trace of TRACES) expect(shared.text, `the file lacks "${trace}"`).toContain(trace);

  await page.reload();
  await page.getByTestId('settings-summary').click();
  await expect(page.getByTestId('prompt-in-file')).toBeChecked();
});
