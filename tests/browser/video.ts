// In-browser checks of src/video, driven by tests/e2e/video.spec.ts. On the page (video.html)
// this module exposes window.kinoraVideoChecks; the same file also runs as a module Web Worker,
// so every check that must work off the main thread (encode, import, provenance) runs there too.
// Checks return plain data (MP4 bytes as base64); the spec decides what passes.
import { encodeMp4, Mp4VideoWriter } from '../../src/video/mp4-video-writer';
import { serveChecks, workerRunner } from './worker-checks';
import { importClip } from '../../src/video/clip-import';
import { importImage } from '../../src/video/image-import';
import { readProvenance } from '../../src/video/read-provenance';
import { MediaInputError, VideoEncodeError } from '../../src/video/media-errors';
import type { ClipEnd } from '../../src/video/clip-sample-times';
import type { GenerationFacts } from '../../src/video/provenance';
import type { RgbaFrame } from '../../src/video/rgba-frame';
import type { VideoCodecFamily } from '../../src/video/codec-strings';

/** The synthetic clip: a warm square sliding diagonally over a blue background. */
export const SYNTHETIC = { frameCount: 16, fps: 8, background: [24, 40, 96], square: [232, 176, 48] } as const;

export const GENERATION: GenerationFacts = {
  model: { id: 'kinora-test', sha256: '5f'.repeat(32) },
  prompt: 'a yellow square slides across a deep blue sky, "quoted" & unicode: ☀',
  // These checks read the prompt back from the tags; the studio's default (false) is tested in tests/e2e/prompt-privacy.spec.ts.
  promptInFile: true,
  seed: 1234,
  settings: { steps: 8, guidance: 3.5, aspect: '1:1', seconds: 2 },
  createdAt: new Date('2026-11-23T10:00:00.000Z'),
};

/** The square's side and top-left corner in frame `index` of a width × height clip. */
export function squareAt(width: number, height: number, index: number) {
  const side = Math.round(Math.min(width, height) / 2);
  const t = index / (SYNTHETIC.frameCount - 1);
  return { side, x: Math.round((width - side) * t), y: Math.round((height - side) * t) };
}

