// The worker's ModelProvider: models shipped with the site under models/, fetched with
// progress and verified by sha256 (src/model/loader).
import { downloadVerifiedFile } from '../model/loader/download';
import { manifestUrl, modelFileUrl, modelIndexUrl, parseManifest, parseModelIndex, totalBytes } from '../model/loader/manifest';
import type { ModelSource } from '../model/kinora-model';
import type { ModelProvider } from './generation-service';

export class SiteModelProvider implements ModelProvider {
  constructor(private readonly siteUrl: string) {}

  async open(modelId: string | undefined, onDownload: (loaded: number, total: number) => void, signal: AbortSignal): Promise<ModelSource & { sha256: string }> {
    const id = modelId ?? (await this.defaultModelId(signal));
    const url = manifestUrl(this.siteUrl, id).href;
    const response = await fetch(url, { signal, cache: 'no-cache' });
    if (!response.ok) throw new Error(`The model "${id}" is not on this site (${response.status} for its manifest).`);
    const parsed = parseManifest(await response.json(), url);
    const total = totalBytes(parsed.files);
    const done = new Map<string, number>();
    const bytes = new Map<string, Uint8Array>();
    for (const file of parsed.files) {
      const data = await downloadVerifiedFile(modelFileUrl(this.siteUrl, id, file.name).href, file, {
        signal,
        onProgress: (loaded) => {
          done.set(file.name, loaded);
          onDownload([...done.values()].reduce((a, b) => a + b, 0), total);
        },
      });
      bytes.set(file.name, data);
    }
    const weights = parsed.files.find((f) => f.name === parsed.document.weights.file);
    return {
      manifest: parsed.document,
      sha256: weights?.sha256 ?? '',
      file: async (name) => {
        const data = bytes.get(name);
        if (!data) throw new Error(`The model "${id}" has no file ${name}.`);
        return data;
      },
    };
  }

  private async defaultModelId(signal: AbortSignal): Promise<string> {
    const url = modelIndexUrl(this.siteUrl).href;
    const response = await fetch(url, { signal, cache: 'no-cache' });
    if (!response.ok) throw new Error(`This site lists no models (${response.status} for models/index.json).`);
    return parseModelIndex(await response.json(), url).default;
  }
}
