// This deployment's gallery (its database named for the base path, storage-namespace.ts). Each
// call opens its own Gallery object, and that is on purpose: a Gallery announces its changes on a
// BroadcastChannel, which reaches every other channel object of that name, in this tab as in
// others — so a change made through one (the gallery view's star, restore) is heard by the studio's,
// which then lists the gallery again.
import { Gallery } from '../store/gallery';
import type { GalleryEntry } from './gallery-entry';
import { namespaced } from './storage-namespace';

export function openThisGallery(): Gallery<GalleryEntry> {
  return new Gallery<GalleryEntry>(namespaced('kinora-gallery'));
}
