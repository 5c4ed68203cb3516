// The worker's ModelProvider: models shipped with the site under models/, loaded through the
// model loader (IndexedDB first, else the network with progress, sha256 checks and resume).
import { loadModel } from '../model/loader/load-model';
import { modelIndexUrl, parseModelIndex, type ModelIndex } from '../model/loader/manifest';
import { ModelCache } from '../store/model-cache';
import type { ModelListing } from './api';
import type { ModelSource } from '../model/kinora-model';
import type { ModelProvider } from './generation-service';
import type { ModelManifest } from '../model/manifest';

export class SiteModelProvider implements ModelProvider {
  private readonly cache = new ModelCache();

  constructor(private readonly siteUrl: string) {}

  /** The site's models (its index, or the cached copy of it offline), with sizes and cache state. */
  async list(): Promise<ModelListing[]> {
    const index = await this.index();
    const cached = new Map((await this.cache.list().catch(() => [])).map((c) => [c.id, c]));
    const listings: ModelListing[] = [];
    for (const id of index.models) {
      const manifest = await this.manifest(id).catch(() => undefined);
      if (!manifest) continue;
      const sizeBytes = Object.entries(manifest.files).reduce((sum, [name, f]) => (name === 'goldens.safetensors' ? sum : sum + f.size), 0);
      const c = cached.get(id);
      listings.push({
        id,
        description: manifest.description ?? '',
        sizeBytes,
        cachedBytes: c?.storedBytes ?? 0,
        cached: (c?.storedBytes ?? 0) >= sizeBytes,
        isDefault: id === index.default,
      });
    }
    return listings;
  }

  deleteCached(modelId: string): Promise<void> {
    return this.cache.delete(modelId);
  }

  private async index(): Promise<ModelIndex> {
    const url = modelIndexUrl(this.siteUrl).href;
    try {
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${response.status} for models/index.json`);
      return parseModelIndex(await response.json(), url);
    } catch (err) {
      const saved = await this.cache.readIndex().catch(() => undefined);
      if (saved) return saved;
      throw new Error(`The list of models could not be read: ${(err as Error).message}.`);
    }
  }

  async manifest(modelId: string | undefined, signal?: AbortSignal): Promise<ModelManifest> {
    const loaded = await loadModel({ siteUrl: this.siteUrl, modelId, signal, include: () => false, storageManager: null });
    return loaded.manifest;
  }

  async open(modelId: string | undefined, onDownload: (loaded: number, total: number) => void, signal: AbortSignal): Promise<ModelSource & { sha256: string }> {
    const loaded = await loadModel({
      siteUrl: this.siteUrl,
      modelId,
      signal,
      // The parity goldens are for tests, not for generating.
      include: (file) => file.name !== 'goldens.safetensors',
      onProgress: (p) => onDownload(p.loaded, p.total),
    });
    const m = loaded.manifest;
    return { manifest: m, sha256: m.files[m.weights.file]?.sha256 ?? '', file: (name) => loaded.file(name) };
  }
}
