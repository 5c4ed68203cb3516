// An invisible watermark in the pixels: spread spectrum over the frames' luma. A metadata label is
// gone after any re-encode or upload; a mark in the pixels is not. Every pixel carries one chip of
// one payload bit: its luma is raised or lowered by WATERMARK_AMPLITUDE, the sign chosen by a public
// key (WATERMARK_KEY) and the bit. The payload is "Kinora", the format version and a 16-bit hash of
// the model id, 72 bits.
//
// The pattern depends only on a pixel's position, so every frame carries the same one: the
// detector sums the evidence over all frames it is given, however many (a trimmed clip or another
// frame rate still has it). It needs no original: it removes the picture's own content with a
// local prediction (each pixel minus the mean of its four neighbours) and correlates the rest with
// the key's pattern. It reads frames at the size they were marked; scaling and cropping move the
// pattern, and surviving them is not claimed here.
import type { RgbaFrame } from './rgba-frame';

/** The public key of the pattern: anyone can check a Kinora watermark, as with a label. */
export const WATERMARK_KEY = 0x4b696e6f; // "Kino"
export const WATERMARK_VERSION = 1;
/**
 * Luma change per pixel, in levels of 255. R, G and B move together by this much, so the mean
 * squared error is at most 4 and the PSNR at least 20·log10(255/2) ≈ 42.1 dB (clipping at 0 and 255
 * only lowers the error).
 */
export const WATERMARK_AMPLITUDE = 2;

const MAGIC = 'Kinora';
const MAGIC_BITS = MAGIC.length * 8;
const VERSION_BITS = 8;
const MODEL_HASH_BITS = 16;
export const PAYLOAD_BITS = MAGIC_BITS + VERSION_BITS + MODEL_HASH_BITS;

/**
 * How many of the 48 bits of "Kinora" must read right to say "found". On frames without the mark
 * each bit is a fair coin (its pixels are its own, so bits are independent) or unread, so a chance
 * match of at least 44 of 48 has probability Σ_{k≥44} C(48,k)/2^48 ≈ 7.6e-10 per clip checked; a
 * marked clip may lose up to 4 bits to damage and still be found.
 */
export const MIN_MAGIC_BITS_FOUND = 44;

/** A 16-bit FNV-1a hash of the model id: enough to tell the shipped models apart, short enough to spread. */
export function modelIdHash(modelId: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(modelId)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return ((h >>> 16) ^ h) & 0xffff;
}

/** The payload as bits, most significant first: "Kinora", the version, the model id's hash. */
export function payloadBits(modelId: string): Uint8Array {
  const bits = new Uint8Array(PAYLOAD_BITS);
  const put = (value: number, width: number, at: number) => {
    for (let i = 0; i < width; i++) bits[at + i] = (value >>> (width - 1 - i)) & 1;
  };
  for (let c = 0; c < MAGIC.length; c++) put(MAGIC.charCodeAt(c), 8, c * 8);
  put(WATERMARK_VERSION, VERSION_BITS, MAGIC_BITS);
  put(modelIdHash(modelId), MODEL_HASH_BITS, MAGIC_BITS + VERSION_BITS);
  return bits;
}

/** A well-mixed 32-bit hash of the key and a pixel's position (lowbias32's finaliser), so chips look random and independent. */
function chipHash(x: number, y: number): number {
  let h = (WATERMARK_KEY ^ Math.imul(x + 1, 0x9e3779b1) ^ Math.imul(y + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** For each pixel of a width × height frame: which payload bit it carries, and the key's sign (+1 or −1) for it. */
function chipLayout(width: number, height: number): { bit: Uint8Array; sign: Int8Array } {
  const bit = new Uint8Array(width * height);
  const sign = new Int8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const h = chipHash(x, y);
      bit[y * width + x] = (h & 0xffff) % PAYLOAD_BITS;
      sign[y * width + x] = h & 0x80000000 ? 1 : -1;
    }
  }
  return { bit, sign };
}

/** The frame with the watermark added (a new frame; alpha unchanged). */
export function addWatermark(frame: RgbaFrame, modelId: string): RgbaFrame {
  const bits = payloadBits(modelId);
  const { bit, sign } = chipLayout(frame.width, frame.height);
  const data = new Uint8ClampedArray(frame.data); // clamps at 0 and 255
  for (let p = 0; p < bit.length; p++) {
    const delta = WATERMARK_AMPLITUDE * sign[p] * (bits[bit[p]] ? 1 : -1);
    data[p * 4] += delta;
    data[p * 4 + 1] += delta;
    data[p * 4 + 2] += delta;
  }
  return { width: frame.width, height: frame.height, data };
}

export interface WatermarkReading {
  /** At least MIN_MAGIC_BITS_FOUND of the bits of "Kinora" read right. */
  found: boolean;
  /** How many of the 48 bits of "Kinora" read right (about 24 on a picture without the mark). */
  magicBitsMatching: number;
  /** The version and the model id's hash as read; meaningful only when found. */
  version: number;
  modelHash: number;
}

/** Reads the watermark from decoded frames of one clip (any number, all of one size), or a single image. */
export function detectWatermark(frames: Iterable<RgbaFrame>): WatermarkReading {
  const evidence = new Float64Array(PAYLOAD_BITS);
  let layout: ReturnType<typeof chipLayout> | undefined;
  let size: string | undefined;
  for (const frame of frames) {
    const { width, height, data } = frame;
    if (size !== undefined && size !== `${width}×${height}`) {
      throw new RangeError(`All frames of a clip have one size; got ${width}×${height} after ${size}.`);
    }
    size = `${width}×${height}`;
    layout ??= chipLayout(width, height);
    const luma = new Float32Array(width * height);
    for (let p = 0; p < luma.length; p++) luma[p] = 0.299 * data[p * 4] + 0.587 * data[p * 4 + 1] + 0.114 * data[p * 4 + 2];
    // Each inner pixel minus the mean of its four neighbours: the picture's smooth content cancels,
    // the chip (independent of its neighbours' chips) stays.
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const p = y * width + x;
        const residual = luma[p] - (luma[p - 1] + luma[p + 1] + luma[p - width] + luma[p + width]) / 4;
        evidence[layout.bit[p]] += residual * layout.sign[p];
      }
    }
  }
  // A bit with no evidence either way (a flat picture) is unread: it matches neither 0 nor 1.
  const read = (i: number): number | null => (evidence[i] > 0 ? 1 : evidence[i] < 0 ? 0 : null);
  const expected = payloadBits('');
  let magicBitsMatching = 0;
  for (let i = 0; i < MAGIC_BITS; i++) if (read(i) === expected[i]) magicBitsMatching++;
  const field = (at: number, width: number) => {
    let value = 0;
    for (let i = 0; i < width; i++) value = (value << 1) | (read(at + i) ?? 0);
    return value;
  };
  return {
    found: magicBitsMatching >= MIN_MAGIC_BITS_FOUND,
    magicBitsMatching,
    version: field(MAGIC_BITS, VERSION_BITS),
    modelHash: field(MAGIC_BITS + VERSION_BITS, MODEL_HASH_BITS),
  };
}
