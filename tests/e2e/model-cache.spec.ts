// The model loader and its IndexedDB cache in Debian's Chromium (tests/browser/model-cache.html
// on the Vite dev server). The spec plays the static host through page.route: it serves two
// small models under a sub-path, honours Range requests as sirv does, and can cut a download
// short or answer 404. Each test starts with an empty IndexedDB (a fresh browser context).
import { createHash, randomBytes } from 'node:crypto';
import { test, expect, type Page, type Route } from '@playwright/test';
import type { LoadArgs, LoadReport, ModelCacheChecksApi } from '../browser/model-cache';

// Relative to the project's baseURL: the Vite dev server over the repo root (kernels-in-browser).
const PAGE_PATH = '/tests/browser/model-cache.html';

const MODELS: Record<string, Record<string, Buffer>> = {
  'tiny-a': { 'dit.safetensors': randomBytes(600_000), 'vae_decoder.onnx': randomBytes(70_000) },
  'tiny-b': { 'weights.bin': randomBytes(30_000) },
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const manifestOf = (id: string) => ({
  id,
  format_version: 1,
  files: Object.fromEntries(Object.entries(MODELS[id]).map(([name, b]) => [name, { size: b.byteLength, sha256: sha(b) }])),
});
const shasOf = (id: string) => Object.fromEntries(Object.entries(MODELS[id]).map(([name, b]) => [name, sha(b)]));

interface HostLog {
  /** Paths below the site, with the Range header if any. */
  requests: { path: string; range?: string }[];
  /** Requests for model files proper: not the index, not a manifest. */
  fileRequests(): string[];
}

type Mischief = (path: string, n: number) => 'cut' | 'not-found' | 'offline' | undefined;

/** Opens the check page and serves the models below its site URL, as a static host would. */
async function openSite(page: Page, mischief: { current?: Mischief } = {}): Promise<HostLog> {
  await page.goto(PAGE_PATH);
  await page.waitForFunction(() => 'kinoraModelCacheChecks' in globalThis);
  const siteUrl = await page.evaluate(() => (globalThis as unknown as OnPage).kinoraModelCacheChecks.siteUrl);
  const log: HostLog = {
    requests: [],
    fileRequests: () => log.requests.map((r) => r.path).filter((p) => !p.endsWith('index.json') && !p.endsWith('manifest.json')),
  };
  const seen = new Map<string, number>();
  await page.route(`${siteUrl}**`, (route: Route) => {
    const path = route.request().url().slice(siteUrl.length);
    const range = route.request().headers()['range'];
    log.requests.push({ path, range });
    const n = seen.get(path) ?? 0;
    seen.set(path, n + 1);
    const trick = mischief.current?.(path, n);
    if (trick === 'offline') return route.abort('internetdisconnected');
    if (trick === 'not-found') return route.fulfill({ status: 404, body: 'Not found' });
    const body = bodyFor(path);
    if (!body) return route.fulfill({ status: 404, body: 'Not found' });
    const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (match) {
      const start = Number(match[1]);
      return route.fulfill({
        status: 206,
        headers: { 'Content-Range': `bytes ${start}-${body.byteLength - 1}/${body.byteLength}`, 'Accept-Ranges': 'bytes' },
        body: body.subarray(start),
      });
    }
    // A cut: the connection drops after 40% of the file (the browser sees a short body).
    return route.fulfill({ status: 200, headers: { 'Accept-Ranges': 'bytes' }, body: trick === 'cut' ? body.subarray(0, Math.floor(body.byteLength * 0.4)) : body });
  });
  return log;
}

function bodyFor(path: string): Buffer | undefined {
  if (path === 'models/index.json') return Buffer.from(JSON.stringify({ models: Object.keys(MODELS), default: 'tiny-a' }));
  const match = /^models\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match || !MODELS[match[1]]) return undefined;
  const [, id, name] = match;
  return name === 'manifest.json' ? Buffer.from(JSON.stringify(manifestOf(id))) : MODELS[id][name];
}

// Each runs one method of the page's check API (the function body is sent to the page as is).
type OnPage = { kinoraModelCacheChecks: ModelCacheChecksApi };
const load = (page: Page, args: LoadArgs = {}) => page.evaluate((a) => (globalThis as unknown as OnPage).kinoraModelCacheChecks.load(a), args);
const list = (page: Page) => page.evaluate(() => (globalThis as unknown as OnPage).kinoraModelCacheChecks.list());
const deleteModel = (page: Page, id: string) => page.evaluate((i) => (globalThis as unknown as OnPage).kinoraModelCacheChecks.delete(i), id);
const deleteAll = (page: Page) => page.evaluate(() => (globalThis as unknown as OnPage).kinoraModelCacheChecks.deleteAll());
const corrupt = (page: Page, id: string, file: string) =>
  page.evaluate(([i, f]) => (globalThis as unknown as OnPage).kinoraModelCacheChecks.corrupt(i, f), [id, file] as const);

