// The gallery: every video made on this device, kept in IndexedDB (idb-keyval) across reloads,
// with its MP4, a small poster image and the settings it came from. The store knows only what
// it keys and sorts by, and the star the person gave; the page defines the rest of an entry
// (app/gallery-entry.ts).
// Every change is announced to the other tabs of the same gallery (a BroadcastChannel named like
// its database), so each tab shows what is really stored before anyone deletes from it.
import { createStore, del, delMany, entries, promisifyRequest, set, type UseStore } from 'idb-keyval';

/** What every kept video has, whatever else the page stores with it. */
export interface StoredVideo {
  id: string;
  /** ISO 8601: the gallery lists newest first. */
  createdAt: string;
  /** Starred by the person (absent in entries from before stars: not starred). */
  starred?: boolean;
  /** When it came from a backup (ISO 8601): made before, or on another device, not by this gallery. */
  restoredAt?: string;
}

export class GalleryFullError extends Error {
  constructor() {
    super('The browser refused to store this video: its storage for this site is full. Delete some videos from the gallery, or download this one now.');
    this.name = 'GalleryFullError';
  }
}

export class Gallery<Entry extends StoredVideo> {
  private readonly store: UseStore;
  private readonly channel: BroadcastChannel | undefined;

  /** `databaseName` keeps one deployment's videos apart from another's on the same origin. */
  constructor(databaseName = 'kinora-gallery') {
    this.store = createStore(databaseName, 'videos');
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(databaseName) : undefined;
  }

  async add(entry: Entry): Promise<void> {
    try {
      await set(entry.id, entry, this.store);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'QuotaExceededError') throw new GalleryFullError();
      throw err;
    }
    this.announce();
  }

  /**
   * Adds each entry whose id is not stored yet, all in one transaction, so either all of them are
   * kept or (the storage full) none; an id already stored keeps what it has, never overwritten.
   * Returns the ids it added.
   */
  async addNew(newEntries: readonly Entry[]): Promise<string[]> {
    const added: string[] = [];
    try {
      await this.store('readwrite', (store) => {
        for (const entry of newEntries) {
          // add(), not put(): a key already there fails this one request instead of replacing the video.
          const request = store.add(entry, entry.id);
          request.onsuccess = () => added.push(entry.id);
          request.onerror = (event) => {
            if (request.error?.name !== 'ConstraintError') return;
            // Already stored: keep that one, and let the rest of the transaction go on.
            event.preventDefault();
            event.stopPropagation();
          };
        }
        return promisifyRequest(store.transaction);
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'QuotaExceededError') throw new GalleryFullError();
      throw err;
    }
    if (added.length > 0) this.announce();
    return added;
  }

  /** Stars or unstars one stored video, the rest of it as stored; a video deleted meanwhile stays deleted. */
  async setStarred(id: string, starred: boolean): Promise<void> {
    await this.store('readwrite', (store) => {
      // Read and write in one transaction, so a change another tab makes in between is not undone.
      const read = store.get(id);
      read.onsuccess = () => {
        const entry = read.result as Entry | undefined;
        if (entry) store.put({ ...entry, starred }, id);
      };
      return promisifyRequest(store.transaction);
    });
    this.announce();
  }

  /** Newest first. */
  async list(): Promise<Entry[]> {
    const all = await entries<string, Entry>(this.store);
    return all.map(([, e]) => e).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async remove(id: string): Promise<void> {
    await del(id, this.store);
    this.announce();
  }

  /**
   * Removes exactly these videos: the ones the user saw when they chose "Delete all". Videos
   * another tab made meanwhile are not among them, so they stay.
   */
  async removeMany(ids: readonly string[]): Promise<void> {
    await delMany([...ids], this.store);
    this.announce();
  }

  /** Calls `listener` when another tab changes this gallery; returns the way to stop. */
  onChangeElsewhere(listener: () => void): () => void {
    const channel = this.channel;
    if (!channel) return () => undefined;
    const handle = () => listener();
    channel.addEventListener('message', handle);
    return () => channel.removeEventListener('message', handle);
  }

  private announce(): void {
    this.channel?.postMessage('changed');
  }
}

/** Bytes this site stores (all of IndexedDB, models included) and the browser's quota for it. */
export async function storageUse(): Promise<{ usage: number; quota: number } | null> {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return { usage, quota };
}
