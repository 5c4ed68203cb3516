// The model cache: each model's verified files and a small record about it, in IndexedDB,
// so that a second visit loads without the network. Dumb storage on purpose: the loader
// (src/model/loader/load-model.ts) verifies every file it reads back from here.
//
// Layout (one object store, array keys):
//   ['model', id]                   → CachedModelRecord
//   ['file', id, name, sha256]      → ArrayBuffer, the file's bytes
//   ['index']                       → the last models/index.json seen, for choosing a model offline
// The hash in a file's key means a new version of a file never overwrites the old one until the
// new manifest's record replaces the old record, and stale versions are then deleted.
import { ModelCacheFullError, ModelCacheUnavailableError, isQuotaExceeded } from './model-cache-errors';
import { indexedDbModelStorage, type ModelCacheStorage } from './model-cache-storage';

/** One file a model is made of, as its manifest promises it (the loader parses it from manifest.json). */
export interface ModelFileEntry {
  /** A plain file name inside the model's folder. */
  name: string;
  /** Exact size in bytes. */
  bytes: number;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
  /**
   * The model whose folder on the site holds the bytes, when it is not this model's own: a student
   * ships its teacher's text encoder and VAE unchanged, so the site keeps one copy (manifest
   * `stored_in`). The file is still this model's, stored under this model in IndexedDB.
   */
  storedIn?: string;
}

/** models/index.json: which models the site ships, and which one to load when none is named. */
export interface ModelIndex {
  models: readonly string[];
  default: string;
}

export interface CachedModelRecord {
  id: string;
  /** Every file of the manifest, stored or not (a load may ask for a subset, or be cut short). */
  files: ModelFileEntry[];
  totalBytes: number;
  /** When a file of this model was last stored (ms since the epoch); undefined before the first. */
  cachedAt?: number;
  /** manifest.json as it was when these files were stored: what an offline load reads. */
  manifest: unknown;
}

/** What the UI lists: one row per model, with how much of it is stored. */
export interface CachedModelSummary {
  id: string;
  totalBytes: number;
  /** Bytes of the manifest's files actually present. */
  storedBytes: number;
  /** Names of the manifest's files actually present. */
  storedFiles: string[];
  /** Every file of the manifest is stored. */
  complete: boolean;
  cachedAt?: number;
}

type FileKey = ['file', string, string, string];
type ModelKey = ['model', string];
const INDEX_KEY = ['index'];

export class ModelCache {
  constructor(private readonly storage: ModelCacheStorage = indexedDbModelStorage()) {}

  /** The stored bytes of one file, unverified. Throws ModelCacheUnavailableError. */
  async readFile(modelId: string, file: ModelFileEntry): Promise<ArrayBuffer | undefined> {
    return this.guard(modelId, 0, () => this.storage.get<ArrayBuffer>(fileKey(modelId, file)));
  }

  /** Stores one verified file. Throws ModelCacheFullError or ModelCacheUnavailableError. */
  async writeFile(modelId: string, file: ModelFileEntry, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    // Store exactly the file's bytes, even when they are a view into a larger buffer.
    const value = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    await this.guard(modelId, file.bytes, () => this.storage.set(fileKey(modelId, file), value));
  }

  /**
   * The stored bytes of the same file (same sha256, any name) kept for another model, unverified:
   * models that share a part (a student and its teacher share the text encoder and the VAE) then
   * download it once.
   */
  async readSharedFile(modelId: string, file: ModelFileEntry): Promise<ArrayBuffer | undefined> {
    return this.guard(modelId, 0, async () => {
      for (const key of await this.fileKeys()) {
        if (key[1] === modelId || key[3] !== file.sha256) continue;
        const bytes = await this.storage.get<ArrayBuffer>(key);
        if (bytes) return bytes;
      }
      return undefined;
    });
  }

  /** The sha256 of every stored file, whichever model keeps it. */
  async storedHashes(): Promise<Set<string>> {
    return this.guard('', 0, async () => new Set((await this.fileKeys()).map((k) => k[3])));
  }

