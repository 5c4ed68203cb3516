// The key-value store under the model cache: by default an IndexedDB database of its own
// (idb-keyval's createStore('kinora-models', 'files')), kept apart from the gallery so that
// clearing one never touches the other. An interface, so tests can put a failing store
// (a full disk) in its place without filling a real disk.
import { createStore, del, delMany, get, keys, set, type UseStore } from 'idb-keyval';

export interface ModelCacheStorage {
  get<T>(key: IDBValidKey): Promise<T | undefined>;
  set(key: IDBValidKey, value: unknown): Promise<void>;
  delete(key: IDBValidKey): Promise<void>;
  deleteMany(keys: IDBValidKey[]): Promise<void>;
  keys(): Promise<IDBValidKey[]>;
}

export const MODEL_CACHE_DATABASE = 'kinora-models';
export const MODEL_CACHE_OBJECT_STORE = 'files';

/** The IndexedDB store; the database is opened on first use, so merely importing this is safe in Node. */
export function indexedDbModelStorage(): ModelCacheStorage {
  let store: UseStore | undefined;
  const use = () => (store ??= createStore(MODEL_CACHE_DATABASE, MODEL_CACHE_OBJECT_STORE));
  return {
    get: (key) => get(key, use()),
    set: (key, value) => set(key, value, use()),
    delete: (key) => del(key, use()),
    deleteMany: (list) => delMany(list, use()),
    keys: () => keys(use()),
  };
}
