// Turns a user's video clip (MP4, MOV, WebM or MKV) into RGBA frames of the model's size and
// frame rate, for extending a clip forwards or backwards. Mediabunny reads the container and
// WebCodecs decodes; the frame size is checked from the container before anything is decoded.
// Runs in a Web Worker as well as on the main thread.
import { CanvasSink, Input, BlobSource, MATROSKA, MP4, QTFF, WEBM, type InputVideoTrack } from 'mediabunny';
import { clipSampleTimes, type ClipEnd } from './clip-sample-times';
import { MediaInputError } from './media-errors';
import { isValidFrameSize, type FrameSize, type RgbaFrame } from './rgba-frame';

/** Clips up to 4096×2304 (cinema 4K) are decoded; larger ones are refused before decoding. */
export const MAX_CLIP_PIXELS = 4096 * 2304;

export const VIDEO_FORMATS = [MP4, QTFF, WEBM, MATROSKA];

export interface ClipImportOptions {
  /** The size of the frames to return; the clip is centre-cropped to this aspect, then scaled. */
  width: number;
  height: number;
  /** The frame rate of the frames to return (the model's rate), whatever the clip's own. */
  fps: number;
  /** At most this many frames. */
  maxFrames: number;
  /** Take the first frames ('start', to extend backwards) or the last ones ('end', to extend forwards). */
  from: ClipEnd;
}

export interface ClipFacts {
  codec: string;
  width: number;
  height: number;
  /** Seconds. */
  duration: number;
}

export interface ImportedClip {
  frames: RgbaFrame[];
  fps: number;
  /** Seconds in the clip of each returned frame. */
  timestamps: number[];
  source: ClipFacts;
}

export async function importClip(file: Blob, options: ClipImportOptions): Promise<ImportedClip> {
  const { width, height, fps, maxFrames, from } = options;
  if (!isValidFrameSize({ width, height }) || !(fps > 0) || !Number.isInteger(maxFrames) || maxFrames < 1) {
    throw new MediaInputError('bad-request', `Cannot take ${maxFrames} frames of ${width}×${height} at ${fps} fps from a clip.`);
  }
  if (file.size === 0) throw new MediaInputError('empty-file', 'This file is empty (0 bytes). Choose the clip again, or another one.');

  const input = new Input({ source: new BlobSource(file), formats: VIDEO_FORMATS });
  try {
    const track = await openVideoTrack(input);
    const first = await track.getFirstTimestamp();
    const end = await track.computeDuration();
    const source: ClipFacts = { codec: track.codec ?? 'unknown', width: track.displayWidth, height: track.displayHeight, duration: end - first };
    const times = clipSampleTimes(first, end, fps, maxFrames, from);
    const frames = await decodeFramesAt(track, times, { width, height });
    return { frames, fps, timestamps: times, source };
  } catch (e) {
    if (e instanceof MediaInputError) throw e;
    throw corrupt(e);
  } finally {
    input.dispose();
  }
}

/** The clip's primary video track, checked: it exists, is not too large, and this browser decodes it. */
export async function openVideoTrack(input: Input): Promise<InputVideoTrack> {
  if (!(await input.canRead().catch(() => false))) {
    throw new MediaInputError('not-a-video', 'This file is not an MP4, MOV, WebM or MKV video. Choose a clip in one of those formats.');
  }
  const track = await input.getPrimaryVideoTrack();
  if (!track) {
    // A container with no tracks at all has lost its index (the moov box in an MP4): it is damaged, not silent.
    if ((await input.getTracks()).length === 0) throw corrupt(new Error('the container lists no tracks'));
    throw new MediaInputError('no-video-track', 'This file has no video in it (only sound, perhaps). Choose a clip with pictures.');
  }
  const { displayWidth, displayHeight } = track;
  if (displayWidth * displayHeight > MAX_CLIP_PIXELS) {
    throw new MediaInputError(
      'video-too-large',
      `This clip is ${displayWidth}×${displayHeight}; Kinora reads clips up to 4096×2304. Make a smaller copy first.`,
    );
  }
  if (!(await track.canDecode())) {
    throw new MediaInputError(
      'unsupported-codec',
      `This browser cannot decode the clip's video (${track.codec ?? 'an unknown codec'}). Convert it to H.264 MP4 or VP9 WebM first.`,
    );
  }
  return track;
}

async function decodeFramesAt(track: InputVideoTrack, times: number[], size: FrameSize): Promise<RgbaFrame[]> {
  // 'cover' centre-crops to the target aspect, like image import; rotation metadata is applied.
  const sink = new CanvasSink(track, { width: size.width, height: size.height, fit: 'cover' });
  const frames: RgbaFrame[] = [];
  for await (const wrapped of sink.canvasesAtTimestamps(times)) {
    if (!wrapped) throw corrupt(new Error(`no frame at ${times[frames.length]} s`));
    const context = wrapped.canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) throw new Error('the decoded frame has no 2D context');
    frames.push({ width: size.width, height: size.height, data: context.getImageData(0, 0, size.width, size.height).data });
  }
  if (frames.length !== times.length) throw corrupt(new Error(`decoded ${frames.length} of ${times.length} frames`));
  return frames;
}

function corrupt(cause: unknown): MediaInputError {
  return new MediaInputError(
    'corrupt-video',
    'This clip looks damaged: it could not be read to the end. Try exporting it again, or choose another clip.',
    { cause },
  );
}
