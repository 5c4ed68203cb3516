// "Back up all videos": the whole gallery as one zip, made in the tab (fflate), nothing sent
// anywhere. It holds each MP4 as it is stored, its poster, and the index (gallery-backup-format.ts)
// that says what each is; gallery-restore.ts reads it back, on this device or any other.
import { strToU8, zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../model/loader/sha256';
import type { GalleryEntry } from './gallery-entry';
import { BACKUP_FORMAT, BACKUP_INDEX_FILE, BACKUP_VERSION, type BackedUpVideo, type BackupIndex } from './gallery-backup-format';

/** kinora-backup-2025-06-01.zip: the day it was made, on the person's own calendar. */
export function backupFileName(day: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `kinora-backup-${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}.zip`;
}

/** The zip's bytes: the index first, then every video's MP4 and poster. */
export async function makeBackup(entries: readonly GalleryEntry[], now: Date = new Date()): Promise<Uint8Array<ArrayBuffer>> {
  const media: Zippable = {};
  const videos: BackedUpVideo[] = [];
  for (const [i, entry] of entries.entries()) {
    // Files are named by position, not by id: an id is only data, and any text may be in it.
    const name = String(i + 1).padStart(4, '0');
    const mp4 = new Uint8Array(await entry.video.arrayBuffer());
    const rgba = entry.poster.rgba;
    const poster = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    // An MP4 is compressed already: stored as it is (level 0), it costs no time to pack or unpack.
    media[`videos/${name}.mp4`] = [mp4, { level: 0 }];
    media[`posters/${name}.rgba`] = [poster, { level: 6 }];
    videos.push({
      id: entry.id,
      createdAt: entry.createdAt,
      starred: entry.starred === true,
      settings: entry.settings,
      video: {
        file: `videos/${name}.mp4`,
        mimeType: 'video/mp4',
        bytes: mp4.byteLength,
        sha256: await sha256Hex(mp4),
        width: entry.width,
        height: entry.height,
        frameCount: entry.frameCount,
        fps: entry.fps,
      },
      poster: { file: `posters/${name}.rgba`, width: entry.poster.width, height: entry.poster.height },
      ...(entry.contentCredentials ? { contentCredentials: entry.contentCredentials } : {}),
    });
  }
  const index: BackupIndex = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now.toISOString(), videos };
  const files: Zippable = { [BACKUP_INDEX_FILE]: [strToU8(JSON.stringify(index, null, 2)), { level: 6 }], ...media };
  return zipSync(files, { mtime: now }) as Uint8Array<ArrayBuffer>;
}
