// The worker's ModelProvider: models shipped with the site under models/, loaded through the
// model loader (IndexedDB first, else the network with progress, sha256 checks and resume).
import { loadModel } from '../model/loader/load-model';
import type { ModelSource } from '../model/kinora-model';
import type { ModelProvider } from './generation-service';
import type { ModelManifest } from '../model/manifest';

export class SiteModelProvider implements ModelProvider {
  constructor(private readonly siteUrl: string) {}

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
