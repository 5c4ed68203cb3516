// Cross-origin isolation, so onnxruntime-web runs several threads (docs/isolation.md):
// on a plain static host that sends no headers the service worker adds COOP/COEP after one
// reload (at the root, under a sub-path, offline); `npm start`'s server sends them itself; and
// where isolation is impossible (no service worker, a browser that refuses) the app still runs,
// on one thread, and never reloads in a loop.
import { test, expect, type Page } from '@playwright/test';
import { PLAIN_HOST_URL, recordRequests, ROOT_URL, SUBPATH_URL } from './fixtures';
import { generateInPage } from '../../scripts/page-generate';

interface Made { frameCount: number; backend: { kind: string; label: string }; contentCredentials?: { state: string } }
interface PageFacts { isolated: boolean; sharedArrayBuffer: string; state: string | undefined; controlled: boolean; cores: number }

/** Counts the page's main-frame navigations (the first load, then any reload). */
function countNavigations(page: Page): string[] {
  const loads: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads.push(frame.url());
  });
  return loads;
}

async function ready(page: Page): Promise<PageFacts> {
  // The automation door appears when the app mounts, which is after the isolation reload.
  await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
  return page.evaluate(() => ({
    isolated: globalThis.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer,
    state: document.documentElement.dataset.isolation,
    controlled: navigator.serviceWorker?.controller != null,
    cores: navigator.hardwareConcurrency,
  }));
}

async function generateOnWasm(page: Page, seconds = 0.5): Promise<Made> {
  return generateInPage(page, { prompt: 'a red ball bounces', seconds, aspect: '1:1', seed: 1, steps: 2, modelId: 'tiny', backend: 'wasm' });
}

/** onnxruntime-web's extra threads are Workers started from its own .mjs, served by this site. */
function ortThreadWorkers(page: Page): string[] {
  return page.workers().map((w) => w.url()).filter((u) => /\/assets\/ort-wasm-simd-threaded[^/]*\.mjs$/.test(u));
}

const expectedThreads = (cores: number) => Math.min(4, cores);

test('a host that sends no headers: isolated after exactly one reload, and wasm runs on several threads', async ({ page, context }) => {
  const log = recordRequests(context);
  const loads = countNavigations(page);
  const first = await page.goto(PLAIN_HOST_URL);
  expect(first!.headers()['cross-origin-embedder-policy']).toBeUndefined();
  expect(first!.headers()['cross-origin-opener-policy']).toBeUndefined();

  const facts = await ready(page);
  expect(facts).toEqual({ isolated: true, sharedArrayBuffer: 'function', state: 'isolated', controlled: true, cores: facts.cores });
  expect(loads).toHaveLength(2);

  const made = await generateOnWasm(page);
  expect(made.frameCount).toBe(4);
  const threads = expectedThreads(facts.cores);
  test.skip(threads < 2, 'this machine reports one core: nothing to show beyond isolation');
  expect(made.backend.label).toBe(`WebAssembly on the CPU (onnxruntime-web, ${threads} threads)`);
  // The label is not just a setting: ORT really started threads - 1 workers from our own .mjs.
  expect(ortThreadWorkers(page)).toHaveLength(threads - 1);
  expect(log.foreign(new URL(PLAIN_HOST_URL).origin)).toEqual([]);

  // No second reload, ever.
  await page.waitForTimeout(1000);
  expect(loads).toHaveLength(2);
});

test('under a sub-path on a host with no headers: isolated, several threads', async ({ page, context }) => {
  const log = recordRequests(context);
  const loads = countNavigations(page);
  await page.goto(SUBPATH_URL);
  const facts = await ready(page);
  expect(facts.isolated).toBe(true);
  expect(facts.state).toBe('isolated');
  expect(loads).toEqual([SUBPATH_URL, SUBPATH_URL]);
  const made = await generateOnWasm(page);
  const threads = expectedThreads(facts.cores);
  expect(made.backend.label).toContain(`onnxruntime-web, ${threads} thread`);
  expect(ortThreadWorkers(page)).toHaveLength(threads - 1);
  expect(log.foreign(new URL(SUBPATH_URL).origin)).toEqual([]);
});

test('offline, a reload is still isolated and still generates on several threads', async ({ page, context }) => {
  await page.goto(PLAIN_HOST_URL);
  await ready(page);
  await generateOnWasm(page); // the model goes into IndexedDB; the shell and ORT's files are precached

  await context.setOffline(true);
  try {
    const loads = countNavigations(page);
    await page.reload();
    const facts = await ready(page);
    expect(facts).toMatchObject({ isolated: true, sharedArrayBuffer: 'function', state: 'isolated', controlled: true });
    expect(loads).toHaveLength(1);
    const made = await generateOnWasm(page);
    const threads = expectedThreads(facts.cores);
    expect(made.backend.label).toContain(`onnxruntime-web, ${threads} thread`);
    expect(ortThreadWorkers(page)).toHaveLength(threads - 1);
    // Signed offline too: the C2PA SDK's wasm comes from the precache, its worker runs isolated.
    expect(made.contentCredentials?.state).toBe('signed');
  } finally {
    await context.setOffline(false);
  }
});

test("npm start's server sends COOP/COEP itself: isolated from the first load, no reload", async ({ page }) => {
  const loads = countNavigations(page);
  const first = await page.goto(ROOT_URL);
  expect(first!.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(first!.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  const facts = await ready(page);
  expect(facts.isolated).toBe(true);
  expect(facts.state).toBe('isolated');
  await page.waitForTimeout(1000);
  expect(loads).toHaveLength(1);
});

test.describe('without a service worker', () => {
  test.use({ serviceWorkers: 'block' });

  test('the app still runs, on one thread, with no reload', async ({ page }) => {
    const loads = countNavigations(page);
    await page.goto(PLAIN_HOST_URL);
    const facts = await ready(page);
    expect(facts.isolated).toBe(false);
    expect(facts.state).toBe('no-service-worker');
    const made = await generateOnWasm(page);
    expect(made.frameCount).toBe(4);
    expect(made.backend.label).toBe('WebAssembly on the CPU (onnxruntime-web, 1 thread)');
    expect(ortThreadWorkers(page)).toHaveLength(0);
    expect(loads).toHaveLength(1);
  });
});

test('a browser that refuses isolation gets one reload, then the app, and no loop', async ({ page }) => {
  // Stands in for a browser that ignores the service worker's headers: the page never sees itself isolated.
  await page.addInitScript(() => {
    Object.defineProperty(globalThis, 'crossOriginIsolated', { get: () => false, configurable: true });
  });
  const loads = countNavigations(page);
  await page.goto(PLAIN_HOST_URL);
  const facts = await ready(page);
  expect(facts.isolated).toBe(false);
  expect(facts.state).toBe('refused');
  await expect(page.getByRole('heading', { name: 'Kinora', exact: true })).toBeVisible();
  await page.waitForTimeout(2000);
  expect(loads).toHaveLength(2);
  // Later loads in this tab do not reload either.
  await page.reload();
  await ready(page);
  await page.waitForTimeout(1000);
  expect(loads).toHaveLength(3);
});
