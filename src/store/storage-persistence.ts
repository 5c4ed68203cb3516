// Whether the browser keeps this site's storage when the disk runs low. Without the grant, storage
// is "best-effort": under storage pressure a browser may clear a site's data, the gallery with it,
// without asking. The page shows which it is and lets the person ask (the gallery's storage line).
// Unlike model/loader/persistent-storage.ts, which asks once per page at start, each ask here is
// a new question: the person pressed a button, and the browser's answer may have changed.

/** granted: kept until the person clears it; best-effort: may be cleared; unknown: this browser cannot say. */
export type StoragePersistence = 'granted' | 'best-effort' | 'unknown';

export type PersistenceManager = Partial<Pick<StorageManager, 'persist' | 'persisted'>>;

function defaultManager(): PersistenceManager | undefined {
  return typeof navigator !== 'undefined' ? navigator.storage : undefined;
}

/** What the browser has granted, without asking for anything. */
export async function storagePersistence(manager: PersistenceManager | undefined = defaultManager()): Promise<StoragePersistence> {
  if (!manager?.persisted) return 'unknown';
  try {
    return (await manager.persisted.call(manager)) ? 'granted' : 'best-effort';
  } catch {
    return 'unknown';
  }
}

/** Asks the browser to keep this site's storage; its answer. Some browsers decide without a prompt. */
export async function askForPersistentStorage(manager: PersistenceManager | undefined = defaultManager()): Promise<StoragePersistence> {
  if (!manager?.persist) return 'unknown';
  try {
    return (await manager.persist.call(manager)) ? 'granted' : 'best-effort';
  } catch {
    // Refused outright (an opaque or third-party context): the storage stays best-effort.
    return 'best-effort';
  }
}
