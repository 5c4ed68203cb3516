// The gallery backup (src/app/gallery-backup.ts) and its restore (src/app/gallery-restore.ts):
// a backup reads back as the same videos, stars included; every kind of bad file — not a zip, cut
// short, a zip without our index, an index of an unknown version, one naming a missing MP4, bytes
// that are no MP4, a changed MP4 — is refused with its own message before anything is stored; and
// a restore adds only what the gallery lacks, by id and by content, replacing nothing.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { BACKUP_FORMAT, BACKUP_INDEX_FILE, BACKUP_VERSION, BackupRefusedError, parseBackupIndex, type BackupIndex } from '../../src/app/gallery-backup-format';
import { backupFileName, makeBackup } from '../../src/app/gallery-backup';
import { describeRestore, looksLikeMp4, readBackup, restoreBackup, videosToAdd } from '../../src/app/gallery-restore';
import type { GalleryEntry } from '../../src/app/gallery-entry';
import type { GenerationSettings } from '../../src/worker/api';

/** Bytes that begin as an MP4 does (an ftyp box), then `payload` distinct bytes standing for the frames. */
function mp4Bytes(seed: number, payload = 64): Uint8Array<ArrayBuffer> {
  const head = [0, 0, 0, 16, ...strToU8('ftypisom'), 0, 0, 2, 0];
  return new Uint8Array([...head, ...Array.from({ length: payload }, (_, i) => (seed * 31 + i * 7) & 255)]);
}

function settings(prompt: string, seed: number): GenerationSettings {
  return {
    prompt, seed, seconds: 1, aspect: '1:1', steps: 4, guidance: 3, modelId: 'tiny', backend: 'auto',
    negativePrompt: '', promptInFile: false, mode: { kind: 'text' },
  };
}

function entry(id: string, prompt: string, seed: number, extra: Partial<GalleryEntry> = {}): GalleryEntry {
  return {
    id,
    createdAt: new Date(Date.UTC(2025, 5, seed)).toISOString(),
    video: new Blob([mp4Bytes(seed)], { type: 'video/mp4' }),
    mimeType: 'video/mp4',
    width: 32, height: 32, frameCount: 8, fps: 8,
    settings: settings(prompt, seed),
    poster: { width: 2, height: 2, rgba: new Uint8ClampedArray(16).fill(seed) },
    ...extra,
  };
}

const GALLERY = [
  entry('id-1', 'a red ball bounces on the grass', 1, { starred: true }),
  entry('id-2', 'a yellow star rotates on a night sky', 2, { contentCredentials: { state: 'signed', bytesAdded: 2300, signMs: 4 } }),
  entry('id-3', 'a green triangle falls and lands', 3),
];

/** A backup of GALLERY, its files changed by `change` (the index as an object, the other files as bytes). */
async function tampered(change: (index: BackupIndex, files: Record<string, Uint8Array>) => void): Promise<Uint8Array> {
  const files = unzipSync(await makeBackup(GALLERY));
  const index = JSON.parse(strFromU8(files[BACKUP_INDEX_FILE])) as BackupIndex;
  change(index, files);
  files[BACKUP_INDEX_FILE] = strToU8(JSON.stringify(index));
  return zipSync(files);
}

