// The whole load of a model against a fake host and an in-memory cache store: the index and
// manifest under a sub-path, overall progress, the cache on a second and an offline visit, a
// damaged cache entry, a full quota, a model update, persistent storage, and the manifest format.
import { describe, expect, it } from 'vitest';
import { ModelFileMissingError, ModelManifestError, ModelNeedsNewerAppError, ModelNetworkError, UnknownModelError } from '../../src/model/loader/errors';
import { loadModel, type LoadModelOptions, type ModelLoadProgress } from '../../src/model/loader/load-model';
import { manifestUrl, modelFileUrl, parseFileList, parseManifest, parseModelIndex } from '../../src/model/loader/site-files';
import { requestPersistentStorage } from '../../src/model/loader/persistent-storage';
import { ModelCache } from '../../src/store/model-cache';
import { ModelCacheFullError, ModelCacheUnavailableError } from '../../src/store/model-cache-errors';
import { fakeHost, memoryStorage, patternBytes, sha256, type Misbehaviour } from './model-test-helpers';

const SITE = 'http://host/some/sub/path/index.html';
const MODELS = 'http://host/some/sub/path/models/';
const dit = patternBytes(5000, 1);
const vae = patternBytes(3000, 2);
const manifest = (files: Record<string, Uint8Array>, id = 'tiny') => ({
  id,
  format_version: 1,
  files: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, { size: bytes.byteLength, sha256: sha256(bytes) }])),
  architecture: { note: 'read by the model builder, not the loader' },
});

function site(options: { misbehave?: (path: string, n: number) => Misbehaviour | undefined; ranges?: boolean } = {}) {
  return fakeHost(
    {
      [`${MODELS}index.json`]: { models: ['tiny', 'other'], default: 'tiny' },
      [`${MODELS}tiny/manifest.json`]: manifest({ 'dit.safetensors': dit, 'vae_decoder.onnx': vae }),
      [`${MODELS}tiny/dit.safetensors`]: dit,
      [`${MODELS}tiny/vae_decoder.onnx`]: vae,
      [`${MODELS}other/manifest.json`]: manifest({ 'w.bin': vae }, 'other'),
      [`${MODELS}other/w.bin`]: vae,
    },
    { ranges: options.ranges ?? true, misbehave: options.misbehave },
  );
}

const neverAsk = { storageManager: null, retryDelayMs: () => 0 } satisfies Partial<LoadModelOptions>;

