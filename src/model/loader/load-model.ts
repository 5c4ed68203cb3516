// Loads one model for the worker, one job per call: readModelManifest reads its manifest (from
// the network, or from the cache when offline) and stores nothing; loadModel then takes each file
// from IndexedDB when a verified copy is there, else from the network with progress, verification
// and resume, storing what it downloaded for next time. The cache is a convenience: when it is
// full or refused, the model still loads, with a warning.
import { ModelCache, type CachedModelRecord } from '../../store/model-cache';
import { ModelCacheError } from '../../store/model-cache-errors';
import type { ModelSource } from '../model-source';
import type { ModelManifest } from '../manifest';
import { downloadVerifiedFile, type DownloadOptions, type FetchLike } from './download';
import { ModelLoadAbortedError, ModelLoadError, ModelManifestError, ModelFileMissingError, ModelNetworkError, UnknownModelError } from './errors';
import {
  manifestUrl,
  modelFileUrl,
  modelIndexUrl,
  parseManifest,
  parseModelIndex,
  totalBytes,
  type ModelFileEntry,
  type ParsedManifest,
  type ModelIndex,
} from './site-files';
import { requestPersistentStorage, type PersistenceManager, type StoragePersistence } from './persistent-storage';
import { sha256Hex } from './sha256';

export type ModelFileSource = 'cache' | 'network';

export interface ModelLoadProgress {
  modelId: string;
  file: string;
  source: ModelFileSource;
  fileLoaded: number;
  fileTotal: number;
  /** Over every file this load fetches. */
  loaded: number;
  total: number;
}

export interface ManifestOptions {
  /** The page's URL or the site's root folder: models are at `<site>/models/`. In a worker, pass the page's `document.baseURI`. */
  siteUrl: string | URL;
  /** Which model; by default the `default` of models/index.json. */
  modelId?: string;
  /** Where an offline visit finds the manifest; `null`: the network only. Default: IndexedDB. */
  cache?: ModelCache | null;
  fetch?: FetchLike;
  signal?: AbortSignal;
}

/** A model's manifest as read, and where from. */
export interface ManifestRead {
  manifest: ParsedManifest;
  source: ModelFileSource;
  /** models/index.json, when it was fetched to find the default model: loadModel remembers it for offline visits. */
  index?: ModelIndex;
}

export interface LoadModelOptions extends ManifestOptions, Pick<DownloadOptions, 'maxAttempts' | 'retryDelayMs'> {
  /** The manifest already read (readModelManifest), so it is not fetched again; read here when absent. */
  manifest?: ManifestRead;
  /** Which of the manifest's files to load (e.g. not the test goldens); all by default. */
  include?: (file: ModelFileEntry) => boolean;
  onProgress?: (progress: ModelLoadProgress) => void;
  /** Told as soon as the model cannot be kept for offline use (also in the result's warnings). */
  onWarning?: (warning: ModelCacheError) => void;
  /** Asked once to keep storage persistent; `null` skips asking. Default: navigator.storage. */
  storageManager?: PersistenceManager | null;
}

/** A loaded model; it is the ModelSource that KinoraModel.load takes. */
export interface LoadedModel extends ModelSource {
  /** The whole manifest.json. */
  manifest: ModelManifest;
  manifestSource: ModelFileSource;
  /** The manifest's files as the loader checked them (name, size, sha256), loaded or not. */
  fileList: readonly ModelFileEntry[];
  /** Each loaded file's verified bytes, by file name. */
  bytes: ReadonlyMap<string, Uint8Array<ArrayBuffer>>;
  sources: ReadonlyMap<string, ModelFileSource>;
  /** Cached files whose bytes no longer matched their hash: dropped and downloaded again. */
  repaired: readonly string[];
  /** Why the model is not (fully) kept for offline use; empty when it is. */
  warnings: readonly ModelCacheError[];
  persistence: StoragePersistence;
}

