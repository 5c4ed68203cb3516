// The gallery: every video made on this device, kept in IndexedDB (idb-keyval) across reloads,
// with its MP4, a small poster image and the settings it came from. The store knows only what
// it keys and sorts by; the page defines the rest of an entry (app/gallery-entry.ts).
import { createStore, del, entries, set, clear, type UseStore } from 'idb-keyval';

/** What every kept video has, whatever else the page stores with it. */
export interface StoredVideo {
  id: string;
  /** ISO 8601: the gallery lists newest first. */
  createdAt: string;
}

export class GalleryFullError extends Error {
  constructor() {
    super('The browser refused to store this video: its storage for this site is full. Delete some videos from the gallery, or download this one now.');
    this.name = 'GalleryFullError';
  }
}

export class Gallery<Entry extends StoredVideo> {
  constructor(private readonly store: UseStore = createStore('kinora-gallery', 'videos')) {}

  async add(entry: Entry): Promise<void> {
    try {
      await set(entry.id, entry, this.store);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'QuotaExceededError') throw new GalleryFullError();
      throw err;
    }
  }

  /** Newest first. */
  async list(): Promise<Entry[]> {
    const all = await entries<string, Entry>(this.store);
    return all.map(([, e]) => e).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  remove(id: string): Promise<void> {
    return del(id, this.store);
  }

  removeAll(): Promise<void> {
    return clear(this.store);
  }
}

/** Bytes this site stores (all of IndexedDB, models included) and the browser's quota for it. */
export async function storageUse(): Promise<{ usage: number; quota: number } | null> {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  return { usage, quota };
}
