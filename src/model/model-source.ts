// Where a model's files come from: its manifest and the verified bytes of each file it lists. The
// loader (loader/load-model.ts) provides one from the cache or the network; tests hand one over
// directly. Its own file, so that what builds a model from a source (KinoraModel, the denoisers,
// the condition) does not import the model that holds them.
import type { ModelManifest } from './manifest';

export interface ModelSource {
  manifest: ModelManifest;
  /** The verified bytes of one of the manifest's files. */
  file(name: string): Promise<Uint8Array>;
}
