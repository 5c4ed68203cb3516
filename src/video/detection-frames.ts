// Reads any video or image someone wants checked for Kinora's watermark into a few frames of
// bounded size: the frames the watermark detector (watermark-detect.ts) reads. Images (PNG, JPEG,
// WebP) are decoded by the browser, videos (MP4, MOV, WebM, MKV) by WebCodecs through Mediabunny,
// each at its own aspect — the watermark is laid out relative to the frame, so the size does not
// matter, and nothing is cropped. What this browser cannot read gets a MediaInputError that says so.
import { BlobSource, CanvasSink, Input } from 'mediabunny';
import { openVideoTrack, VIDEO_FORMATS } from './clip-import';
import { readImageHeader, type ImageFormat } from './image-header';
import { importImage } from './image-import';
import { MediaInputError } from './media-errors';
import type { FrameSize, RgbaFrame } from './rgba-frame';

/** Frames are read at most this many pixels a side: the detector's own working size. */
export const DETECTION_SIDE = 256;
/** At most this many frames of a video, spread evenly over it (12 s of a Kinora video at 8 fps). */
export const DETECTION_FRAMES = 96;
/** Frames read per second of video, up to DETECTION_FRAMES: Kinora's own rate. */
const FRAMES_PER_SECOND = 8;
const HEADER_PROBE_BYTES = 256 * 1024;
const IMAGE_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export interface MediaForDetection {
  kind: 'video' | 'image';
  /** The container's or image's type, as read from the bytes (not from the file name). */
  mimeType: string;
  /** The picture's own size. */
  width: number;
  height: number;
  /** Seconds; 0 for an image. */
  duration: number;
  frames: RgbaFrame[];
}

/** `size` scaled to fit DETECTION_SIDE, aspect kept, at least 1 pixel a side. */
export function detectionSize(size: FrameSize): FrameSize {
  const scale = Math.min(1, DETECTION_SIDE / Math.max(size.width, size.height));
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** Times (seconds) to read: one per 1/8 s, at most DETECTION_FRAMES, each in the middle of its share. */
export function detectionTimes(first: number, end: number): number[] {
  const duration = Math.max(0, end - first);
  const count = Math.min(DETECTION_FRAMES, Math.max(1, Math.round(duration * FRAMES_PER_SECOND)));
  return Array.from({ length: count }, (_, i) => first + ((i + 0.5) * duration) / count);
}

export async function readForDetection(file: Blob): Promise<MediaForDetection> {
  if (file.size === 0) throw new MediaInputError('empty-file', 'This file is empty (0 bytes), so there is nothing in it to check.');
  let header = readImageHeader(new Uint8Array(await file.slice(0, HEADER_PROBE_BYTES).arrayBuffer()));
  // A JPEG's metadata can push its size past the first bytes (image-import.ts does the same).
  if (header.kind === 'need-more-bytes' && file.size > HEADER_PROBE_BYTES) header = readImageHeader(new Uint8Array(await file.arrayBuffer()));
  if (header.kind !== 'unknown-format') {
    // importImage checks the size limits and a cut-off header itself, and says what is wrong
    // (a header still cut off never reaches the decoding, so the stand-in size is never used).
    const format = header.kind === 'ok' ? header.header.format : header.format;
    const own = header.kind === 'ok' ? header.header : { width: DETECTION_SIDE, height: DETECTION_SIDE };
    const image = await importImage(file, detectionSize(own));
    return { kind: 'image', mimeType: IMAGE_TYPES[format], width: image.source.width, height: image.source.height, duration: 0, frames: [image] };
  }
  return readVideo(file);
}

async function readVideo(file: Blob): Promise<MediaForDetection> {
  const input = new Input({ source: new BlobSource(file), formats: VIDEO_FORMATS });
  try {
    if (!(await input.canRead().catch(() => false))) {
      throw new MediaInputError(
        'not-a-video',
        'This file is neither a video (MP4, MOV, WebM, MKV) nor an image (PNG, JPEG, WebP), so there is no picture in it to check.',
      );
    }
    const track = await openVideoTrack(input);
    const mimeType = (await input.getFormat()).mimeType;
    const first = await track.getFirstTimestamp();
    const end = await track.computeDuration();
    const size = detectionSize({ width: track.displayWidth, height: track.displayHeight });
    const times = detectionTimes(first, end);
    const sink = new CanvasSink(track, { ...size, fit: 'fill' });
    const frames: RgbaFrame[] = [];
    for await (const wrapped of sink.canvasesAtTimestamps(times)) {
      if (!wrapped) continue; // a time past the last frame: fewer frames, still a reading
      const context = wrapped.canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
      if (!context) throw new Error('the decoded frame has no 2D context');
      frames.push({ ...size, data: context.getImageData(0, 0, size.width, size.height).data });
    }
    if (frames.length === 0) throw new Error('no frame could be decoded');
    return { kind: 'video', mimeType, width: track.displayWidth, height: track.displayHeight, duration: end - first, frames };
  } catch (e) {
    if (e instanceof MediaInputError) throw e;
    throw new MediaInputError(
      'corrupt-video',
      'This video looks damaged: its pictures could not be decoded. Try another copy of it.',
      { cause: e },
    );
  } finally {
    input.dispose();
  }
}