export async function loadModel(options: LoadModelOptions): Promise<LoadedModel> {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const cache = options.cache === undefined ? new ModelCache() : options.cache;
  const { signal } = options;
  const warnings: ModelCacheError[] = [];
  // The cache is best-effort: a failure becomes a warning, and after one, later steps would
  // fail the same way, so the rest of this load leaves the cache alone.
  let cacheUsable = cache !== null;
  const withCache = async <T>(step: (c: ModelCache) => Promise<T>): Promise<T | undefined> => {
    if (!cache || !cacheUsable) return undefined;
    try {
      return await step(cache);
    } catch (err) {
      if (!(err instanceof ModelCacheError)) throw err;
      warnings.push(err);
      cacheUsable = false;
      options.onWarning?.(err);
      return undefined;
    }
  };
  const persistence =
    cache === null || options.storageManager === null ? Promise.resolve<StoragePersistence>('not-asked') : requestPersistentStorage(options.storageManager);

  const read = options.manifest ?? (await readModelManifest({ ...options, cache }));
  const { manifest, source: manifestSource } = read;
  const modelId = manifest.id;

  // Remembering the index is a nicety for offline starts; a full disk must not stop the load.
  if (read.index) await cache?.writeIndex(read.index).catch(() => {});
  // Recorded before the first file, so that a download cut short is listed and can be deleted.
  await withCache(async (c) => {
    const existing = await c.readRecord(modelId);
    if (!existing || !sameFiles(existing.files, manifest.files)) await c.writeRecord(recordOf(manifest, existing?.cachedAt));
  });

  const wanted = manifest.files.filter(options.include ?? (() => true));
  const total = totalBytes(wanted);
  const loaded = new Map<string, Uint8Array<ArrayBuffer>>();
  const sources = new Map<string, ModelFileSource>();
  const repaired: string[] = [];
  let done = 0;
  let storedAny = false;

  for (const file of wanted) {
    if (signal?.aborted) throw new ModelLoadAbortedError();
    const report = (source: ModelFileSource, fileLoaded: number) =>
      options.onProgress?.({ modelId, file: file.name, source, fileLoaded, fileTotal: file.bytes, loaded: done + fileLoaded, total });

    let bytes = await withCache((c) => readVerified(c, modelId, file, repaired));
    if (!bytes) {
      // Another model keeps the same file: copy it under this model (each model's files stay its own,
      // so removing one model never breaks another).
      const shared = await withCache((c) => readShared(c, modelId, file));
      if (shared && (await withCache((c) => c.writeFile(modelId, file, shared).then(() => true)))) storedAny = true;
      bytes = shared;
    }
    if (bytes) {
      sources.set(file.name, 'cache');
      report('cache', file.bytes);
    } else {
      const downloaded = await downloadVerifiedFile(modelFileUrl(options.siteUrl, file.storedIn ?? modelId, file.name).href, file, {
        fetch: fetchFn,
        maxAttempts: options.maxAttempts,
        retryDelayMs: options.retryDelayMs,
        signal,
        onProgress: (fileLoaded) => report('network', fileLoaded),
      });
      bytes = downloaded;
      sources.set(file.name, 'network');
      if (await withCache((c) => c.writeFile(modelId, file, downloaded).then(() => true))) storedAny = true;
    }
    loaded.set(file.name, bytes);
    done += file.bytes;
  }

  if (storedAny) await withCache((c) => c.writeRecord(recordOf(manifest, Date.now())));
  return {
    manifest: manifest.document,
    manifestSource,
    fileList: manifest.files,
    bytes: loaded,
    sources,
    repaired,
    warnings,
    persistence: await persistence,
    file: async (name) => {
      const bytes = loaded.get(name);
      if (!bytes) throw new ModelLoadError(`The model ${modelId} was loaded without its file ${name}; load it with that file included.`);
      return bytes;
    },
  };
}

/** A stored file's bytes if they still match the manifest; a damaged copy is deleted and named in `repaired`. */
async function readVerified(cache: ModelCache, modelId: string, file: ModelFileEntry, repaired: string[]): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const stored = await cache.readFile(modelId, file);
  if (!stored) return undefined;
  const bytes = new Uint8Array(stored);
  if (await matchesManifest(bytes, file)) return bytes;
  // A disk error, a write cut short, tampering: never use it, fetch it again.
  repaired.push(file.name);
  await cache.dropFile(modelId, file);
  return undefined;
}

/** Another model's copy of the same file, if its bytes match the manifest (a bad copy is left for its own model to repair). */
async function readShared(cache: ModelCache, modelId: string, file: ModelFileEntry): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const stored = await cache.readSharedFile(modelId, file);
  if (!stored) return undefined;
  const bytes = new Uint8Array(stored);
  return (await matchesManifest(bytes, file)) ? bytes : undefined;
}

/** Size and SHA-256 as the manifest gives them: a copy read from disk is what runs on the GPU. */
async function matchesManifest(bytes: Uint8Array<ArrayBuffer>, file: ModelFileEntry): Promise<boolean> {
  return bytes.byteLength === file.bytes && (await sha256Hex(bytes)) === file.sha256;
}

