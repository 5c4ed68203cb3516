// The bad-input suite, in the browser: what a careless or hostile visitor does, one test each,
// named for what they do (issue 17). Its unit half is tests/unit/bad-input.test.ts.
import { expect, test, type Page } from '@playwright/test';
import { OTHER_SUBPATH_URL, ROOT_URL, SUBPATH_URL } from './fixtures';

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

/** Puts videos into the gallery's database as another tab would have stored them, announcing nothing. */
async function storeVideosBehindTheTabsBack(page: Page, prompts: string[]): Promise<void> {
  await page.evaluate(async (prompts) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('kinora-gallery');
      open.onupgradeneeded = () => open.result.createObjectStore('videos');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction('videos', 'readwrite');
    for (const [i, prompt] of prompts.entries()) {
      const id = crypto.randomUUID();
      tx.objectStore('videos').put({
        id, createdAt: new Date(Date.now() + i).toISOString(), video: new Blob([new Uint8Array(8)], { type: 'video/mp4' }), mimeType: 'video/mp4',
        width: 1, height: 1, frameCount: 1, fps: 8, poster: { width: 1, height: 1, rgba: new Uint8ClampedArray(4) },
        settings: { prompt, seconds: 0.125, aspect: '1:1', seed: i, steps: 1, guidance: 1, modelId: 'tiny', backend: 'auto', mode: { kind: 'text' } },
      }, id);
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, prompts);
}

async function galleryCount(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve) => {
    const open = indexedDB.open('kinora-gallery');
    open.onsuccess = () => {
      const req = open.result.transaction('videos').objectStore('videos').count();
      req.onsuccess = () => { resolve(req.result); open.result.close(); };
    };
  }));
}

test('Delete all in a tab that shows one video deletes that one, not the videos another tab made meanwhile', async ({ page }) => {
  await page.goto(ROOT_URL);
  await storeVideosBehindTheTabsBack(page, ['a red ball bounces']);
  await page.reload();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await storeVideosBehindTheTabsBack(page, ['made in tab A 1', 'made in tab A 2', 'made in tab A 3']);

  let question = '';
  page.once('dialog', (d) => { question = d.message(); void d.accept(); });
  await page.getByTestId('gallery-delete-all').click();
  await expect.poll(() => question).toContain('Delete the 1 video shown here');
  await expect.poll(() => galleryCount(page)).toBe(3);
});

test('a video deleted by mistake comes back with Undo', async ({ page }) => {
  await page.goto(ROOT_URL);
  await storeVideosBehindTheTabsBack(page, ['keep me']);
  await page.reload();
  await page.getByTestId('gallery-delete').click();
  await expect(page.getByTestId('gallery-item')).toHaveCount(0);
  await page.getByTestId('gallery-undo').click();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1);
  await expect(page.getByTestId('gallery-item')).toContainText('keep me');
});

test('a video deleted in one tab disappears from the gallery of another open tab', async ({ page, context }) => {
  await page.goto(ROOT_URL);
  const other = await context.newPage();
  await other.goto(ROOT_URL);
  await storeVideosBehindTheTabsBack(page, ['first']);
  await page.reload();
  // A delete in this tab is announced; the other tab's gallery follows without a reload.
  await other.reload();
  await expect(other.getByTestId('gallery-item')).toHaveCount(1);
  await page.getByTestId('gallery-delete').click();
  await expect(other.getByTestId('gallery-item')).toHaveCount(0);
});

test('a video and settings made in one copy of Kinora do not show up in another copy on the same site', async ({ page }) => {
  const alice = new URL(SUBPATH_URL).pathname;
  // Test setup only: the tiny model and a still image, in alice's copy (under either storage name).
  await page.addInitScript((alice) => {
    if (!location.pathname.startsWith(alice)) return;
    const fast = JSON.stringify({ seconds: 0.125, aspect: '1:1', steps: 1, guidance: null, seed: 7, seedLocked: true, modelId: 'tiny', backend: 'wasm' });
    for (const key of ['kinora.settings.v1', `kinora.settings.v1@${alice}`]) if (!localStorage.getItem(key)) localStorage.setItem(key, fast);
  }, alice);
  await page.goto(SUBPATH_URL);
  await page.getByTestId('prompt').fill('a red ball bounces');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('gallery-item')).toHaveCount(1, { timeout: 120_000 });

  await page.goto(OTHER_SUBPATH_URL);
  await expect(page.getByTestId('gallery')).toBeVisible();
  await expect(page.getByTestId('gallery-item')).toHaveCount(0);
  await expect(page.getByTestId('settings-summary')).not.toContainText('seed 7 (locked)');
});

test('a reload keeps the typed prompt, the chosen mode and the storyboard shots', async ({ page }) => {
  await page.goto(ROOT_URL);
  await page.getByTestId('prompt').fill('a yellow star rotates');
  await page.getByTestId('mode-storyboard').check();
  await page.getByTestId('shot-prompt-0').fill('a blue square slides left');
  await page.getByTestId('add-shot').click();
  await page.getByTestId('shot-prompt-2').fill('a green triangle falls');
  await page.reload();
  await expect(page.getByTestId('mode-storyboard')).toBeChecked();
  await expect(page.getByTestId('shot-prompt-0')).toHaveValue('a blue square slides left');
  await expect(page.getByTestId('shot-prompt-2')).toHaveValue('a green triangle falls');
  await page.getByTestId('mode-text').check();
  await expect(page.getByTestId('prompt')).toHaveValue('a yellow star rotates');
});

