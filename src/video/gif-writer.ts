// Writes RGBA frames into an animated GIF that loops forever, for chats and anywhere a video does
// not play inline. gifenc (npm) does the colour quantisation and the LZW coding; this file chooses
// one palette for the whole clip (so flat colours do not flicker from frame to frame), times the
// frames so that the clip keeps its frame rate on average, and adds a comment extension with the
// text the caller gives (the provenance record, download-provenance.ts). The palette is the
// caller's to choose first (clipPalette of a paletteSample), so the frames can
// then be written one at a time and a long clip is never held whole at its written size.
import { applyPalette, GIFEncoder, quantize, type GifByteStream, type Palette } from 'gifenc';
import { VideoEncodeError } from './media-errors';
import { hasRgbaLength, isValidFrameSize, type FrameSize, type RgbaFrame } from './rgba-frame';

/** GIF's own limit: a colour table holds at most 256 colours. */
const MAX_COLOURS = 256;
/** The palette is learned from at most this many frames, spread over the clip: enough for every colour it shows, without quantising every pixel of a long clip. */
const PALETTE_SAMPLE_FRAMES = 16;
/** Browsers show a frame of 0 or 1 hundredths of a second for 10: a GIF cannot go faster than 50 fps. */
const MIN_DELAY_CS = 2;

/**
 * Frame i's display time in hundredths of a second (GIF's unit): from round(i·100/fps) to
 * round((i+1)·100/fps), so 8 fps alternates 13 and 12 and the clip keeps its length instead of
 * running 4 % slow at a rounded 13 each.
 */
export function gifFrameDelay(i: number, fps: number): number {
  const at = (k: number) => Math.round((k * 100) / fps);
  return Math.max(MIN_DELAY_CS, at(i + 1) - at(i));
}

/** Text as GIF comments hold it: 7-bit ASCII, so every other character becomes a \uXXXX escape (JSON reads them back). */
export function asciiComment(text: string): string {
  return text.replace(/[^\x20-\x7e\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A GIF comment extension (GIF89a §24): 0x21 0xFE, the text in sub-blocks of at most 255 bytes, a 0 block. */
export function commentExtension(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(asciiComment(text));
  const out: number[] = [0x21, 0xfe];
  for (let at = 0; at < bytes.length; at += 255) {
    const block = bytes.subarray(at, at + 255);
    out.push(block.length, ...block);
  }
  out.push(0);
  return Uint8Array.from(out);
}

/** The frame's bytes in an array of their own: gifenc reads pixels through a Uint32Array over the whole buffer. */
function ownBuffer(data: Uint8Array | Uint8ClampedArray): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer
    ? new Uint8Array(data.buffer)
    : new Uint8Array(data);
}

/** At most PALETTE_SAMPLE_FRAMES of the clip's frames, spread evenly over it: what its palette is learned from. */
export function paletteSample<T>(frames: readonly T[]): T[] {
  const count = Math.min(frames.length, PALETTE_SAMPLE_FRAMES);
  return Array.from({ length: count }, (_, i) => frames[Math.floor(((i + 0.5) * frames.length) / count)]);
}

/** One palette of at most 256 colours for all the frames given (all of one size). */
export function clipPalette(sample: readonly RgbaFrame[]): Palette {
  if (sample.length === 0) throw new VideoEncodeError('no-frames', 'The video has no frames, so there is nothing to save.');
  const frameBytes = sample[0].data.length;
  const pixels = new Uint8Array(frameBytes * sample.length);
  sample.forEach((frame, i) => pixels.set(frame.data, i * frameBytes));
  return quantize(pixels, MAX_COLOURS);
}

function writeBytes(stream: GifByteStream, bytes: Uint8Array): void {
  stream.writeBytes(bytes, 0, bytes.length);
}

/** An animated GIF written frame by frame, all of one size, in one palette; it loops forever. */
export class GifWriter {
  private frameCount = 0;
  private readonly gif = GIFEncoder();

  constructor(
    readonly size: FrameSize,
    private readonly palette: Palette,
    private readonly fps: number,
  ) {
    if (!isValidFrameSize(size) || size.width > 65535 || size.height > 65535) {
      throw new VideoEncodeError('bad-frame', `A GIF is 1 to 65535 pixels a side, not ${size.width}×${size.height}.`);
    }
    if (!(fps > 0)) throw new VideoEncodeError('bad-frame', `The frame rate must be above 0 fps, not ${fps}.`);
  }

  addFrame(frame: RgbaFrame): void {
    const { width, height } = this.size;
    if (frame.width !== width || frame.height !== height || !hasRgbaLength(frame)) {
      throw new VideoEncodeError('bad-frame', `Frame ${this.frameCount} is ${frame.width}×${frame.height} with ${frame.data.length} bytes; this GIF takes ${width}×${height} RGBA frames.`);
    }
    const index = applyPalette(ownBuffer(frame.data), this.palette);
    const delay = gifFrameDelay(this.frameCount, this.fps) * 10;
    // The first frame carries the palette (as the global colour table) and the loop; the rest use both.
    this.gif.writeFrame(index, width, height, this.frameCount === 0 ? { palette: this.palette, repeat: 0, delay } : { delay });
    this.frameCount++;
  }

  /** The file, with `comment` (if any) as a comment extension after the frames. */
  finish(comment?: string): { blob: Blob; frameCount: number } {
    if (this.frameCount === 0) throw new VideoEncodeError('no-frames', 'The video has no frames, so there is nothing to save.');
    if (comment) writeBytes(this.gif.stream, commentExtension(comment));
    this.gif.finish();
    return { blob: new Blob([this.gif.bytes()], { type: 'image/gif' }), frameCount: this.frameCount };
  }
}
