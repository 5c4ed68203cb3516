// Where a model's files are and what they must be: the site's model index, each model's
// manifest.json, and the URLs of both, resolved against the site's base URL (the page may be
// served under any sub-path, so nothing here starts with '/').
import type { ModelFileEntry, ModelIndex } from '../../store/model-cache';
import type { ModelManifest } from '../manifest';
import { ModelManifestError, ModelNeedsNewerAppError } from './errors';

// Defined by the cache, the lowest layer that stores them; this module parses them.
export type { ModelFileEntry, ModelIndex } from '../../store/model-cache';

/** A manifest.json whose id and file list the loader checked; the rest is for the modules that read it. */
export interface ParsedManifest {
  id: string;
  files: readonly ModelFileEntry[];
  /** The whole manifest.json as parsed. */
  document: ModelManifest;
}

// File names and ids become URL path segments and IndexedDB keys: keep them to one plain segment.
const PLAIN_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/**
 * The format_versions of docs/model-format.md this runtime runs: 1 (v1, a per-frame VAE), 2
 * (v2, the causal spacetime VAE; src/model/latent-layout.ts reads the difference) and 3 (v3: format
 * 2's VAE, and the scene's tokens instead of a text encoder; src/model/load-condition.ts).
 */
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
/** The newest of them: a model of a later format needs a newer app. */
export const NEWEST_FORMAT_VERSION = Math.max(...SUPPORTED_FORMAT_VERSIONS);

/** `<site>/models/index.json`; `siteUrl` is the page's URL or the site's root folder URL. */
export function modelIndexUrl(siteUrl: string | URL): URL {
  return new URL('models/index.json', siteUrl);
}

/** `<site>/models/<id>/` — the folder every file of the manifest is relative to. */
export function modelFolderUrl(siteUrl: string | URL, modelId: string): URL {
  return new URL(`models/${encodeURIComponent(modelId)}/`, siteUrl);
}

export function manifestUrl(siteUrl: string | URL, modelId: string): URL {
  return new URL('manifest.json', modelFolderUrl(siteUrl, modelId));
}

export function modelFileUrl(siteUrl: string | URL, modelId: string, fileName: string): URL {
  return new URL(encodeURIComponent(fileName), modelFolderUrl(siteUrl, modelId));
}

/** Checks what loading depends on (id, files); the architecture is checked by the code that builds the model. */
export function parseManifest(json: unknown, url: string): ParsedManifest {
  if (!isRecord(json)) throw new ModelManifestError(url, 'it is not a JSON object');
  const id = json.id;
  if (typeof id !== 'string' || !PLAIN_NAME.test(id)) throw new ModelManifestError(url, `its "id" (${JSON.stringify(id)}) is not a plain name`);
  const version = json.format_version;
  if (typeof version === 'number' && Number.isInteger(version) && version > NEWEST_FORMAT_VERSION) {
    throw new ModelNeedsNewerAppError(id, version, NEWEST_FORMAT_VERSION);
  }
  if (typeof version !== 'number' || !SUPPORTED_FORMAT_VERSIONS.includes(version)) {
    throw new ModelManifestError(url, `it has format_version ${JSON.stringify(json.format_version)}, and this version of Kinora reads ${SUPPORTED_FORMAT_VERSIONS.join(', ')}`);
  }
  return { id, files: parseFileList(json.files, url), document: json as unknown as ModelManifest };
}

/**
 * The manifest's `files`, as docs/model-format.md defines them and models/export.py writes them:
 * an object from file name to `{ size, sha256 }`. Kept in this one function so that a change
 * of the export format touches nothing else.
 */
export function parseFileList(files: unknown, url: string): ModelFileEntry[] {
  if (!isRecord(files)) throw new ModelManifestError(url, '"files" is not an object of file name to { size, sha256 }');
  const entries: ModelFileEntry[] = [];
  for (const [name, entry] of Object.entries(files)) {
    if (!PLAIN_NAME.test(name)) throw new ModelManifestError(url, `the file name ${JSON.stringify(name)} is not a plain file name`);
    if (!isRecord(entry)) throw new ModelManifestError(url, `the entry for ${name} is not an object`);
    const { size, sha256 } = entry;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new ModelManifestError(url, `the size of ${name} (${JSON.stringify(size)}) is not a byte count`);
    }
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
      throw new ModelManifestError(url, `the sha256 of ${name} is not 64 lowercase hex digits`);
    }
    const external = entry.external_data;
    if (external !== undefined && !(Array.isArray(external) && external.every((e) => typeof e === 'string' && e in files && e !== name))) {
      throw new ModelManifestError(url, `the external data of ${name} is not a list of the model's other files`);
    }
    const storedIn = entry.stored_in;
    if (storedIn !== undefined && (typeof storedIn !== 'string' || !PLAIN_NAME.test(storedIn))) {
      throw new ModelManifestError(url, `the folder ${name} is stored in (${JSON.stringify(storedIn)}) is not a plain model id`);
    }
    entries.push({ name, bytes: size, sha256, ...(storedIn !== undefined ? { storedIn } : {}) });
  }
  if (entries.length === 0) throw new ModelManifestError(url, 'it lists no files');
  return entries;
}

/**
 * The site's index with what the picker says of each model: `good_at`, one line per id on what it
 * is good at (optional; kept with the index in the cache, so the line shows offline too).
 */
export interface SiteModelIndex extends ModelIndex {
  goodAt?: Readonly<Record<string, string>>;
}

export function parseModelIndex(json: unknown, url: string): SiteModelIndex {
  if (!isRecord(json)) throw new ModelManifestError(url, 'it is not a JSON object');
  const { models, default: defaultId, good_at: goodAt } = json;
  if (!Array.isArray(models) || models.length === 0 || !models.every((m) => typeof m === 'string' && PLAIN_NAME.test(m))) {
    throw new ModelManifestError(url, '"models" is not a non-empty list of model ids');
  }
  if (typeof defaultId !== 'string' || !models.includes(defaultId)) {
    throw new ModelManifestError(url, `"default" (${JSON.stringify(defaultId)}) is not one of the listed models`);
  }
  if (goodAt !== undefined && !(isRecord(goodAt) && Object.values(goodAt).every((line) => typeof line === 'string'))) {
    throw new ModelManifestError(url, '"good_at" is not an object of model id to one line of text');
  }
  return { models, default: defaultId, ...(goodAt !== undefined ? { goodAt: goodAt as Record<string, string> } : {}) };
}

export function totalBytes(files: readonly ModelFileEntry[]): number {
  return files.reduce((sum, f) => sum + f.bytes, 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
