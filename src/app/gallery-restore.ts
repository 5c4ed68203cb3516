// "Restore": a backup zip (gallery-backup.ts) back into the gallery, on any device. The whole file
// is read and checked before anything is written — the zip, its index, every MP4 against its
// size and SHA-256, every poster — so a damaged, cut-short or foreign file changes nothing. A video
// already in the gallery, under its id or (restored before, or made elsewhere) as the same bytes
// under another id, is not added again, and nothing stored is ever replaced (Gallery.addNew).
import { strFromU8, unzipSync, type Unzipped } from 'fflate';
import { sha256Hex } from '../model/loader/sha256';
import type { Gallery } from '../store/gallery';
import type { GalleryEntry } from './gallery-entry';
import { BACKUP_INDEX_FILE, BackupRefusedError, parseBackupIndex, type BackedUpVideo } from './gallery-backup-format';

/** A video of a backup, checked and ready to store, with the hash its bytes were checked against. */
export interface RestorableVideo {
  entry: GalleryEntry;
  sha256: string;
}

/** Every video in the backup's bytes, each checked; throws BackupRefusedError at the first thing wrong. */
export async function readBackup(file: Uint8Array, now: Date = new Date()): Promise<RestorableVideo[]> {
  let files: Unzipped;
  try {
    files = unzipSync(file);
  } catch {
    throw new BackupRefusedError('This file is not a Kinora backup: it is not a zip file, or it is damaged or cut short.');
  }
  const indexBytes = files[BACKUP_INDEX_FILE];
  if (!indexBytes) throw new BackupRefusedError(`This zip file is not a Kinora gallery backup: it has no index (${BACKUP_INDEX_FILE}).`);
  const index = parseBackupIndex(strFromU8(indexBytes));
  const videos: RestorableVideo[] = [];
  for (const video of index.videos) videos.push(await checkedVideo(video, files, now.toISOString()));
  return videos;
}

async function checkedVideo(video: BackedUpVideo, files: Unzipped, restoredAt: string): Promise<RestorableVideo> {
  const what = `the video “${shortened(video.settings.prompt)}”`;
  const mp4 = files[video.video.file];
  if (!mp4) throw new BackupRefusedError(`This backup is incomplete: the MP4 of ${what} (${video.video.file}) is missing from it.`);
  if (!looksLikeMp4(mp4)) throw new BackupRefusedError(`This backup is damaged: the file given as the MP4 of ${what} (${video.video.file}) is not an MP4.`);
  const sha256 = await sha256Hex(new Uint8Array(mp4));
  if (mp4.byteLength !== video.video.bytes || sha256 !== video.video.sha256) {
    throw new BackupRefusedError(`This backup is damaged: the MP4 of ${what} (${video.video.file}) is not the one it was made with (its size or SHA-256 differs).`);
  }
  const poster = files[video.poster.file];
  if (!poster || poster.byteLength !== video.poster.width * video.poster.height * 4) {
    throw new BackupRefusedError(`This backup is damaged: the poster image of ${what} (${video.poster.file}) is missing or of the wrong size.`);
  }
  const entry: GalleryEntry = {
    id: video.id,
    createdAt: video.createdAt,
    starred: video.starred,
    // This gallery did not make it: its Content Credentials were signed where it was made, maybe elsewhere.
    restoredAt,
    settings: video.settings,
    video: new Blob([new Uint8Array(mp4)], { type: 'video/mp4' }),
    mimeType: 'video/mp4',
    width: video.video.width,
    height: video.video.height,
    frameCount: video.video.frameCount,
    fps: video.video.fps,
    poster: { width: video.poster.width, height: video.poster.height, rgba: new Uint8ClampedArray(poster) },
    ...(video.contentCredentials ? { contentCredentials: video.contentCredentials } : {}),
  };
  return { entry, sha256 };
}

/**
 * An ISO base media file (MP4) begins with its `ftyp` box: 4 bytes of size (at least the box's own
 * 8 and no more than the file), then the letters ftyp. Kinora's MP4s always do.
 */
export function looksLikeMp4(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 8) return false;
  const size = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(0);
  const type = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
  return type === 'ftyp' && size >= 8 && size <= bytes.byteLength;
}

function shortened(prompt: string): string {
  return prompt.length > 60 ? `${prompt.slice(0, 57)}…` : prompt;
}

/** The backup's videos not in the gallery yet: not under their id, nor as the same MP4 bytes under another. */
export async function videosToAdd(backup: readonly RestorableVideo[], stored: readonly GalleryEntry[]): Promise<GalleryEntry[]> {
  const ids = new Set(stored.map((e) => e.id));
  const contents = new Set(await Promise.all(stored.map(async (e) => sha256Hex(new Uint8Array(await e.video.arrayBuffer())))));
  const toAdd: GalleryEntry[] = [];
  for (const { entry, sha256 } of backup) {
    // A backup holding one video twice (restored once under a new id, then backed up) adds it once.
    if (ids.has(entry.id) || contents.has(sha256)) continue;
    toAdd.push(entry);
    ids.add(entry.id);
    contents.add(sha256);
  }
  return toAdd;
}

export interface RestoreOutcome {
  restored: number;
  alreadyHere: number;
}

/** Reads, checks, then stores: the whole of "Restore". Throws BackupRefusedError (nothing changed) for a file it cannot restore. */
export async function restoreBackup(file: Uint8Array, gallery: Pick<Gallery<GalleryEntry>, 'list' | 'addNew'>): Promise<RestoreOutcome> {
  const backup = await readBackup(file);
  const added = await gallery.addNew(await videosToAdd(backup, await gallery.list()));
  return { restored: added.length, alreadyHere: backup.length - added.length };
}

/** "Restored 3 videos; 2 were already here." */
export function describeRestore({ restored, alreadyHere }: RestoreOutcome): string {
  const videos = (n: number) => (n === 1 ? '1 video' : `${n} videos`);
  const were = (n: number) => (n === 1 ? 'was' : 'were');
  if (restored === 0 && alreadyHere === 0) return 'This backup holds no videos; nothing was changed.';
  if (restored === 0) return `Nothing to restore: ${alreadyHere === 1 ? 'the 1 video' : `all ${alreadyHere} videos`} in this backup ${were(alreadyHere)} already here.`;
  if (alreadyHere === 0) return `Restored ${videos(restored)}.`;
  return `Restored ${videos(restored)}; ${alreadyHere} ${were(alreadyHere)} already here.`;
}