async function refusal(file: Uint8Array): Promise<string> {
  const error = await readBackup(file).then(() => undefined, (err: unknown) => err);
  expect(error).toBeInstanceOf(BackupRefusedError);
  return (error as Error).message;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

describe('a gallery backup', () => {
  it('is named for the day it was made', () => {
    expect(backupFileName(new Date(2025, 0, 7, 23, 59))).toBe('kinora-backup-2025-01-07.zip');
  });

  it('is a zip whose index says its format and version, then every video with its prompt, settings, date, id and star', async () => {
    const files = unzipSync(await makeBackup(GALLERY, new Date('2025-06-10T12:00:00Z')));
    expect(Object.keys(files)[0]).toBe(BACKUP_INDEX_FILE);
    const index = JSON.parse(strFromU8(files[BACKUP_INDEX_FILE]));
    expect(Object.keys(index).slice(0, 2)).toEqual(['format', 'version']);
    expect(index).toMatchObject({ format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: '2025-06-10T12:00:00.000Z' });
    expect(index.videos.map((v: { id: string; starred: boolean; createdAt: string; settings: GenerationSettings }) => [v.id, v.starred, v.createdAt, v.settings.prompt]))
      .toEqual(GALLERY.map((e) => [e.id, e.starred === true, e.createdAt, e.settings.prompt]));
    expect(index.videos[0].settings).toEqual(GALLERY[0].settings);
    // Each MP4 is in the zip as it was stored, under the name the index gives, with its hash.
    const mp4 = files[index.videos[1].video.file];
    expect([...mp4]).toEqual([...mp4Bytes(2)]);
    expect(index.videos[1].video.sha256).toBe(await sha256(mp4Bytes(2)));
  });

  it('reads back as the same videos: bytes, poster, settings, star and Content Credentials facts, marked as restored', async () => {
    const restored = await readBackup(await makeBackup(GALLERY), new Date('2025-07-01T08:00:00Z'));
    expect(restored).toHaveLength(3);
    for (const [i, { entry: back }] of restored.entries()) {
      const { video, poster, ...rest } = GALLERY[i];
      const { video: backVideo, poster: backPoster, restoredAt, ...backRest } = back;
      // Made before or elsewhere: the gallery must not call its signature this device's own.
      expect(restoredAt).toBe('2025-07-01T08:00:00.000Z');
      expect({ ...backRest, starred: backRest.starred === true }).toEqual({ ...rest, starred: rest.starred === true });
      expect(new Uint8Array(await backVideo.arrayBuffer())).toEqual(new Uint8Array(await video.arrayBuffer()));
      expect(backVideo.type).toBe('video/mp4');
      expect(backPoster).toEqual(poster);
    }
    expect(restored[0].entry.starred).toBe(true);
    expect(restored[1].entry.starred).toBe(false);
  });

  it('of an empty gallery restores as nothing', async () => {
    expect(await readBackup(await makeBackup([]))).toEqual([]);
  });
});

describe('restoring refuses a file it cannot trust, saying why', () => {
  it('a file that is not a zip', async () => {
    expect(await refusal(strToU8('just some text, not a zip'))).toMatch(/not a zip file/);
    expect(await refusal(mp4Bytes(1))).toMatch(/not a zip file/);
  });

  it('a backup cut short', async () => {
    const whole = await makeBackup(GALLERY);
    expect(await refusal(whole.subarray(0, Math.floor(whole.byteLength / 2)))).toMatch(/damaged or cut short/);
    expect(await refusal(whole.subarray(0, whole.byteLength - 10))).toMatch(/damaged or cut short/);
  });

  it('a zip without our index', async () => {
    const foreign = zipSync({ 'holiday.mp4': mp4Bytes(1), 'notes.txt': strToU8('hello') });
    expect(await refusal(foreign)).toMatch(/not a Kinora gallery backup: it has no index \(kinora-backup\.json\)/);
  });

  it('an index that is not JSON, or not ours', async () => {
    expect(await refusal(zipSync({ [BACKUP_INDEX_FILE]: strToU8('{"format": "kinora-gallery-b') }))).toMatch(/not readable JSON/);
    expect(await refusal(zipSync({ [BACKUP_INDEX_FILE]: strToU8('{"format": "someone-else", "version": 1, "videos": []}') }))).toMatch(/not a Kinora backup index/);
  });

  it('an index of a version it does not know', async () => {
    const newer = await tampered((index) => { (index as { version: number }).version = 2; });
    expect(await refusal(newer)).toMatch(/made by a newer Kinora \(backup format 2\); this Kinora reads format 1/);
    const unknown = await tampered((index) => { delete (index as Partial<BackupIndex>).version; });
    expect(await refusal(unknown)).toMatch(/a format this Kinora does not know/);
  });

  it('an index naming an MP4 the zip does not hold', async () => {
    const missing = await tampered((index, files) => { delete files[index.videos[2].video.file]; });
    expect(await refusal(missing)).toMatch(/incomplete: the MP4 of the video “a green triangle falls and lands” \(videos\/0003\.mp4\) is missing/);
  });

  it('an entry whose bytes are not an MP4, even with a size and hash that match them', async () => {
    const notMp4 = strToU8('<html>this is a web page, saved under the wrong name</html>');
    const hash = await sha256(notMp4);
    const file = await tampered((index, files) => {
      files[index.videos[1].video.file] = notMp4;
      Object.assign(index.videos[1].video, { bytes: notMp4.byteLength, sha256: hash });
    });
    expect(await refusal(file)).toMatch(/the file given as the MP4 of the video “a yellow star rotates on a night sky” \(videos\/0002\.mp4\) is not an MP4/);
  });

  it('an MP4 changed since the backup was made', async () => {
    const changed = await tampered((index, files) => {
      const mp4 = files[index.videos[0].video.file];
      mp4[mp4.length - 1] ^= 0xff;
    });
    expect(await refusal(changed)).toMatch(/damaged: the MP4 of the video “a red ball bounces on the grass” .* is not the one it was made with/);
  });

  it('a poster missing or of the wrong size', async () => {
    const file = await tampered((index, files) => { files[index.videos[0].poster.file] = new Uint8Array(3); });
    expect(await refusal(file)).toMatch(/poster image .* missing or of the wrong size/);
  });

  it('a video without the settings the page needs, or listed twice', async () => {
    const noPrompt = await tampered((index) => { delete (index.videos[0].settings as Partial<GenerationSettings>).prompt; });
    expect(await refusal(noPrompt)).toMatch(/video 1 in its index has no valid settings \(no prompt\)/);
    const badStar = await tampered((index) => { (index.videos[1] as { starred: unknown }).starred = 'yes'; });
    expect(await refusal(badStar)).toMatch(/video 2 in its index does not say whether it is starred/);
    const twice = await tampered((index) => { index.videos[2].id = index.videos[0].id; });
    expect(await refusal(twice)).toMatch(/lists the video id-1 twice/);
  });

  it('accepts settings that older galleries lack (no mode, no negative prompt)', () => {
    const index = parseBackupIndex(JSON.stringify({
      format: BACKUP_FORMAT, version: 1, createdAt: '2025-01-01T00:00:00Z',
      videos: [{
        id: 'old', createdAt: '2024-01-01T00:00:00Z', starred: false, settings: { prompt: 'a red ball', seed: 7, seconds: 2, aspect: '1:1', steps: 10, guidance: 3, modelId: 'kinora-small', backend: 'auto' },
        video: { file: 'videos/0001.mp4', mimeType: 'video/mp4', bytes: 10, sha256: 'a'.repeat(64), width: 64, height: 64, frameCount: 16, fps: 8 },
        poster: { file: 'posters/0001.rgba', width: 64, height: 64 },
      }],
    }));
    expect(index.videos[0].settings.prompt).toBe('a red ball');
  });
});

describe('an MP4 is known by its ftyp box', () => {
  it('at the start, with a size that fits', () => {
    expect(looksLikeMp4(mp4Bytes(1))).toBe(true);
    expect(looksLikeMp4(mp4Bytes(1).subarray(0, 7))).toBe(false);
    const wrongSize = mp4Bytes(1, 0);
    wrongSize[3] = 200;
    expect(looksLikeMp4(wrongSize)).toBe(false);
    expect(looksLikeMp4(strToU8('RIFF....WEBPVP8 '))).toBe(false);
  });
});

/** A gallery in memory with Gallery's rules: newest first, addNew never replaces a stored id. */
function memoryGallery(stored: GalleryEntry[]) {
  const byId = new Map(stored.map((e) => [e.id, e]));
  return {
    byId,
    list: async () => [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    addNew: vi.fn(async (entries: readonly GalleryEntry[]) => {
      const added = entries.filter((e) => !byId.has(e.id));
      for (const e of added) byId.set(e.id, e);
      return added.map((e) => e.id);
    }),
  };
}

describe('restoring into a gallery', () => {
  it('adds every video into an empty gallery, on another device, stars kept', async () => {
    const gallery = memoryGallery([]);
    const outcome = await restoreBackup(await makeBackup(GALLERY), gallery);
    expect(outcome).toEqual({ restored: 3, alreadyHere: 0 });
    expect([...gallery.byId.keys()].sort()).toEqual(['id-1', 'id-2', 'id-3']);
    expect(gallery.byId.get('id-1')!.starred).toBe(true);
    expect(describeRestore(outcome)).toBe('Restored 3 videos.');
  });

  it('never adds a video already here under its id, and never replaces it', async () => {
    const mine = entry('id-2', 'a yellow star rotates on a night sky', 2, { starred: true });
    const gallery = memoryGallery([mine]);
    const outcome = await restoreBackup(await makeBackup(GALLERY), gallery);
    expect(outcome).toEqual({ restored: 2, alreadyHere: 1 });
    expect(gallery.byId.get('id-2')).toBe(mine);
    expect(gallery.addNew.mock.calls[0][0].map((e: GalleryEntry) => e.id)).toEqual(['id-1', 'id-3']);
  });

  it('knows a video by its bytes when its id differs, and a backup holding one video twice adds it once', async () => {
    const sameBytesOtherId = entry('restored-elsewhere', 'a green triangle falls and lands', 3);
    const twiceOver = [...GALLERY, entry('id-4', 'a red ball bounces on the grass', 1)];
    const gallery = memoryGallery([sameBytesOtherId]);
    const outcome = await restoreBackup(await makeBackup(twiceOver), gallery);
    expect(outcome).toEqual({ restored: 2, alreadyHere: 2 });
    expect([...gallery.byId.keys()].sort()).toEqual(['id-1', 'id-2', 'restored-elsewhere']);
  });

  it('a second restore of the same file adds nothing', async () => {
    const gallery = memoryGallery([]);
    const file = await makeBackup(GALLERY);
    await restoreBackup(file, gallery);
    const again = await restoreBackup(file, gallery);
    expect(again).toEqual({ restored: 0, alreadyHere: 3 });
    expect(describeRestore(again)).toBe('Nothing to restore: all 3 videos in this backup were already here.');
  });

  it('stores nothing at all from a file it refuses, even when the bad video comes last', async () => {
    const gallery = memoryGallery([]);
    const lastIsBroken = await tampered((index, files) => { delete files[index.videos[2].video.file]; });
    await expect(restoreBackup(lastIsBroken, gallery)).rejects.toBeInstanceOf(BackupRefusedError);
    expect(gallery.addNew).not.toHaveBeenCalled();
    expect(gallery.byId.size).toBe(0);
  });

  it('picks the videos to add without touching the gallery', async () => {
    const backup = await readBackup(await makeBackup(GALLERY));
    expect((await videosToAdd(backup, [GALLERY[0]])).map((e) => e.id)).toEqual(['id-2', 'id-3']);
  });

  it('says what it did in plain words', () => {
    expect(describeRestore({ restored: 3, alreadyHere: 2 })).toBe('Restored 3 videos; 2 were already here.');
    expect(describeRestore({ restored: 1, alreadyHere: 1 })).toBe('Restored 1 video; 1 was already here.');
    expect(describeRestore({ restored: 0, alreadyHere: 1 })).toBe('Nothing to restore: the 1 video in this backup was already here.');
    expect(describeRestore({ restored: 0, alreadyHere: 0 })).toBe('This backup holds no videos; nothing was changed.');
  });
});