function recordOf(manifest: ParsedManifest, cachedAt: number | undefined): CachedModelRecord {
  return { id: manifest.id, files: [...manifest.files], totalBytes: totalBytes(manifest.files), cachedAt, manifest: manifest.document };
}

/**
 * The manifest of `options.modelId` (by default the site's default model): from the network, or
 * offline from the copy stored with the model's files. Reads the cache, never writes it.
 */
export async function readModelManifest(options: ManifestOptions): Promise<ManifestRead> {
  const fetchFn: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const cache = options.cache === undefined ? new ModelCache() : options.cache;
  const index = options.modelId === undefined ? await siteIndex(options.siteUrl, fetchFn, cache, options.signal) : undefined;
  const modelId = options.modelId ?? index!.index.default;
  let read: Awaited<ReturnType<typeof fetchManifest>>;
  try {
    read = await fetchManifest(options.siteUrl, modelId, fetchFn, cache, options.signal);
  } catch (err) {
    // A model the site does not list is named as such, with the ones it has, rather than as a
    // missing file "in a minute".
    throw (await unlistedModel(options.siteUrl, modelId, fetchFn, cache, options.signal)) ?? err;
  }
  return index?.fetched ? { ...read, index: index.index } : read;
}

/** The error for `modelId` when the site's index (read now, or as remembered) does not list it; undefined when it does or cannot be read. */
async function unlistedModel(siteUrl: string | URL, modelId: string, fetchFn: FetchLike, cache: ModelCache | null, signal: AbortSignal | undefined): Promise<UnknownModelError | undefined> {
  const listed = await siteIndex(siteUrl, fetchFn, cache, signal).catch(() => undefined);
  if (!listed || listed.index.models.includes(modelId)) return undefined;
  return new UnknownModelError(modelId, listed.index.models, listed.index.default);
}

/** The site's models/index.json; offline, the one remembered from the last visit. */
async function siteIndex(siteUrl: string | URL, fetchFn: FetchLike, cache: ModelCache | null, signal: AbortSignal | undefined): Promise<{ index: ModelIndex; fetched: boolean }> {
  const url = modelIndexUrl(siteUrl).href;
  try {
    return { index: parseModelIndex(await fetchJson(url, fetchFn, signal), url), fetched: true };
  } catch (err) {
    const remembered = await offlineFallback(err, () => cache?.readIndex());
    if (remembered) return { index: remembered, fetched: false };
    throw err;
  }
}

async function fetchManifest(
  siteUrl: string | URL,
  modelId: string,
  fetchFn: FetchLike,
  cache: ModelCache | null,
  signal: AbortSignal | undefined,
): Promise<{ manifest: ParsedManifest; source: ModelFileSource }> {
  const url = manifestUrl(siteUrl, modelId).href;
  try {
    const manifest = parseManifest(await fetchJson(url, fetchFn, signal), url);
    if (manifest.id !== modelId) throw new ModelManifestError(url, `it describes the model "${manifest.id}", not "${modelId}"`);
    return { manifest, source: 'network' };
  } catch (err) {
    // Offline (or the site lost the model): the manifest stored with the files still describes them.
    const record = await offlineFallback(err, () => cache?.readRecord(modelId));
    if (record) return { manifest: parseManifest(record.manifest, `${url} (cached)`), source: 'cache' };
    throw err;
  }
}

/** Reads a fallback from the cache after a network failure; aborts and non-loading errors pass through. */
async function offlineFallback<T>(err: unknown, read: () => Promise<T | undefined> | undefined): Promise<T | undefined> {
  if (err instanceof ModelLoadAbortedError || !(err instanceof ModelLoadError)) throw err;
  try {
    return await read();
  } catch (cacheErr) {
    if (cacheErr instanceof ModelCacheError) return undefined;
    throw cacheErr;
  }
}

async function fetchJson(url: string, fetchFn: FetchLike, signal: AbortSignal | undefined): Promise<unknown> {
  let response: Response;
  try {
    // no-cache: always ask the server whether the model changed (a 304 costs little), so a
    // re-exported model is noticed; offline, the cached copy above takes over.
    response = await fetchFn(url, { cache: 'no-cache', signal });
  } catch (err) {
    if (signal?.aborted) throw new ModelLoadAbortedError();
    throw new ModelNetworkError(url, err);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ModelFileMissingError(url, response.status);
  }
  try {
    return await response.json();
  } catch {
    throw new ModelManifestError(url, 'it is not JSON');
  }
}

function sameFiles(a: readonly ModelFileEntry[], b: readonly ModelFileEntry[]): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i].name && f.sha256 === b[i].sha256 && f.bytes === b[i].bytes);
}
