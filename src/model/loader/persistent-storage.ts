// Asks the browser, once per page, to keep this site's storage when the disk runs low, so a
// downloaded model is not silently evicted. Only a page can ask (StorageManager.persist() is
// not exposed to workers); a worker can only read whether the answer was yes.

/**
 * - granted: the browser will not evict the model cache without asking the user;
 * - denied: it may evict it under storage pressure (the model is then downloaded again);
 * - not-asked: a worker cannot ask; the page should call requestPersistentStorage();
 * - unsupported: this browser has no StorageManager.
 */
export type StoragePersistence = 'granted' | 'denied' | 'not-asked' | 'unsupported';

export type PersistenceManager = Partial<Pick<StorageManager, 'persist' | 'persisted'>>;

const answers = new WeakMap<object, Promise<StoragePersistence>>();

export function requestPersistentStorage(manager: PersistenceManager | undefined = defaultManager()): Promise<StoragePersistence> {
  if (!manager) return Promise.resolve('unsupported');
  let answer = answers.get(manager);
  if (!answer) {
    answer = ask(manager);
    answers.set(manager, answer);
  }
  return answer;
}

async function ask(manager: PersistenceManager): Promise<StoragePersistence> {
  try {
    if (manager.persist) return (await manager.persist.call(manager)) ? 'granted' : 'denied';
    if (manager.persisted) return (await manager.persisted.call(manager)) ? 'granted' : 'not-asked';
    return 'unsupported';
  } catch {
    // Some browsers reject in opaque or third-party contexts: storage then stays best-effort.
    return 'denied';
  }
}

function defaultManager(): PersistenceManager | undefined {
  return typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : undefined;
}
