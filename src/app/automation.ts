// A small programmatic door into the page, for `npm run generate`, `npm run eval`, `npm run detect`
// and tests: window.kinora.generate(request) makes a video exactly as the studio does and returns it
// with its facts; window.kinora.generateTakes(request, n) makes n takes as "Make N" does; window.kinora.check(file) checks a file as the studio's "Was this made by
// Kinora?" does. It adds no network access and nothing a visitor's own console could not already do.
import * as Comlink from 'comlink';
import type { GenerateProgress, GenerateRequest, GenerateResult, KinoraWorkerApi, StoryboardShot } from '../worker/api';
import { checkFile, type FileCheck } from '../provenance/detect';
import { blobToCheck } from './check-argument';

export interface AutomationResult extends Omit<GenerateResult, 'video' | 'poster'> {
  /** The MP4, base64-encoded (it crosses into Node as a string). */
  videoBase64: string;
  videoBytes: number;
}

/** A file as it crosses from Node: base64 bytes and a MIME type. */
export interface EncodedFile {
  base64: string;
  type: string;
}

/** GenerateRequest with its mode's files given as Blobs (in the page) or EncodedFiles (from Node). */
export type AutomationRequest = Omit<GenerateRequest, 'mode'> & {
  mode?:
    | { kind: 'text' }
    | { kind: 'image'; image: Blob | EncodedFile }
    | { kind: 'extend'; clip: Blob | EncodedFile; direction: 'forward' | 'backward' }
    | { kind: 'connect'; first: Blob | EncodedFile; last: Blob | EncodedFile }
    | { kind: 'edit'; clip: Blob | EncodedFile; strength: number }
    | { kind: 'loop' }
    | { kind: 'storyboard'; shots: StoryboardShot[] };
};

/** A file from Node as a Blob; anything that is not a file is passed on as it is, for the worker's check to name. */
function toBlob(file: Blob | EncodedFile): Blob {
  if (file instanceof Blob || typeof file?.base64 !== 'string') return file as Blob;
  let binary: string;
  try {
    binary = atob(file.base64);
  } catch {
    throw new Error('A file given to window.kinora.generate is not valid base64; give { base64, type } with the file\'s bytes in base64.');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: file.type });
}

/** The mode with its files as Blobs. Unknown kinds and missing files go on unchanged: the worker's check (request-validation.ts) says what is wrong. */
function reviveMode(mode: AutomationRequest['mode']): GenerateRequest['mode'] {
  switch (mode?.kind) {
    case 'image':
      return { kind: 'image', image: toBlob(mode.image) };
    case 'extend':
      return { kind: 'extend', clip: toBlob(mode.clip), direction: mode.direction };
    case 'edit':
      return { kind: 'edit', clip: toBlob(mode.clip), strength: mode.strength };
    case 'connect':
      return { kind: 'connect', first: toBlob(mode.first), last: toBlob(mode.last) };
    default:
      return mode as GenerateRequest['mode'];
  }
}

/** Progress as it crosses into Node: no pictures; streamed frames only counted. */
export type AutomationProgress = Omit<GenerateProgress, 'preview' | 'ready'> & {
  /** Frames of the video final so far (a prefix), and of the whole video, once streaming started. */
  ready?: { count: number; total: number };
};

export interface KinoraAutomation {
  generate(request: AutomationRequest, onProgress?: (p: AutomationProgress) => void): Promise<AutomationResult>;
  /** Checks a file for Kinora's watermark and C2PA manifest (src/provenance/detect.ts); throws for a file it cannot read. */
  /** `count` (1–4) takes of one request with consecutive seeds, as the studio's "Make N" makes them. */
  generateTakes(request: AutomationRequest, count: number, onProgress?: (p: AutomationProgress) => void): Promise<AutomationResult[]>;
  check(file: Blob | EncodedFile): Promise<FileCheck>;
  /** Destroys the worker's GPU device as a driver reset would. */
  simulateDeviceLoss(): Promise<void>;
}

async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A result as it crosses into Node: the MP4 as base64, no poster. */
async function forNode(result: GenerateResult): Promise<AutomationResult> {
  const { video, poster: _poster, ...facts } = result;
  return { ...facts, videoBase64: await toBase64(video), videoBytes: video.size };
}

/** Progress without pictures, for Node. */
function nodeProgress(onProgress: ((p: AutomationProgress) => void) | undefined) {
  return Comlink.proxy((p: GenerateProgress) => {
    const { preview: _preview, ready, ...rest } = p;
    onProgress?.(ready ? { ...rest, ready: { count: ready.start + ready.frames.length, total: ready.total } } : rest);
  });
}

export function installAutomation(api: Comlink.Remote<KinoraWorkerApi>): void {
  const automation: KinoraAutomation = {
    async generate(request, onProgress) {
      return forNode(await api.generate({ ...request, mode: reviveMode(request.mode) }, nodeProgress(onProgress)));
    },
    async generateTakes(request, count, onProgress) {
      const made = await api.generateTakes({ ...request, mode: reviveMode(request.mode) }, count, nodeProgress(onProgress), Comlink.proxy(() => undefined));
      return Promise.all(made.map(forNode));
    },
    check: async (file) => checkFile(blobToCheck(toBlob(file))),
    simulateDeviceLoss: () => api.loseDeviceForTesting(),
  };
  (globalThis as { kinora?: KinoraAutomation }).kinora = automation;
}