describe('loadModel', () => {
  it('resolves the default model under the page sub-path, downloads every file and reports overall progress', async () => {
    const host = site();
    const progress: ModelLoadProgress[] = [];
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: host.fetch, cache: null, onProgress: (p) => progress.push(p) });
    expect(model.manifest.id).toBe('tiny');
    expect(model.bytes.get('dit.safetensors')).toEqual(dit);
    expect(await model.file('vae_decoder.onnx')).toEqual(vae);
    expect(host.requests.map((r) => r.url)).toEqual([
      `${MODELS}index.json`,
      `${MODELS}tiny/manifest.json`,
      `${MODELS}tiny/dit.safetensors`,
      `${MODELS}tiny/vae_decoder.onnx`,
    ]);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ file: 'vae_decoder.onnx', loaded: 8000, total: 8000, fileLoaded: 3000, source: 'network' });
    const overall = progress.map((p) => p.loaded);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(progress.find((p) => p.file === 'vae_decoder.onnx' && p.fileLoaded === 1000)?.loaded).toBe(6000);
  });

  it("fetches a file the manifest says is stored in another model's folder from that folder, and checks it", async () => {
    const student = manifest({ 'dit.safetensors': dit, 'vae_decoder.onnx': vae }, 'student');
    (student.files as Record<string, Record<string, unknown>>)['vae_decoder.onnx'].stored_in = 'tiny';
    const host = fakeHost({
      [`${MODELS}index.json`]: { models: ['tiny', 'student'], default: 'tiny' },
      [`${MODELS}student/manifest.json`]: student,
      [`${MODELS}student/dit.safetensors`]: dit,
      [`${MODELS}tiny/vae_decoder.onnx`]: vae,
    }, { ranges: true });
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'student', fetch: host.fetch, cache: null });
    expect(await model.file('vae_decoder.onnx')).toEqual(vae);
    expect(host.requests.map((r) => r.url)).toContain(`${MODELS}tiny/vae_decoder.onnx`);
    expect(host.requests.map((r) => r.url)).not.toContain(`${MODELS}student/vae_decoder.onnx`);
    expect(() => parseFileList({ 'a.bin': { size: 1, sha256: sha256(vae), stored_in: '../x' } }, 'm.json')).toThrow(/not a plain model id/);
  });

  it('loads only the files asked for, and names a missing one clearly', async () => {
    const host = site();
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'tiny', fetch: host.fetch, cache: null, include: (f) => f.name.endsWith('.onnx') });
    expect([...model.bytes.keys()]).toEqual(['vae_decoder.onnx']);
    expect(host.count('dit.safetensors')).toBe(0);
    await expect(model.file('dit.safetensors')).rejects.toThrow(/loaded without its file dit\.safetensors/);
  });

  it('stores what it downloaded and loads it next time without requesting any model file', async () => {
    const storage = memoryStorage();
    const first = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(storage) });
    expect([...first.sources.values()]).toEqual(['network', 'network']);

    const host = site();
    const progress: ModelLoadProgress[] = [];
    const second = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: host.fetch, cache: new ModelCache(storage), onProgress: (p) => progress.push(p) });
    expect([...second.sources.values()]).toEqual(['cache', 'cache']);
    expect(second.bytes.get('dit.safetensors')).toEqual(dit);
    expect(host.count('.safetensors') + host.count('.onnx')).toBe(0);
    expect(progress.map((p) => [p.file, p.source, p.loaded])).toEqual([
      ['dit.safetensors', 'cache', 5000],
      ['vae_decoder.onnx', 'cache', 8000],
    ]);
  });

  it('loads offline from the cache alone: index, manifest and files', async () => {
    const storage = memoryStorage();
    await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(storage) });
    const offline = site({ misbehave: () => ({ kind: 'network' }) });
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: offline.fetch, cache: new ModelCache(storage) });
    expect(model.manifestSource).toBe('cache');
    expect(model.manifest.id).toBe('tiny');
    expect(model.bytes.get('vae_decoder.onnx')).toEqual(vae);
    expect(offline.requests.map((r) => r.url)).toEqual([`${MODELS}index.json`, `${MODELS}tiny/manifest.json`]);
  });

  it('offline with nothing cached fails with the network error', async () => {
    const offline = site({ misbehave: () => ({ kind: 'network' }) });
    const attempt = loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'tiny', fetch: offline.fetch, cache: new ModelCache(memoryStorage()) });
    await expect(attempt).rejects.toBeInstanceOf(ModelNetworkError);
  });

  it('drops a damaged cached file and downloads it again', async () => {
    const storage = memoryStorage();
    await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(storage) });
    const entry = [...storage.map.values()].find((e) => Array.isArray(e.key) && e.key[2] === 'dit.safetensors')!;
    new Uint8Array(entry.value as ArrayBuffer)[100] ^= 1;

    const host = site();
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: host.fetch, cache: new ModelCache(storage) });
    expect(model.repaired).toEqual(['dit.safetensors']);
    expect(model.sources.get('dit.safetensors')).toBe('network');
    expect(model.sources.get('vae_decoder.onnx')).toBe('cache');
    expect(model.bytes.get('dit.safetensors')).toEqual(dit);
    // The repaired copy is stored: a third load needs no download.
    const third = site();
    await loadModel({ ...neverAsk, siteUrl: SITE, fetch: third.fetch, cache: new ModelCache(storage) });
    expect(third.count('dit.safetensors')).toBe(0);
  });

  it('with a full quota still returns the bytes and warns once, with a message for the user', async () => {
    const storage = memoryStorage();
    storage.failSet = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const told: unknown[] = [];
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(storage), onWarning: (w) => told.push(w) });
    expect(model.bytes.get('dit.safetensors')).toEqual(dit);
    expect(model.bytes.get('vae_decoder.onnx')).toEqual(vae);
    expect(model.warnings).toHaveLength(1);
    expect(told).toEqual(model.warnings);
    expect(model.warnings[0]).toBeInstanceOf(ModelCacheFullError);
    expect(model.warnings[0].message).toMatch(/not enough browser storage to keep the model tiny.*Kinora still works/);
  });

  it('with IndexedDB refused (private browsing) still loads, with its own warning', async () => {
    const storage = memoryStorage();
    storage.get = async () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(storage) });
    expect(model.bytes.get('dit.safetensors')).toEqual(dit);
    expect(model.warnings[0]).toBeInstanceOf(ModelCacheUnavailableError);
    expect(model.warnings[0].message).toMatch(/SecurityError/);
  });

  it('after a model update downloads only the changed file and deletes the old version', async () => {
    const storage = memoryStorage();
    const cache = new ModelCache(storage);
    await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache });
    const newDit = patternBytes(5000, 9);
    const updated = fakeHost({
      [`${MODELS}tiny/manifest.json`]: manifest({ 'dit.safetensors': newDit, 'vae_decoder.onnx': vae }),
      [`${MODELS}tiny/dit.safetensors`]: newDit,
      [`${MODELS}tiny/vae_decoder.onnx`]: vae,
    });
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'tiny', fetch: updated.fetch, cache });
    expect(model.sources.get('dit.safetensors')).toBe('network');
    expect(model.sources.get('vae_decoder.onnx')).toBe('cache');
    const ditKeys = (await storage.keys()).filter((k) => Array.isArray(k) && k[2] === 'dit.safetensors');
    expect(ditKeys).toEqual([['file', 'tiny', 'dit.safetensors', sha256(newDit)]]);
  });

  it('takes a file another model already keeps (same hash) from the cache, and keeps it when that model is removed', async () => {
    const storage = memoryStorage();
    const cache = new ModelCache(storage);
    await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'tiny', fetch: site().fetch, cache });
    const fastDit = patternBytes(4000, 5);
    const shared = (misbehave?: (path: string, n: number) => Misbehaviour | undefined) => fakeHost({
      [`${MODELS}fast/manifest.json`]: manifest({ 'dit.safetensors': fastDit, 'vae_decoder.onnx': vae }, 'fast'),
      [`${MODELS}fast/dit.safetensors`]: fastDit,
      [`${MODELS}fast/vae_decoder.onnx`]: vae,
    }, { misbehave });
    const host = shared();
    const model = await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'fast', fetch: host.fetch, cache });
    expect(model.sources.get('dit.safetensors')).toBe('network');
    expect(model.sources.get('vae_decoder.onnx')).toBe('cache');
    expect(model.bytes.get('vae_decoder.onnx')).toEqual(vae);
    expect(host.count('vae_decoder.onnx')).toBe(0);

    // A damaged copy in the other model is not used: the file is downloaded.
    await cache.delete('fast');
    const entry = [...storage.map.values()].find((e) => Array.isArray(e.key) && e.key[1] === 'tiny' && e.key[2] === 'vae_decoder.onnx')!;
    new Uint8Array(entry.value as ArrayBuffer)[7] ^= 1;
    const again = shared();
    const reloaded = await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'fast', fetch: again.fetch, cache });
    expect(reloaded.sources.get('vae_decoder.onnx')).toBe('network');
    expect(reloaded.bytes.get('vae_decoder.onnx')).toEqual(vae);

    // The copy is the model's own: with the first model gone, it still loads offline.
    await cache.delete('tiny');
    const offline = shared(() => ({ kind: 'network' }));
    const alone = await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'fast', fetch: offline.fetch, cache });
    expect([...alone.sources.values()]).toEqual(['cache', 'cache']);
  });

  it('asks for persistent storage once and reports the answer', async () => {
    let asked = 0;
    const manager = { persist: async () => (asked++, true) };
    const a = await loadModel({ siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(memoryStorage()), storageManager: manager });
    const b = await loadModel({ siteUrl: SITE, fetch: site().fetch, cache: new ModelCache(memoryStorage()), storageManager: manager });
    expect([a.persistence, b.persistence, asked]).toEqual(['granted', 'granted', 1]);
    expect(await requestPersistentStorage({ persist: async () => false })).toBe('denied');
    // A worker has no persist(): it can only say whether the page's request was granted.
    expect(await requestPersistentStorage({ persisted: async () => false })).toBe('not-asked');
    expect(await requestPersistentStorage({})).toBe('unsupported');
  });

  it('a model the site does not list is named as not there, with the models there are (not as a 404 to wait out)', async () => {
    const attempt = loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'nope', fetch: site().fetch, cache: null });
    await expect(attempt).rejects.toBeInstanceOf(UnknownModelError);
    await expect(attempt).rejects.toThrow(/^This site has no model "nope"\. Its models are /);
  });
});