  async dropFile(modelId: string, file: ModelFileEntry): Promise<void> {
    await this.guard(modelId, 0, () => this.storage.delete(fileKey(modelId, file)));
  }

  async readRecord(modelId: string): Promise<CachedModelRecord | undefined> {
    return this.guard(modelId, 0, () => this.storage.get<CachedModelRecord>(modelKey(modelId)));
  }

  /**
   * Records which files make up `modelId` now (written before its first file, so an interrupted
   * download is still listed and can be deleted), and deletes stored files that belong to an older
   * version of it (same model id, another name or hash), so updates do not pile up on disk.
   */
  async writeRecord(record: CachedModelRecord): Promise<void> {
    await this.guard(record.id, 0, async () => {
      await this.storage.set(modelKey(record.id), record);
      const wanted = new Set(record.files.map((f) => `${f.name}\u0000${f.sha256}`));
      const stale = (await this.fileKeys()).filter((k) => k[1] === record.id && !wanted.has(`${k[2]}\u0000${k[3]}`));
      if (stale.length > 0) await this.storage.deleteMany(stale);
    });
  }

  async readIndex(): Promise<ModelIndex | undefined> {
    return this.guard('', 0, () => this.storage.get<ModelIndex>(INDEX_KEY));
  }

  async writeIndex(index: ModelIndex): Promise<void> {
    await this.guard('', 0, () => this.storage.set(INDEX_KEY, index));
  }

  /** Every model with a record, fully stored or not, sorted by id. */
  async list(): Promise<CachedModelSummary[]> {
    return this.guard('', 0, () => this.readSummaries());
  }

  private async readSummaries(): Promise<CachedModelSummary[]> {
    const allKeys = await this.storage.keys();
    const present = new Set(allKeys.filter(isFileKey).map((k) => k.join('\u0000')));
    const summaries: CachedModelSummary[] = [];
    for (const key of allKeys.filter(isModelKey)) {
      const record = await this.storage.get<CachedModelRecord>(key);
      if (!record) continue;
      const stored = record.files.filter((f) => present.has(fileKey(record.id, f).join('\u0000')));
      const storedBytes = stored.reduce((sum, f) => sum + f.bytes, 0);
      summaries.push({
        id: record.id,
        totalBytes: record.totalBytes,
        storedBytes,
        storedFiles: stored.map((f) => f.name),
        complete: storedBytes === record.totalBytes,
        cachedAt: record.cachedAt,
      });
    }
    return summaries.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Deletes one model: its record and every stored file of every version. */
  async delete(modelId: string): Promise<void> {
    await this.guard(modelId, 0, async () => {
      const doomed: IDBValidKey[] = (await this.fileKeys()).filter((k) => k[1] === modelId);
      doomed.push(modelKey(modelId));
      await this.storage.deleteMany(doomed);
    });
  }

  /** Deletes every model and the remembered index. */
  async deleteAll(): Promise<void> {
    await this.guard('', 0, async () => this.storage.deleteMany(await this.storage.keys()));
  }

  private async fileKeys(): Promise<FileKey[]> {
    return (await this.storage.keys()).filter(isFileKey);
  }

  /** Turns every storage failure into one of the two errors the user can act on. */
  private async guard<T>(modelId: string, bytes: number, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (isQuotaExceeded(err)) throw new ModelCacheFullError(modelId, bytes, err);
      throw new ModelCacheUnavailableError(modelId, err);
    }
  }
}

function fileKey(modelId: string, file: ModelFileEntry): FileKey {
  return ['file', modelId, file.name, file.sha256];
}

function modelKey(modelId: string): ModelKey {
  return ['model', modelId];
}

function isFileKey(key: IDBValidKey): key is FileKey {
  return Array.isArray(key) && key.length === 4 && key[0] === 'file';
}

function isModelKey(key: IDBValidKey): key is ModelKey {
  return Array.isArray(key) && key.length === 2 && key[0] === 'model';
}