test('choosing "Animate an image" without an image asks for the image instead of making a text video', async ({ page }) => {
  await page.goto(ROOT_URL);
  await page.getByTestId('mode-image').check();
  await page.getByTestId('prompt').fill('a red ball bounces');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('error')).toContainText('Choose the image to animate first');
  await expect(page.getByTestId('progress')).toHaveCount(0);
});

test('choosing "Extend a clip" without a clip asks for the clip', async ({ page }) => {
  await page.goto(ROOT_URL);
  await page.getByTestId('mode-extend').check();
  await page.getByTestId('prompt').fill('a red ball bounces');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('error')).toContainText('Choose the clip to extend first');
});

test('pasting 10 000 characters into the prompt keeps them all and says how many are too many', async ({ page }) => {
  await page.goto(ROOT_URL);
  const long = 'a red ball bounces '.repeat(600).slice(0, 10_000);
  await page.getByTestId('prompt').fill(long);
  await expect(page.getByTestId('prompt')).toHaveValue(long);
  await expect(page.getByTestId('prompt-too-long')).toContainText('10,000 characters long; at most 2,000 fit');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('error')).toContainText('at most 2000 fit');
  await page.getByTestId('prompt-cut').click();
  await expect(page.getByTestId('prompt')).toHaveValue(long.slice(0, 2000));
  await expect(page.getByTestId('prompt-too-long')).toHaveCount(0);
});

test('pasting 2 500 characters into "Leave out" keeps them all, says how many are too many, and the limit is the prompt\'s', async ({ page }) => {
  await page.goto(ROOT_URL);
  await page.getByTestId('prompt').fill('a red ball bounces');
  await page.getByTestId('settings-summary').click();
  const fits = 'no stars, '.repeat(200);
  await page.getByTestId('negative-prompt').fill(fits);
  await expect(page.getByTestId('negative-prompt')).toHaveValue(fits);
  await expect(page.getByTestId('negative-prompt-too-long')).toHaveCount(0);
  const long = 'no blue squares, '.repeat(150).slice(0, 2500);
  await page.getByTestId('negative-prompt').fill(long);
  await expect(page.getByTestId('negative-prompt')).toHaveValue(long);
  await expect(page.getByTestId('negative-prompt-too-long')).toContainText('The negative prompt is 2,500 characters long; at most 2,000 fit');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('error')).toContainText('at most 2000 fit');
  await page.getByTestId('negative-prompt-cut').click();
  await expect(page.getByTestId('negative-prompt')).toHaveValue(long.slice(0, 2000));
  await expect(page.getByTestId('negative-prompt-too-long')).toHaveCount(0);
});

test('a notice that the negative prompt names nothing Kinora draws goes away once the negative prompt reads otherwise', async ({ page }) => {
  await page.addInitScript(() => {
    if (!localStorage.getItem('kinora.settings.v1')) localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 0.125, steps: 4, modelId: 'tiny', backend: 'wasm', negativePrompt: 'no dogs' }));
  });
  await page.goto(ROOT_URL);
  await page.getByTestId('prompt').fill('a red ball bounces');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('player')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByTestId('notice')).toContainText('Nothing in the negative prompt is something Kinora draws');
  await page.getByTestId('settings-summary').click();
  await page.getByTestId('negative-prompt').fill('no stars');
  await expect(page.getByTestId('negative-reading')).toContainText('Guidance steers away from');
  await expect(page.getByTestId('notice')).toHaveCount(0);
});

test('a remembered model the site no longer has falls back to the default, with a word about it', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('kinora.settings.v1', JSON.stringify({ modelId: 'kinora-retired' })));
  await page.goto(ROOT_URL);
  await expect(page.getByTestId('notice')).toContainText('The model kinora-retired you chose before is no longer on this site');
  await page.getByTestId('prompt').fill('a red ball bounces');
  // The next video uses the default: no "Try again" loop on a model that is gone.
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('kinora.settings.v1') ?? '{}').modelId)).toBeNull();
});

test('asking the automation door for a model the site does not have names the models there are', async ({ page }) => {
  await page.goto(ROOT_URL);
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  const message = await page.evaluate(() =>
    (window as unknown as { kinora: { generate: (r: unknown) => Promise<unknown> } }).kinora
      .generate({ prompt: 'a red ball', seconds: 0.125, aspect: '1:1', seed: 1, modelId: 'kinora-big', backend: 'wasm' })
      .then(() => 'made', (e: Error) => e.message),
  );
  expect(message).toContain('This site has no model "kinora-big". Its models are');
  expect(message).toContain('(the default)');
});

test('the automation door refuses NaN guidance, a seed of "abc" and the shape 4:3 with the valid range', async ({ page }) => {
  await page.goto(ROOT_URL);
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  const messages = await page.evaluate(async () => {
    const door = (window as unknown as { kinora: { generate: (r: unknown) => Promise<unknown> } }).kinora;
    const base = { prompt: 'a red ball', seconds: 0.125, aspect: '1:1', seed: 1, modelId: 'tiny', backend: 'wasm' };
    const asks = [{ guidance: Number.NaN }, { seed: 'abc' }, { aspect: '4:3' }, { mode: { kind: 'dance' } }];
    return Promise.all(asks.map((ask) => door.generate({ ...base, ...ask }).then(() => 'made', (e: Error) => e.message)));
  });
  expect(messages).toEqual([
    'Guidance must be a number from 1 to 20, not NaN.',
    'The seed must be a whole number from 0 to 4294967295, not "abc".',
    'The shape (aspect) must be 1:1, 16:9, 9:16, not "4:3".',
    'There is no mode "dance". Choose one of text, image, extend, connect, edit, loop, storyboard.',
  ]);
});
