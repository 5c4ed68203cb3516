// The index of a gallery backup: one JSON file in the zip (kinora-backup.json) that names every
// video's MP4 and poster in the zip and keeps what the gallery knows of it — id, date, star,
// settings (the prompt among them). `format` and `version` come first so that a reader knows at
// once whether it can read the rest: a newer Kinora may add fields to a version, never change their
// meaning; a change of meaning is a new version, which this reader refuses rather than guesses at.
import type { GenerationSettings } from '../worker/api';
import type { ContentCredentials } from '../provenance/content-credentials';

export const BACKUP_FORMAT = 'kinora-gallery-backup';
export const BACKUP_VERSION = 1;
/** The index's name inside the zip. */
export const BACKUP_INDEX_FILE = 'kinora-backup.json';

export interface BackupIndex {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  /** When the backup was made (ISO 8601). */
  createdAt: string;
  /** Newest first, as the gallery lists them. */
  videos: BackedUpVideo[];
}

export interface BackedUpVideo {
  id: string;
  /** When the video was made (ISO 8601). */
  createdAt: string;
  starred: boolean;
  /** As the gallery keeps them: the prompt, seed, model, steps, guidance, mode… */
  settings: GenerationSettings;
  video: {
    /** Its path inside the zip. */
    file: string;
    mimeType: 'video/mp4';
    bytes: number;
    /** Of the MP4's bytes, lowercase hex: shows a damaged copy, and finds a video already in a gallery under another id. */
    sha256: string;
    width: number;
    height: number;
    frameCount: number;
    fps: number;
  };
  /** The gallery's thumbnail: raw RGBA pixels, row by row, width × height × 4 bytes. */
  poster: { file: string; width: number; height: number };
  contentCredentials?: ContentCredentials;
}

/** A file that cannot be restored, and why, in words for the person who chose it. */
export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

/**
 * The index, read from the text of kinora-backup.json, every field checked; throws
 * BackupRefusedError naming the first thing wrong. It checks the index alone: whether the files it
 * names are in the zip, and are what it says, is for the reader of the whole file (gallery-restore.ts).
 */
export function parseBackupIndex(text: string): BackupIndex {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupRefusedError(`This backup is damaged: its index (${BACKUP_INDEX_FILE}) is not readable JSON.`);
  }
  if (!isObject(json) || json.format !== BACKUP_FORMAT) {
    throw new BackupRefusedError(`This zip file is not a Kinora gallery backup: its ${BACKUP_INDEX_FILE} is not a Kinora backup index.`);
  }
  if (json.version !== BACKUP_VERSION) {
    const newer = typeof json.version === 'number' && json.version > BACKUP_VERSION;
    throw new BackupRefusedError(newer
      ? `This backup was made by a newer Kinora (backup format ${json.version}); this Kinora reads format ${BACKUP_VERSION}. Reload the site to get the newest version, then restore again.`
      : `This backup has a format this Kinora does not know (${JSON.stringify(json.version)}); it reads format ${BACKUP_VERSION}.`);
  }
  if (typeof json.createdAt !== 'string' || !Array.isArray(json.videos)) {
    throw new BackupRefusedError('This backup is damaged: its index has no list of videos.');
  }
  const videos = json.videos.map((video, i) => checkVideo(video, i + 1));
  const ids = new Set<string>();
  for (const video of videos) {
    if (ids.has(video.id)) throw new BackupRefusedError(`This backup is damaged: its index lists the video ${video.id} twice.`);
    ids.add(video.id);
  }
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: json.createdAt, videos };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkVideo(video: unknown, position: number): BackedUpVideo {
  const wrong = (what: string) => new BackupRefusedError(`This backup is damaged: video ${position} in its index ${what}.`);
  if (!isObject(video)) throw wrong('is not a description of a video');
  const { id, createdAt, starred, settings, video: file, poster, contentCredentials } = video;
  if (typeof id !== 'string' || id === '') throw wrong('has no id');
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw wrong('has no valid date');
  if (typeof starred !== 'boolean') throw wrong('does not say whether it is starred');
  const problem = settingsProblem(settings);
  if (problem) throw wrong(`has no valid settings (${problem})`);
  if (!isObject(file) || typeof file.file !== 'string' || file.mimeType !== 'video/mp4' || !isCount(file.bytes)
      || typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)
      || !isPositive(file.width) || !isPositive(file.height) || !isPositive(file.frameCount) || !isPositive(file.fps)) {
    throw wrong('does not describe its MP4 (file, size, SHA-256, width, height, frames, fps)');
  }
  if (!isObject(poster) || typeof poster.file !== 'string' || !isPositive(poster.width) || !isPositive(poster.height)) {
    throw wrong('does not describe its poster image');
  }
  if (contentCredentials !== undefined && !isContentCredentials(contentCredentials)) throw wrong('has unreadable Content Credentials facts');
  return video as unknown as BackedUpVideo;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * What is wrong with a video's settings, or undefined. The page needs a prompt and a seed; every
 * other setting, when there, must have its type. They may be absent because galleries from before
 * a setting existed (the mode, the negative prompt, the prompt in the file) keep entries without
 * it, and a backup of such a gallery must restore.
 */
function settingsProblem(settings: unknown): string | undefined {
  if (!isObject(settings)) return 'none given';
  const { prompt, seed, seconds, aspect, steps, guidance, modelId, backend, negativePrompt, promptInFile, mode, scene } = settings;
  const optional = (value: unknown, fits: (v: unknown) => boolean) => value === undefined || fits(value);
  if (typeof prompt !== 'string') return 'no prompt';
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) return 'no seed';
  if (!optional(seconds, isPositive)) return 'an unreadable duration';
  if (!optional(aspect, (a) => a === '1:1' || a === '16:9' || a === '9:16')) return 'an unknown shape';
  if (!optional(steps, isPositive) || !optional(guidance, isPositive)) return 'unreadable steps or guidance';
  if (!optional(modelId, isString) || !optional(backend, isString) || !optional(negativePrompt, isString)) return 'an unreadable model, engine or negative prompt';
  if (!optional(promptInFile, (p) => typeof p === 'boolean')) return 'an unreadable prompt-in-file choice';
  if (!optional(mode, (m) => isObject(m) && isString(m.kind))) return 'an unreadable mode';
  const shots = isObject(mode) ? mode.shots : undefined;
  if (!optional(shots, (s) => Array.isArray(s) && s.every((shot) => isObject(shot) && isString(shot.prompt)))) return 'unreadable storyboard shots';
  if (!optional(scene, isObject)) return 'an unreadable scene';
  return undefined;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isContentCredentials(value: unknown): value is ContentCredentials {
  if (!isObject(value)) return false;
  if (value.state === 'signed') return typeof value.bytesAdded === 'number' && typeof value.signMs === 'number';
  return value.state === 'not-signed' && typeof value.reason === 'string';
}
