// The pixel watermark on random frames: invisible (PSNR ≥ 40 dB), found in marked frames with its
// payload, not found in unmarked ones (the threshold's false-positive rate: watermark.ts).
import { describe, expect, it } from 'vitest';
import type { RgbaFrame } from '../../src/video/rgba-frame';
import { addWatermark, detectWatermark, MIN_MAGIC_BITS_FOUND, modelIdHash, WATERMARK_VERSION } from '../../src/video/watermark';

/** Deterministic uniform values in [0, 1) (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A clip of natural-looking random pictures: a few random colour waves that drift from frame to
 * frame, plus sensor-like noise of ±`noise` levels. `noise` 255 with no waves is white noise.
 */
function randomClip(seed: number, width: number, height: number, frames: number, noise = 6): RgbaFrame[] {
  const next = random(seed);
  const waves = Array.from({ length: 4 }, () => ({ fx: next() * 0.2, fy: next() * 0.2, phase: next() * 6.3, speed: next(), colour: [next(), next(), next()] }));
  return Array.from({ length: frames }, (_, t) => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) {
          const smooth = noise >= 255 ? 0 : waves.reduce((sum, w) => sum + 30 * w.colour[c] * Math.sin(w.fx * x + w.fy * y + w.phase + w.speed * t), 128);
          data[p + c] = noise >= 255 ? next() * 256 : smooth + (next() * 2 - 1) * noise;
        }
        data[p + 3] = 255;
      }
    }
    return { width, height, data };
  });
}

function psnr(a: RgbaFrame[], b: RgbaFrame[]): number {
  let squared = 0;
  let count = 0;
  a.forEach((frame, f) => {
    for (let i = 0; i < frame.data.length; i++) {
      if (i % 4 === 3) continue; // alpha is not the picture
      squared += (frame.data[i] - b[f].data[i]) ** 2;
      count++;
    }
  });
  return 10 * Math.log10((255 * 255) / (squared / count));
}

const MODEL = 'kinora-tiny';
const mark = (clip: RgbaFrame[]) => clip.map((frame) => addWatermark(frame, MODEL));

describe('the pixel watermark', () => {
  it('is invisible: PSNR against the unmarked frames is at least 40 dB, and alpha is untouched', () => {
    for (const [seed, noise] of [[1, 6], [2, 0], [3, 255]]) {
      const clip = randomClip(seed, 64, 64, 4, noise);
      const marked = mark(clip);
      expect(psnr(clip, marked)).toBeGreaterThanOrEqual(40);
      expect(marked[0].data.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
    }
  });

  it('is found in marked clips of Kinora sizes, with its version and the model id\'s hash', () => {
    for (const [seed, width, height, frames] of [[11, 64, 64, 16], [12, 112, 64, 16], [13, 64, 112, 8], [14, 256, 256, 1]]) {
      const reading = detectWatermark(mark(randomClip(seed, width, height, frames)));
      expect(reading, `${width}×${height}×${frames}`).toMatchObject({ found: true, magicBitsMatching: 48, version: WATERMARK_VERSION, modelHash: modelIdHash(MODEL) });
    }
  });

  it('is found in the flat coloured scenes Kinora draws, and in the first half of the clip alone', () => {
    const flat = randomClip(21, 64, 64, 16, 0).map((f) => ({ ...f, data: f.data.map((v, i) => (i % 4 === 3 ? 255 : v > 128 ? 200 : 40)) }));
    const marked = mark(flat);
    expect(detectWatermark(marked).found).toBe(true);
    expect(detectWatermark(marked.slice(0, 8)).found).toBe(true);
  });

  it('is not found in unmarked clips: natural-looking, white noise, flat, or a single image', () => {
    const readings = [
      ...Array.from({ length: 20 }, (_, i) => detectWatermark(randomClip(100 + i, 64, 64, 4))),
      ...Array.from({ length: 10 }, (_, i) => detectWatermark(randomClip(200 + i, 64, 64, 2, 255))),
      detectWatermark([{ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(128) }]),
      detectWatermark(randomClip(300, 256, 256, 1)),
    ];
    for (const reading of readings) {
      expect(reading.found).toBe(false);
      expect(reading.magicBitsMatching).toBeLessThan(MIN_MAGIC_BITS_FOUND);
    }
    // By chance about half of the 48 bits match; far from the 44 needed.
    const mean = readings.reduce((sum, r) => sum + r.magicBitsMatching, 0) / readings.length;
    expect(mean).toBeGreaterThan(14);
    expect(mean).toBeLessThan(34);
  });

  it('tells models apart by the hash in its payload', () => {
    const reading = detectWatermark(randomClip(31, 64, 64, 8).map((f) => addWatermark(f, 'kinora-small-fast')));
    expect(reading.modelHash).toBe(modelIdHash('kinora-small-fast'));
    expect(reading.modelHash).not.toBe(modelIdHash(MODEL));
  });

  it('refuses a clip whose frames change size, in words', () => {
    expect(() => detectWatermark([...randomClip(41, 64, 64, 1), ...randomClip(42, 32, 32, 1)])).toThrow('All frames of a clip have one size; got 32×32 after 64×64.');
  });
});
