// A site update never loses a video (issue 24, defect 1): a new build's service worker, published
// while a tab makes a video, waits; it is offered there only once the video is made; and another
// tab accepting it meanwhile does not reload the busy one. The site is a copy of the build served
// for this test alone, so that its sw.js can be replaced as a deploy would.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { generateInPage } from '../../scripts/page-generate';
import { freePort } from '../support/free-port';

interface CopiedSite {
  url: string;
  /** Replaces sw.js with a different one, as deploying a new build does. */
  publishNewVersion(): void;
  close(): void;
}

/** The build, hard-linked into a folder of its own (quick, and the shared dist/ is never changed), served by scripts/serve.mjs. */
async function serveCopyOfTheBuild(): Promise<CopiedSite> {
  mkdirSync(resolve('test-results'), { recursive: true });
  const parent = mkdtempSync(resolve('test-results', 'site-update-'));
  const root = join(parent, 'dist');
  execFileSync('cp', ['-al', resolve('dist'), root]);
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, ['scripts/serve.mjs', root, '--port', String(port), '--test-models'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, failed) => {
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Kinora is served') && ready());
    server.once('exit', (code) => failed(new Error(`scripts/serve.mjs exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    publishNewVersion() {
      const sw = join(root, 'sw.js');
      const text = readFileSync(sw, 'utf8');
      rmSync(sw); // a hard link: removing it leaves dist/sw.js as it was
      writeFileSync(sw, `${text}\n// the next version\n`);
    },
    close() {
      server.kill();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** The app is mounted and the service worker serves the page. */
async function controlledAndReady(page: Page): Promise<void> {
  await page.waitForFunction(() => 'kinora' in globalThis && navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
}

function mainFrameNavigations(page: Page): string[] {
  const loads: string[] = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && loads.push(frame.url()));
  return loads;
}

test('a new version waits while a video is made, is offered once it is made, and another tab accepting it does not reload the busy tab', async ({ context }) => {
  const site = await serveCopyOfTheBuild();
  try {
    const busy = await context.newPage();
    await busy.goto(site.url);
    await controlledAndReady(busy);
    // Loaded again, served by the worker from the start, as a tab open since an earlier visit is.
    await busy.reload();
    await controlledAndReady(busy);
    const busyLoads = mainFrameNavigations(busy);

    // The model's largest file is held back, so the generation runs for as long as the test needs.
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    let requested!: () => void;
    const held = new Promise<void>((done) => (requested = done));
    await busy.route('**/models/tiny/dit.onnx', async (route) => {
      requested();
      await released;
      await route.continue();
    });
    const made = generateInPage(busy, { prompt: 'a red ball bounces', seconds: 1, aspect: '1:1', seed: 1, steps: 2, modelId: 'tiny', backend: 'wasm' });
    made.catch(() => {}); // awaited below; a reload would reject it before then
    await held;

    site.publishNewVersion();
    await busy.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    // The new worker waits: it does not take over the tab that is making a video.
    await expect.poll(() => busy.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting != null), { timeout: 30_000 }).toBe(true);

    // A second tab, with nothing being made, is offered the new version and accepts it.
    const other = await context.newPage();
    await other.goto(site.url);
    await controlledAndReady(other);
    const busyTakenOver = busy.evaluate(() => new Promise<void>((done) => navigator.serviceWorker.addEventListener('controllerchange', () => done(), { once: true })));
    const otherReloaded = other.waitForEvent('framenavigated');
    await other.getByTestId('update-reload').click();
    await otherReloaded;
    await controlledAndReady(other);
    await expect(other.getByTestId('update-offer')).toBeHidden();

    // The busy tab is now served by the new worker, and neither reloaded nor offered a reload.
    await busyTakenOver;
    await busy.waitForTimeout(1000);
    expect(busyLoads).toEqual([]);
    await expect(busy.getByTestId('update-offer')).toBeHidden();

    release();
    const video = await made;
    expect(video.videoBytes).toBeGreaterThan(0);
    expect(busyLoads).toEqual([]);
    // Once the video is made, the busy tab offers the new version; accepting reloads it.
    await expect(busy.getByTestId('update-offer')).toContainText('A new version of Kinora is ready');
    const busyReloaded = busy.waitForEvent('framenavigated');
    await busy.getByTestId('update-reload').click();
    await busyReloaded;
    await controlledAndReady(busy);
    await expect(busy.getByTestId('update-offer')).toBeHidden();
  } finally {
    site.close();
  }
});
