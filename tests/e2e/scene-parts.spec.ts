// "Kinora will make:" in Chromium: the prompt read as scene parts a person can change. Changing a
// part changes the caption the model reads and never the prompt; an unknown noun is named as such;
// a prompt with nothing to draw is explained instead of made; what was typed and changed survives a
// reload; markup in a prompt is text, never HTML.
import { test, expect } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
});

test('changing a colour part changes the caption, not the prompt', async ({ page }) => {
  const typed = 'a crimson orb hops across a meadow';
  await page.getByTestId('prompt').fill(typed);
  const caption = page.getByTestId('caption');
  await expect(caption).toHaveText('A medium sized red circle bounces in a day sky over grass. The camera is static.');
  await expect(page.getByTestId('scene-notes')).toContainText('crimson → red');

  await page.getByTestId('part-colour').first().selectOption('green');
  await expect(caption).toHaveText('A medium sized green circle bounces in a day sky over grass. The camera is static.');
  await page.getByTestId('part-camera').selectOption('pan_left');
  await expect(caption).toContainText('The camera pans left.');
  await expect(page.getByTestId('prompt')).toHaveValue(typed);

  await page.getByTestId('parts-reset').click();
  await expect(caption).toHaveText('A medium sized red circle bounces in a day sky over grass. The camera is static.');
});

test('an unknown noun is named, with what is drawn instead; with nothing left to draw, Make video explains', async ({ page }) => {
  await page.getByTestId('prompt').fill('a dog next to a blue star');
  await expect(page.getByTestId('unknown-nouns')).toContainText('Kinora cannot draw “dog”');
  await expect(page.getByTestId('caption')).toContainText('blue star');

  await page.getByTestId('prompt').fill('a dog in Tokyo');
  await expect(page.getByTestId('nothing-to-draw')).toBeVisible();
  await expect(page.getByTestId('unknown-nouns')).toContainText('“dog”, “tokyo”');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('error')).toContainText('Kinora cannot make this');
  await expect(page.getByTestId('error')).toContainText('your text is kept');
  await expect(page.getByTestId('prompt')).toHaveValue('a dog in Tokyo');
  await expect(page.getByTestId('progress')).toHaveCount(0);
});

test('the prompt, the changed parts and the negative prompt survive a reload', async ({ page }) => {
  const typed = 'two small yellow triangles spin, and a dog';
  await page.getByTestId('prompt').fill(typed);
  await page.getByTestId('part-shape').nth(1).selectOption('diamond');
  await page.getByTestId('settings-summary').click();
  await page.getByTestId('negative-prompt').fill('no stars');
  await expect(page.getByTestId('negative-reading')).toContainText('A star.');
  const before = await page.getByTestId('caption').textContent();
  expect(before).toContain('small yellow diamond');

  await page.reload();
  await expect(page.getByTestId('prompt')).toHaveValue(typed);
  await expect(page.getByTestId('part-shape').nth(1)).toHaveValue('diamond');
  await expect(page.getByTestId('caption')).toHaveText(before!);
  await page.getByTestId('settings-summary').click();
  await expect(page.getByTestId('negative-prompt')).toHaveValue('no stars');
});

test('markup in a prompt is shown as text and never run', async ({ page }) => {
  const typed = '<img src=x onerror="window.__injected=1"><b>a red ball</b> bounces <script>window.__injected=2</script>';
  await page.getByTestId('prompt').fill(typed);
  await expect(page.getByTestId('caption')).toHaveText('A medium sized red circle bounces on a white background. The camera is static.');
  await expect(page.getByTestId('prompt')).toHaveValue(typed);
  await expect(page.locator('[data-testid="scene-parts"] img, [data-testid="scene-parts"] b, [data-testid="scene-parts"] script')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('prompt')).toHaveValue(typed);
  expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
});