function expectLoaded(report: LoadReport): asserts report is Extract<LoadReport, { ok: true }> {
  expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
}

test('a first visit downloads and caches the model; the next makes no request for its files', async ({ page }) => {
  const host = await openSite(page);
  const first = await load(page);
  expectLoaded(first);
  expect(first.modelId).toBe('tiny-a');
  expect(first.sources).toEqual({ 'dit.safetensors': 'network', 'vae_decoder.onnx': 'network' });
  expect(first.sha256).toEqual(shasOf('tiny-a'));
  expect(first.lastProgress).toEqual({ loaded: 670_000, total: 670_000 });
  expect(first.progressEvents).toBeGreaterThan(2);
  expect(first.warnings).toEqual([]);
  expect(['granted', 'denied']).toContain(first.persistence);
  expect(host.fileRequests().sort()).toEqual(['models/tiny-a/dit.safetensors', 'models/tiny-a/vae_decoder.onnx']);
  expect(await list(page)).toMatchObject([{ id: 'tiny-a', totalBytes: 670_000, storedBytes: 670_000, complete: true }]);

  // The next visit: a fresh page on the same profile.
  const next = await openSite(page);
  const second = await load(page);
  expectLoaded(second);
  expect(second.sources).toEqual({ 'dit.safetensors': 'cache', 'vae_decoder.onnx': 'cache' });
  expect(second.sha256).toEqual(shasOf('tiny-a'));
  expect(next.fileRequests()).toEqual([]);

  // And a visit with the network off: the index and manifest come from the cache too.
  const offline = await openSite(page, { current: () => 'offline' });
  const third = await load(page);
  expectLoaded(third);
  expect(third.manifestSource).toBe('cache');
  expect(third.sha256).toEqual(shasOf('tiny-a'));
  expect(offline.fileRequests()).toEqual([]);
});

test('a cut download resumes with a Range request', async ({ page }) => {
  const host = await openSite(page, { current: (path, n) => (path.endsWith('dit.safetensors') && n === 0 ? 'cut' : undefined) });
  const report = await load(page);
  expectLoaded(report);
  expect(report.sha256).toEqual(shasOf('tiny-a'));
  expect(host.requests.filter((r) => r.path.endsWith('dit.safetensors')).map((r) => r.range)).toEqual([undefined, 'bytes=240000-']);
});

test('a corrupted cache entry is dropped and fetched again', async ({ page }) => {
  await openSite(page);
  expectLoaded(await load(page));
  expect(await corrupt(page, 'tiny-a', 'vae_decoder.onnx')).toBe(true);

  const host = await openSite(page);
  const report = await load(page);
  expectLoaded(report);
  expect(report.repaired).toEqual(['vae_decoder.onnx']);
  expect(report.sources).toEqual({ 'dit.safetensors': 'cache', 'vae_decoder.onnx': 'network' });
  expect(report.sha256).toEqual(shasOf('tiny-a'));
  expect(host.fileRequests()).toEqual(['models/tiny-a/vae_decoder.onnx']);
});

test('a full quota still returns the model and warns the user', async ({ page }) => {
  await openSite(page);
  const report = await load(page, { fullQuota: true });
  expectLoaded(report);
  expect(report.sha256).toEqual(shasOf('tiny-a'));
  expect(report.warnings).toHaveLength(1);
  expect(report.warnings[0].name).toBe('ModelCacheFullError');
  expect(report.warnings[0].message).toContain('Kinora still works, but will download the model again');
  expect(await list(page)).toEqual([]);
});

test('several models are listed with their sizes; one or all can be deleted', async ({ page }) => {
  await openSite(page);
  expectLoaded(await load(page));
  expectLoaded(await load(page, { modelId: 'tiny-b' }));
  expect(await list(page)).toMatchObject([
    { id: 'tiny-a', totalBytes: 670_000, complete: true },
    { id: 'tiny-b', totalBytes: 30_000, complete: true },
  ]);
  await deleteModel(page, 'tiny-a');
  expect((await list(page)).map((m) => m.id)).toEqual(['tiny-b']);

  // The deleted model really is gone: loading it downloads it again.
  const host = await openSite(page);
  const again = await load(page, { modelId: 'tiny-a' });
  expectLoaded(again);
  expect(Object.values(again.sources)).toEqual(['network', 'network']);
  expect(host.fileRequests()).toHaveLength(2);

  await deleteAll(page);
  expect(await list(page)).toEqual([]);
});

test('a missing file fails with a message for the user', async ({ page }) => {
  await openSite(page, { current: (path) => (path.endsWith('vae_decoder.onnx') ? 'not-found' : undefined) });
  const report = await load(page);
  expect(report).toMatchObject({ ok: false, name: 'ModelFileMissingError' });
  expect(report.ok === false && report.message).toContain('vae_decoder.onnx could not be downloaded (the server answered 404)');
});
