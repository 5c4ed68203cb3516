// The worker's ModelProvider: models shipped with the site under models/, loaded through the
// model loader (IndexedDB first, else the network with progress, sha256 checks and resume).
// Only the DiT files the engine reads are fetched (dit.safetensors for our WGSL; dit.onnx, and the
// dit.safetensors it reads its weights from, for wasm): the rest is loaded, and kept, only if a later
// generation runs on the other engine.
// Listing models and reading a manifest store nothing; only open() writes to the cache.
import { ENGINES, ditFiles, type Engine } from '../model/denoiser';
import type { ModelSource } from '../model/model-source';
import type { FetchLike } from '../model/loader/download';
import { loadModel, readModelManifest } from '../model/loader/load-model';
import { modelIndexUrl, parseModelIndex, type SiteModelIndex } from '../model/loader/site-files';
import type { ModelManifest } from '../model/manifest';
import { ModelCache } from '../store/model-cache';
import type { BackendChoice, ModelListing } from './api';
import type { ModelProvider } from './generation-service';
import type { ModelLoadReport } from './progress-meter';

/** The files a generation on `engine` needs: all but the test goldens and the other engines' DiTs. */
export function filesForEngine(manifest: Pick<ModelManifest, 'files' | 'weights'>, engine: Engine): string[] {
  const used = new Set(ditFiles(engine, manifest));
  const otherEngines = ENGINES.filter((e) => e !== engine).flatMap((e) => ditFiles(e, manifest));
  const unused = new Set(['goldens.safetensors', ...otherEngines.filter((name) => !used.has(name))]);
  return Object.keys(manifest.files).filter((name) => !unused.has(name));
}

export class SiteModelProvider implements ModelProvider {
  /**
   * `engine`: where this device generates by default (sizes and offline state count its files).
   * `cache` and `fetch` are IndexedDB and the network unless a test hands in its own.
   */
  constructor(
    private readonly siteUrl: string,
    private readonly engine: () => Promise<Engine>,
    private readonly cache: ModelCache = new ModelCache(),
    private readonly fetch: FetchLike = (url, init) => globalThis.fetch(url, init),
  ) {}

  /** The site's models (its index, or the cached copy of it offline), with sizes and cache state. */
  async list(backend: BackendChoice = 'auto'): Promise<ModelListing[]> {
    const index = await this.index();
    const engine = backend === 'auto' ? await this.engine() : backend;
    const cached = new Map((await this.cache.list().catch(() => [])).map((c) => [c.id, c]));
    const storedHashes = await this.cache.storedHashes().catch(() => new Set<string>());
    const listings: ModelListing[] = [];
    for (const id of index.models) {
      const manifest = await this.manifest(id).catch(() => undefined);
      if (!manifest) continue;
      const needed = filesForEngine(manifest, engine);
      const bytesOf = (names: string[]) => names.reduce((sum, name) => sum + manifest.files[name].size, 0);
      const c = cached.get(id);
      const stored = new Set(c?.storedFiles ?? []);
      listings.push({
        id,
        description: manifest.description ?? '',
        goodAt: index.goodAt?.[id] ?? '',
        // A manifest the generator would refuse still lists (its run fails with the reason), so these are read with care.
        defaultSteps: manifest.sampler?.default_steps ?? 0,
        fps: manifest.video?.fps ?? 0,
        sizeBytes: bytesOf(needed),
        downloadBytes: bytesOf(needed.filter((name) => !storedHashes.has(manifest.files[name].sha256))),
        cachedBytes: c?.storedBytes ?? 0,
        cached: needed.every((name) => stored.has(name)),
        isDefault: id === index.default,
      });
    }
    return listings;
  }

  deleteCached(modelId: string): Promise<void> {
    return this.cache.delete(modelId);
  }

  private async index(): Promise<SiteModelIndex> {
    const url = modelIndexUrl(this.siteUrl).href;
    try {
      const response = await this.fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${response.status} for models/index.json`);
      return parseModelIndex(await response.json(), url);
    } catch (err) {
      const saved = await this.cache.readIndex().catch(() => undefined);
      if (saved) return saved;
      throw new Error(`The list of models could not be read: ${(err as Error).message}.`);
    }
  }

  async manifest(modelId: string | undefined, signal?: AbortSignal): Promise<ModelManifest> {
    return (await this.readManifest(modelId, signal)).manifest.document;
  }

  async open(modelId: string | undefined, engine: Engine, onProgress: (load: ModelLoadReport) => void, signal: AbortSignal): Promise<ModelSource & { sha256: string }> {
    // The manifest once: it says which files this engine needs, and every load below reads it.
    const read = await this.readManifest(modelId, signal);
    const m = read.manifest.document;
    const needed = new Set(filesForEngine(m, engine));
    const common = { siteUrl: this.siteUrl, manifest: read, cache: this.cache, fetch: this.fetch };
    const loaded = await loadModel({
      ...common,
      signal,
      include: (file) => needed.has(file.name),
      onProgress: (p) => onProgress({ loaded: p.loaded, total: p.total, source: p.source }),
    });
    const late = new Map<string, Promise<Uint8Array>>();
    const file = (name: string): Promise<Uint8Array> => {
      if (loaded.bytes.has(name)) return loaded.file(name);
      // A file this engine did not need (the other DiT form): fetched (and kept) on first use.
      if (!late.has(name)) {
        const fetched = loadModel({ ...common, include: (f) => f.name === name }).then((other) => other.file(name));
        fetched.catch(() => late.delete(name));
        late.set(name, fetched);
      }
      return late.get(name)!;
    };
    return { manifest: loaded.manifest, sha256: m.files[m.weights.file]?.sha256 ?? '', file };
  }

  private readManifest(modelId: string | undefined, signal?: AbortSignal) {
    return readModelManifest({ siteUrl: this.siteUrl, modelId, signal, cache: this.cache, fetch: this.fetch });
  }
}
