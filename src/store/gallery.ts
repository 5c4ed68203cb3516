// The gallery: every video made on this device, kept in IndexedDB (idb-keyval) across reloads,
// with its MP4, a small poster image and the settings it came from.
import { createStore, del, entries, set, clear, type UseStore } from 'idb-keyval';
import type { GenerateResult } from '../worker/api';

/** A video as kept: what the worker returned about it (poster included), with an id and a date. */
export interface GalleryEntry extends Pick<GenerateResult, 'video' | 'mimeType' | 'width' | 'height' | 'frameCount' | 'fps' | 'settings' | 'poster'> {
  id: string;
  createdAt: string;
}

export class GalleryFullError extends Error {
  constructor() {
    super('The browser refused to store this video: its storage for this site is full. Delete some videos from the gallery, or download this one now.');
    this.name = 'GalleryFullError';
  }
}

export class Gallery {
  constructor(private readonly store: UseStore = createStore('kinora-gallery', 'videos')) {}

  async add(entry: GalleryEntry): Promise<void> {
    try {
      await set(entry.id, entry, this.store);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'QuotaExceededError') throw new GalleryFullError();
      throw err;
    }
  }

  /** Newest first. */
  async list(): Promise<GalleryEntry[]> {
    const all = await entries<string, GalleryEntry>(this.store);
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