describe('ModelCache', () => {
  it('lists models with their sizes, deletes one, deletes all', async () => {
    const storage = memoryStorage();
    const cache = new ModelCache(storage);
    await loadModel({ ...neverAsk, siteUrl: SITE, fetch: site().fetch, cache });
    await loadModel({ ...neverAsk, siteUrl: SITE, modelId: 'other', fetch: site().fetch, cache });
    const listed = await cache.list();
    expect(listed.map(({ id, totalBytes, storedBytes, complete }) => ({ id, totalBytes, storedBytes, complete }))).toEqual([
      { id: 'other', totalBytes: 3000, storedBytes: 3000, complete: true },
      { id: 'tiny', totalBytes: 8000, storedBytes: 8000, complete: true },
    ]);
    expect(listed[0].cachedAt).toBeGreaterThan(Date.now() - 60_000);

    await cache.delete('tiny');
    expect((await cache.list()).map((m) => m.id)).toEqual(['other']);
    expect((await storage.keys()).some((k) => Array.isArray(k) && k[1] === 'tiny')).toBe(false);

    await cache.deleteAll();
    expect(await cache.list()).toEqual([]);
    expect(await storage.keys()).toEqual([]);
  });

  it('turns a refused IndexedDB into an error the UI can show', async () => {
    const storage = memoryStorage();
    storage.keys = async () => {
      throw new DOMException('Connection to Indexed Database server lost.', 'UnknownError');
    };
    const cache = new ModelCache(storage);
    await expect(cache.list()).rejects.toBeInstanceOf(ModelCacheUnavailableError);
    await expect(cache.delete('tiny')).rejects.toThrow(/would not let Kinora keep the model tiny for offline use \(UnknownError/);
    await expect(cache.deleteAll()).rejects.toThrow(/would not let Kinora keep downloaded models/);
  });

  it('lists a download that was cut short as incomplete, so it can be deleted', async () => {
    const cache = new ModelCache(memoryStorage());
    const flaky = site({ misbehave: (url) => (url.endsWith('.onnx') ? { kind: 'status', status: 503 } : undefined) });
    await expect(loadModel({ ...neverAsk, siteUrl: SITE, fetch: flaky.fetch, cache })).rejects.toBeInstanceOf(ModelFileMissingError);
    expect(await cache.list()).toMatchObject([{ id: 'tiny', totalBytes: 8000, storedBytes: 5000, complete: false }]);
  });
});

describe('manifest format', () => {
  const url = 'http://host/models/tiny/manifest.json';
  const good = manifest({ 'dit.safetensors': dit });

  it('reads the file table as models/export.py writes it', () => {
    expect(parseManifest(good, url).files).toEqual([{ name: 'dit.safetensors', bytes: 5000, sha256: sha256(dit) }]);
  });

  it('resolves URLs against the site, never the origin root', () => {
    expect(manifestUrl('http://host/a/b/', 'tiny').href).toBe('http://host/a/b/models/tiny/manifest.json');
    expect(modelFileUrl('http://host/a/b/index.html', 'tiny', 'dit.safetensors').href).toBe('http://host/a/b/models/tiny/dit.safetensors');
  });

  const bad: [string, unknown, RegExp][] = [
    ['a list', [], /not a JSON object/],
    ['an id with a slash', { ...good, id: '../x' }, /"id" \("..\/x"\) is not a plain name/],
    ['an older or unknown format version', { ...good, format_version: 0 }, /format_version 0, and this version of Kinora reads 1, 2, 3/],
    ['files as a list', { ...good, files: [] }, /"files" is not an object/],
    ['no files', { ...good, files: {} }, /lists no files/],
    ['a file name that climbs out', { ...good, files: { '../x': { size: 1, sha256: 'a'.repeat(64) } } }, /"\.\.\/x" is not a plain file name/],
    ['a size that is not a count', { ...good, files: { x: { size: -1, sha256: 'a'.repeat(64) } } }, /size of x \(-1\)/],
    ['an uppercase sha256', { ...good, files: { x: { size: 1, sha256: 'A'.repeat(64) } } }, /sha256 of x is not 64 lowercase hex/],
  ];
  for (const [what, json, message] of bad) {
    it(`rejects ${what}`, () => {
      const attempt = () => parseManifest(json, url);
      expect(attempt).toThrow(ModelManifestError);
      expect(attempt).toThrow(message);
    });
  }

  it('says a model of a newer format needs a newer app, as the user\'s to fix (reload or choose another)', () => {
    const attempt = () => parseManifest({ ...good, format_version: 4 }, url);
    expect(attempt).toThrow(ModelNeedsNewerAppError);
    expect(attempt).toThrow(/"tiny" is made for a newer version of Kinora \(model format 4; this app reads up to 3\)\. Reload the page/);
    try {
      attempt();
    } catch (err) {
      expect((err as ModelNeedsNewerAppError).userError).toBe(true);
    }
  });

  it('reads both formats it runs: 1 (per-frame VAE) and 2 (causal spacetime VAE)', () => {
    expect(parseManifest({ ...good, format_version: 1 }, url).document.format_version).toBe(1);
    expect(parseManifest({ ...good, format_version: 2 }, url).document.format_version).toBe(2);
  });

  it('parseFileList is the one place that reads the table', () => {
    expect(parseFileList({ a: { size: 0, sha256: 'e'.repeat(64) } }, url)).toEqual([{ name: 'a', bytes: 0, sha256: 'e'.repeat(64) }]);
  });

  it('reads models/index.json and checks its default', () => {
    expect(parseModelIndex({ models: ['a', 'b'], default: 'b' }, url)).toEqual({ models: ['a', 'b'], default: 'b' });
    expect(() => parseModelIndex({ models: ['a'], default: 'b' }, url)).toThrow(/"default" \("b"\) is not one of the listed models/);
    expect(() => parseModelIndex({ models: [], default: 'a' }, url)).toThrow(/non-empty list of model ids/);
  });
});
