// In-browser checks of the model loader and its IndexedDB cache, driven by
// tests/e2e/model-cache.spec.ts. The spec serves the models (and cuts, breaks or refuses them)
// by intercepting requests under `siteUrl`; this page runs the real loader against the real
// IndexedDB and returns plain data: where each file came from, its hash, and any warning.
import { loadModel } from '../../src/model/loader/load-model';
import { sha256Hex } from '../../src/model/loader/sha256';
import { ModelCache, type CachedModelSummary } from '../../src/store/model-cache';
import { indexedDbModelStorage, type ModelCacheStorage } from '../../src/store/model-cache-storage';

/** The site the models are served from: a sub-path, to prove nothing resolves against '/'. */
const siteUrl = new URL('model-fixture-site/deep/path/', location.href);

export interface LoadArgs {
  modelId?: string;
  /** Make every write to the store fail as a full disk does. */
  fullQuota?: boolean;
}

export type LoadReport =
  | {
      ok: true;
      modelId: string;
      manifestSource: string;
      sources: Record<string, string>;
      sha256: Record<string, string>;
      repaired: string[];
      warnings: { name: string; message: string }[];
      persistence: string;
      progressEvents: number;
      lastProgress: { loaded: number; total: number } | null;
    }
  | { ok: false; name: string; message: string };

export interface ModelCacheChecksApi {
  /** Where the spec must serve `models/index.json` and `models/<id>/...` from. */
  siteUrl: string;
  load(args: LoadArgs): Promise<LoadReport>;
  list(): Promise<CachedModelSummary[]>;
  delete(modelId: string): Promise<void>;
  deleteAll(): Promise<void>;
  /** Flips one byte of a stored file in IndexedDB, as a disk error would. Returns false if absent. */
  corrupt(modelId: string, fileName: string): Promise<boolean>;
}

function fullQuotaStorage(inner: ModelCacheStorage): ModelCacheStorage {
  return {
    ...inner,
    set: async () => {
      throw new DOMException('The current transaction exceeded its quota limitations.', 'QuotaExceededError');
    },
  };
}

const storage = indexedDbModelStorage();

const api: ModelCacheChecksApi = {
  siteUrl: siteUrl.href,
  async load({ modelId, fullQuota }) {
    let progressEvents = 0;
    let lastProgress: { loaded: number; total: number } | null = null;
    try {
      const model = await loadModel({
        siteUrl,
        modelId,
        cache: new ModelCache(fullQuota ? fullQuotaStorage(storage) : storage),
        retryDelayMs: () => 0,
        onProgress: ({ loaded, total }) => {
          progressEvents++;
          lastProgress = { loaded, total };
        },
      });
      const sha256: Record<string, string> = {};
      for (const [name, bytes] of model.bytes) sha256[name] = await sha256Hex(bytes);
      return {
        ok: true,
        modelId: model.manifest.id,
        manifestSource: model.manifestSource,
        sources: Object.fromEntries(model.sources),
        sha256,
        repaired: [...model.repaired],
        warnings: model.warnings.map((w) => ({ name: w.name, message: w.message })),
        persistence: model.persistence,
        progressEvents,
        lastProgress,
      };
    } catch (err) {
      const e = err as Error;
      return { ok: false, name: e.name, message: e.message };
    }
  },
  list: () => new ModelCache(storage).list(),
  delete: (modelId) => new ModelCache(storage).delete(modelId),
  deleteAll: () => new ModelCache(storage).deleteAll(),
  async corrupt(modelId, fileName) {
    const key = (await storage.keys()).find((k) => Array.isArray(k) && k[0] === 'file' && k[1] === modelId && k[2] === fileName);
    if (!key) return false;
    const bytes = new Uint8Array((await storage.get<ArrayBuffer>(key))!);
    bytes[bytes.byteLength >> 1] ^= 0xff;
    await storage.set(key, bytes.buffer);
    return true;
  },
};

(globalThis as unknown as { kinoraModelCacheChecks: ModelCacheChecksApi }).kinoraModelCacheChecks = api;