export function syntheticFrame(width: number, height: number, index: number): RgbaFrame {
  const data = new Uint8ClampedArray(width * height * 4);
  const sq = squareAt(width, height, index);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= sq.x && x < sq.x + sq.side && y >= sq.y && y < sq.y + sq.side;
      const [r, g, b] = inside ? SYNTHETIC.square : SYNTHETIC.background;
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

export type ErrorReport = { ok: false; name: string; kind: string; message: string };

function errorReport(e: unknown): ErrorReport {
  if (e instanceof MediaInputError || e instanceof VideoEncodeError) return { ok: false, name: e.name, kind: e.kind, message: e.message };
  return { ok: false, name: e instanceof Error ? e.name : 'unknown', kind: 'unexpected', message: String(e) };
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function pixel(frame: RgbaFrame, x: number, y: number): number[] {
  const at = (Math.floor(y) * frame.width + Math.floor(x)) * 4;
  return Array.from(frame.data.subarray(at, at + 4));
}

async function encodeSynthetic(args: { width: number; height: number; codecs?: VideoCodecFamily[] }) {
  const frames = Array.from({ length: SYNTHETIC.frameCount }, (_, i) => syntheticFrame(args.width, args.height, i));
  try {
    const video = await encodeMp4(frames, {
      frame: { width: args.width, height: args.height },
      fps: SYNTHETIC.fps,
      generation: GENERATION,
      codecs: args.codecs,
    });
    const bytes = new Uint8Array(await video.blob.arrayBuffer());
    return {
      ok: true as const,
      mp4: toBase64(bytes),
      codec: video.choice.codec,
      family: video.choice.family,
      encoded: video.choice.encoded,
      frameCount: video.frameCount,
      provenanceWritten: video.provenance,
      provenanceRead: await readProvenance(video.blob),
    };
  } catch (e) {
    return errorReport(e);
  }
}

/** The writer's refusals: a frame of the wrong size, a video with no frames, a size no encoder takes. */
async function encodeMisuse() {
  const size = { width: 64, height: 64 };
  const reports: Record<string, ErrorReport | { ok: true }> = {};
  const attempt = async (name: string, run: () => Promise<unknown>) => {
    try {
      await run();
      reports[name] = { ok: true };
    } catch (e) {
      reports[name] = errorReport(e);
    }
  };
  await attempt('wrong-size-frame', async () => {
    const writer = await Mp4VideoWriter.create({ frame: size, fps: 8, generation: GENERATION });
    try {
      await writer.addFrame(syntheticFrame(32, 32, 0));
    } finally {
      await writer.cancel();
    }
  });
  await attempt('no-frames', async () => {
    const writer = await Mp4VideoWriter.create({ frame: size, fps: 8, generation: GENERATION });
    await writer.finish();
  });
  await attempt('too-large-for-h264', () => encodeMp4([], { frame: { width: 16384, height: 16384 }, fps: 8, generation: GENERATION, codecs: ['avc'] }));
  return reports;
}

async function readProvenanceOf(args: { mp4: string }) {
  try {
    return { ok: true as const, provenance: await readProvenance(new Blob([fromBase64(args.mp4)], { type: 'video/mp4' })) };
  } catch (e) {
    return errorReport(e);
  }
}

/** A 300×150 test picture: a 150×150 centre of one colour between two side bands of another. */
const PICTURE = { width: 300, height: 150, centre: [40, 200, 90], bands: [210, 40, 160] } as const;

async function pictureFile(type: 'image/png' | 'image/jpeg' | 'image/webp'): Promise<Blob> {
  const canvas = new OffscreenCanvas(PICTURE.width, PICTURE.height);
  const context = canvas.getContext('2d')!;
  context.fillStyle = `rgb(${PICTURE.bands.join(' ')})`;
  context.fillRect(0, 0, PICTURE.width, PICTURE.height);
  context.fillStyle = `rgb(${PICTURE.centre.join(' ')})`;
  context.fillRect(75, 0, 150, PICTURE.height);
  return canvas.convertToBlob({ type, quality: 0.95 });
}

/** A PNG that is only a signature and an IHDR chunk claiming 10000×10000: refusing it must not need decoding. */
function hugePngHeader(): Blob {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, 10000);
  new DataView(bytes.buffer).setUint32(20, 10000);
  bytes.set([8, 6, 0, 0, 0], 24);
  return new Blob([bytes], { type: 'image/png' });
}

/**
 * The JPEG picture with an EXIF APP1 segment saying "orientation 6" (rotate 90° clockwise to
 * show), inserted right after the start-of-image marker: shown, it is 150×300 with the bands at
 * the top and bottom.
 */
async function exifRotatedJpeg(): Promise<Blob> {
  const jpeg = new Uint8Array(await (await pictureFile('image/jpeg')).arrayBuffer());
  const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
  const payload = [...Array.from('Exif', (c) => c.charCodeAt(0)), 0, 0, ...tiff];
  const length = payload.length + 2;
  const app1 = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
  return new Blob([jpeg.subarray(0, 2), new Uint8Array(app1), jpeg.subarray(2)], { type: 'image/jpeg' });
}

/** The picture at half opacity, to check that alpha survives import. */
async function translucentPng(): Promise<Blob> {
  const canvas = new OffscreenCanvas(PICTURE.width, PICTURE.height);
  const context = canvas.getContext('2d')!;
  context.fillStyle = `rgb(${PICTURE.centre.join(' ')} / 50%)`;
  context.fillRect(0, 0, PICTURE.width, PICTURE.height);
  return canvas.convertToBlob({ type: 'image/png' });
}

export type ImageCase = 'png' | 'jpeg' | 'webp' | 'exif-rotated-jpeg' | 'translucent-png' | 'empty' | 'text' | 'huge-png' | 'truncated-png';

async function imageCaseFile(name: ImageCase): Promise<Blob> {
  switch (name) {
    case 'png':
    case 'jpeg':
    case 'webp':
      return pictureFile(`image/${name}`);
    case 'exif-rotated-jpeg':
      return exifRotatedJpeg();
    case 'translucent-png':
      return translucentPng();
    case 'empty':
      return new Blob([], { type: 'image/png' });
    case 'text':
      return new Blob(['this is a note, not a picture'], { type: 'image/png' });
    case 'huge-png':
      return hugePngHeader();
    case 'truncated-png': {
      const png = await pictureFile('image/png');
      return png.slice(0, 60, 'image/png');
    }
  }
}

async function importImageCase(args: { name: ImageCase; width: number; height: number }) {
  try {
    const image = await importImage(await imageCaseFile(args.name), { width: args.width, height: args.height });
    return {
      ok: true as const,
      width: image.width,
      height: image.height,
      bytes: image.data.length,
      source: image.source,
      expected: PICTURE.centre,
      // The 2:1 picture is cut to the target's aspect: the centre colour must reach the corners.
      bands: PICTURE.bands,
      samples: {
        centre: pixel(image, image.width / 2, image.height / 2),
        top: pixel(image, image.width / 2, 2),
        topLeft: pixel(image, 1, 1),
        bottomRight: pixel(image, image.width - 2, image.height - 2),
      },
    };
  } catch (e) {
    return errorReport(e);
  }
}

export type ClipCase = 'mp4' | 'empty' | 'png' | 'garbled-mp4' | 'truncated-mp4';

async function clipCaseFile(name: ClipCase, mp4: Uint8Array<ArrayBuffer>): Promise<Blob> {
  switch (name) {
    case 'mp4':
      return new Blob([mp4], { type: 'video/mp4' });
    case 'empty':
      return new Blob([], { type: 'video/mp4' });
    case 'png':
      return pictureFile('image/png');
    case 'garbled-mp4': {
      // Keep the first 32 bytes (ftyp) so it still looks like an MP4; overwrite the rest.
      const garbled = mp4.slice();
      for (let i = 32; i < garbled.length; i++) garbled[i] = (i * 7919) & 0xff;
      return new Blob([garbled], { type: 'video/mp4' });
    }
    case 'truncated-mp4':
      return new Blob([mp4.subarray(0, Math.floor(mp4.length * 0.6))], { type: 'video/mp4' });
  }
}

async function importClipCase(args: { name: ClipCase; mp4: string; width: number; height: number; fps: number; maxFrames: number; from: ClipEnd }) {
  try {
    const clip = await importClip(await clipCaseFile(args.name, fromBase64(args.mp4)), args);
    return {
      ok: true as const,
      fps: clip.fps,
      timestamps: clip.timestamps,
      source: clip.source,
      frames: clip.frames.map((f) => ({ width: f.width, height: f.height, bytes: f.data.length })),
      // Colour at the centre of each frame and at its top-left corner, for the spec to compare with the synthetic clip.
      centres: clip.frames.map((f) => pixel(f, f.width / 2, f.height / 2)),
      corners: clip.frames.map((f) => pixel(f, 1, 1)),
    };
  } catch (e) {
    return errorReport(e);
  }
}

const CHECKS = { encodeSynthetic, encodeMisuse, readProvenanceOf, importImageCase, importClipCase };
type Checks = typeof CHECKS;

/**
 * Plays an MP4 in a <video> element (main thread only): waits for its metadata, then for each
 * asked-for frame seeks to the middle of that frame's time, draws it to a canvas and samples
 * the square's centre and a background corner, beside the colours the synthetic frame had.
 */
async function playInVideoElement(args: { mp4: string; frameWidth: number; frameHeight: number; frames: number[] }) {
  const url = URL.createObjectURL(new Blob([fromBase64(args.mp4)], { type: 'video/mp4' }));
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  document.body.append(video);
  try {
    const loaded = new Promise<void>((resolve, reject) => {
      video.addEventListener('loadeddata', () => resolve(), { once: true });
      video.addEventListener('error', () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`)), { once: true });
    });
    video.src = url;
    await loaded;
    const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const scale = video.videoWidth / args.frameWidth;
    const samples = [];
    for (const index of args.frames) {
      const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      // 'seeked' can fire before the new frame is decoded and presented (seen on a loaded machine):
      // wait for the frame callback too, bounded, so what is drawn is the sought frame.
      const presented = new Promise<void>((resolve) => {
        video.requestVideoFrameCallback(() => resolve());
        setTimeout(resolve, 2000);
      });
      video.currentTime = (index + 0.5) / SYNTHETIC.fps;
      await seeked;
      await presented;
      context.drawImage(video, 0, 0);
      const sq = squareAt(args.frameWidth, args.frameHeight, index);
      const expectedFrame = syntheticFrame(args.frameWidth, args.frameHeight, index);
      const at = (x: number, y: number) => Array.from(context.getImageData(Math.floor(x * scale), Math.floor(y * scale), 1, 1).data);
      const square = { x: sq.x + sq.side / 2, y: sq.y + sq.side / 2 };
      // The corner the square is farthest from is always background.
      const background = index < SYNTHETIC.frameCount / 2 ? { x: args.frameWidth - 2, y: args.frameHeight - 2 } : { x: 1, y: 1 };
      samples.push({
        index,
        square: { actual: at(square.x, square.y), expected: pixel(expectedFrame, square.x, square.y) },
        background: { actual: at(background.x, background.y), expected: pixel(expectedFrame, background.x, background.y) },
      });
    }
    return { ok: true as const, duration: video.duration, videoWidth: video.videoWidth, videoHeight: video.videoHeight, samples };
  } catch (e) {
    return { ok: false as const, kind: 'playback', message: String(e) };
  } finally {
    video.remove();
    URL.revokeObjectURL(url);
  }
}

/** Runs one check in the module Web Worker and resolves with its result. */
const inWorker = workerRunner<Checks>(new URL('./video.ts', import.meta.url));

export interface VideoChecksApi {
  checks: Checks;
  inWorker: typeof inWorker;
  playInVideoElement: typeof playInVideoElement;
}

if (typeof document === 'undefined') {
  // Worker side: no DOM here, which is the point.
  serveChecks(CHECKS);
} else {
  (globalThis as unknown as { kinoraVideoChecks: VideoChecksApi }).kinoraVideoChecks = {
    checks: CHECKS,
    inWorker,
    playInVideoElement,
  };
}
