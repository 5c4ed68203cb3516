// The pixel watermark on frames: invisible (PSNR ≥ 40 dB), found in marked frames of every Kinora
// size, still found after a half-size round trip, a centre crop to 80 %, trimming, repeated frames
// and H.264 at CRF 30 (ffmpeg), and not found in unmarked frames (the threshold's false-positive
// bound: watermark-detect.ts). docs/provenance-measurements.md measures the same on real videos.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RgbaFrame } from '../../src/video/rgba-frame';
import { addWatermark, WATERMARK_MEAN_SQUARE, watermarkDelta } from '../../src/video/watermark';
import { CROPS, detectWatermark, FINE_SHIFTS, PLACEMENTS, SHIFTS, WATERMARK_FALSE_POSITIVE_BOUND, WATERMARK_THRESHOLD } from '../../src/video/watermark-detect';
import { GRID, TEMPLATE_DENSITY, watermarkTemplate } from '../../src/video/watermark-pattern';
import { mulberry32 } from '../../scripts/seeded-random';

/**
 * A clip of natural-looking random pictures: a few random colour waves that drift from frame to
 * frame, plus sensor-like noise of ±`noise` levels. `noise` 255 with no waves is white noise.
 */
function randomClip(seed: number, width: number, height: number, frames: number, noise = 6): RgbaFrame[] {
  const next = mulberry32(seed);
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

/**
 * A scene like the ones Kinora draws: a sky darkening upwards, a striped ground, and a soft disc
 * of `colour` moving across (`seed` sets its path).
 */
function renderedClip(seed: number, width: number, height: number, frames: number, colour = [220, 40, 40]): RgbaFrame[] {
  const next = mulberry32(seed);
  const [x0, y0, vx, vy] = [next() * width, next() * height * 0.7, (next() - 0.5) * width * 0.1, (next() - 0.5) * height * 0.05];
  const radius = Math.min(width, height) * (0.12 + next() * 0.1);
  const ground = Math.round(height * 0.85);
  return Array.from({ length: frames }, (_, t) => {
    const data = new Uint8ClampedArray(width * height * 4);
    const cx = x0 + vx * t;
    const cy = y0 + vy * t;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 4;
        let pixel = y >= ground ? (Math.floor(x / 8) % 2 ? [40, 150, 55] : [50, 170, 60]) : [90 + (y / height) * 90, 150 + (y / height) * 60, 235];
        const cover = Math.min(1, Math.max(0, radius - Math.hypot(x + 0.5 - cx, y + 0.5 - cy) + 0.5));
        pixel = pixel.map((v, c) => v * (1 - cover) + colour[c] * cover);
        data.set([...pixel, 255], p);
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

/** Each output pixel the mean of a 2 × 2 block (as a scaler's area filter does). */
function halve(frame: RgbaFrame): RgbaFrame {
  const width = frame.width >> 1;
  const height = frame.height >> 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dx: number, dy: number) => frame.data[((2 * y + dy) * frame.width + 2 * x + dx) * 4 + c];
        data[(y * width + x) * 4 + c] = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4;
      }
    }
  }
  return { width, height, data };
}

/** Twice the size, bilinear, pixel centres aligned (as a scaler's bilinear filter does). */
function double(frame: RgbaFrame): RgbaFrame {
  const width = frame.width * 2;
  const height = frame.height * 2;
  const data = new Uint8ClampedArray(width * height * 4);
  const clampX = (x: number) => Math.min(frame.width - 1, Math.max(0, x));
  const clampY = (y: number) => Math.min(frame.height - 1, Math.max(0, y));
  for (let y = 0; y < height; y++) {
    const sy = (y + 0.5) / 2 - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = (x + 0.5) / 2 - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      for (let c = 0; c < 4; c++) {
        const at = (xx: number, yy: number) => frame.data[(clampY(yy) * frame.width + clampX(xx)) * 4 + c];
        const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
        const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
        data[(y * width + x) * 4 + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { width, height, data };
}

/** The centred `share` of each side, rounded down to even sides as encoders want. */
function centreCrop(frame: RgbaFrame, share: number): RgbaFrame {
  const width = Math.floor((frame.width * share) / 2) * 2;
  const height = Math.floor((frame.height * share) / 2) * 2;
  const left = (frame.width - width) >> 1;
  const top = (frame.height - height) >> 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) data.set(frame.data.subarray(((top + y) * frame.width + left) * 4, ((top + y) * frame.width + left + width) * 4), y * width * 4);
  return { width, height, data };
}

/** The frames through ffmpeg's libx264 at `crf` and back (yuv420p, as shared videos are). */
function h264RoundTrip(frames: RgbaFrame[], crf: number): RgbaFrame[] {
  const dir = mkdtempSync(join(tmpdir(), 'kinora-watermark-'));
  try {
    const { width, height } = frames[0];
    writeFileSync(join(dir, 'in.rgba'), Buffer.concat(frames.map((f) => Buffer.from(f.data))));
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', '8', '-i', join(dir, 'in.rgba'), '-c:v', 'libx264', '-crf', String(crf), '-pix_fmt', 'yuv420p', '-y', join(dir, 'clip.mp4')]);
    execFileSync('ffmpeg', ['-v', 'error', '-i', join(dir, 'clip.mp4'), '-f', 'rawvideo', '-pix_fmt', 'rgba', '-y', join(dir, 'out.rgba')]);
    const bytes = readFileSync(join(dir, 'out.rgba'));
    const size = width * height * 4;
    return Array.from({ length: bytes.length / size }, (_, i) => ({ width, height, data: new Uint8ClampedArray(bytes.subarray(i * size, (i + 1) * size)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mark = (clip: RgbaFrame[]) => clip.map((frame) => addWatermark(frame));

describe('the pixel watermark', () => {
  it('is invisible by the measure asked: PSNR at least 40 dB at every Kinora size, alpha untouched', () => {
    for (const [seed, width, height, noise] of [[1, 64, 64, 6], [2, 112, 64, 0], [3, 64, 112, 255], [4, 128, 128, 6], [5, 224, 128, 0], [6, 8, 8, 0]]) {
      const clip = randomClip(seed, width, height, 2, noise);
      const marked = mark(clip);
      expect(psnr(clip, marked), `${width}×${height}`).toBeGreaterThanOrEqual(40);
      expect(marked[0].data.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
    }
    // The bound holds before clipping, so it holds for any picture: the pattern's own mean square.
    for (const [width, height] of [[64, 64], [112, 64], [64, 112], [1920, 1080]]) {
      const delta = watermarkDelta(width, height);
      expect(delta.reduce((sum, d) => sum + d * d, 0) / delta.length).toBeLessThanOrEqual(WATERMARK_MEAN_SQUARE);
    }
  });

  it('has the template it says: ±1 in about TEMPLATE_DENSITY of the cells, balanced signs', () => {
    const template = watermarkTemplate();
    const chips = template.filter((t) => t !== 0).length;
    expect(template.length).toBe(GRID * GRID);
    expect(chips / template.length).toBeGreaterThan(TEMPLATE_DENSITY - 0.06);
    expect(chips / template.length).toBeLessThan(TEMPLATE_DENSITY + 0.06);
    expect(Math.abs(template.reduce((sum, t) => sum + t, 0))).toBeLessThan(3 * Math.sqrt(chips));
  });

  it('is found in marked clips of every Kinora size, and in one marked image', () => {
    for (const [seed, width, height, frames] of [[11, 64, 64, 16], [12, 112, 64, 16], [13, 64, 112, 8], [14, 128, 128, 4], [15, 256, 256, 1]]) {
      const reading = detectWatermark(mark(renderedClip(seed, width, height, frames)));
      expect(reading, `${width}×${height}×${frames}`).toMatchObject({ found: true, frames });
      expect(reading.score).toBeGreaterThan(2 * WATERMARK_THRESHOLD);
      // The score is broad across neighbouring crops (that is what lets 46 of them cover 0.7 to 1).
      expect(reading.crop).toBeGreaterThan(0.98);
    }
    expect(detectWatermark(mark(randomClip(16, 64, 64, 16))).found).toBe(true);
  });

  it('is found after the frames are enlarged by whole factors before encoding (nearest-upscale.ts) or resized', () => {
    const marked = mark(renderedClip(21, 64, 64, 8));
    const enlarged = marked.map((f) => double(double(f))); // 256 × 256, like a tiny frame's enlargement
    const reading = detectWatermark(enlarged);
    expect(reading.found).toBe(true);
    expect(reading.crop).toBeGreaterThan(0.98);
  });

  // Tolerances: each transformed clip keeps at least this share of the untouched clip's score.
  it('survives a half-size round trip (score kept ≥ 60 %) and a centre crop to 80 % (≥ 45 %, crop read within 0.03)', () => {
    for (const [seed, width, height] of [[31, 64, 64], [32, 112, 64], [33, 64, 112]]) {
      const marked = mark(renderedClip(seed, width, height, 16));
      const untouched = detectWatermark(marked).score;
      const halved = detectWatermark(marked.map((f) => double(halve(f))));
      expect(halved.found, `${width}×${height} half`).toBe(true);
      expect(halved.score).toBeGreaterThanOrEqual(0.6 * untouched);
      const cropped = detectWatermark(marked.map((f) => centreCrop(f, 0.8)));
      expect(cropped.found, `${width}×${height} crop`).toBe(true);
      expect(cropped.score).toBeGreaterThanOrEqual(0.45 * untouched);
      const share = (Math.floor((width * 0.8) / 2) * 2) / width; // even sides: 50/64, 88/112
      expect(Math.abs(cropped.crop - share)).toBeLessThan(0.03);
    }
  });

  it('is found in the first second alone and with every frame shown three times (8 → 24 fps)', () => {
    const marked = mark(renderedClip(41, 64, 64, 16));
    expect(detectWatermark(marked.slice(0, 8)).found).toBe(true);
    expect(detectWatermark(marked.flatMap((f) => [f, f, f])).found).toBe(true);
  });

  it('survives H.264 at CRF 30 (ffmpeg libx264) on a rendered scene', () => {
    const clip = renderedClip(51, 64, 64, 16);
    const reading = detectWatermark(h264RoundTrip(mark(clip), 30));
    expect(reading.found).toBe(true);
    expect(detectWatermark(h264RoundTrip(clip, 30)).found).toBe(false);
  });

  it('is not found in unmarked clips: natural-looking, rendered, white noise, flat, or a single image', () => {
    const readings = [
      ...Array.from({ length: 12 }, (_, i) => detectWatermark(randomClip(100 + i, 64, 64, 4))),
      ...Array.from({ length: 8 }, (_, i) => detectWatermark(renderedClip(150 + i, i % 2 ? 112 : 64, 64, 8))),
      ...Array.from({ length: 6 }, (_, i) => detectWatermark(randomClip(200 + i, 64, 64, 2, 255))),
      detectWatermark([{ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(128) }]),
      detectWatermark(randomClip(300, 256, 256, 1)),
    ];
    for (const reading of readings) {
      expect(reading.found).toBe(false);
      expect(reading.score).toBeLessThan(WATERMARK_THRESHOLD);
    }
    // The best of the placements read in a picture without the mark: a few standard deviations at most.
    const mean = readings.reduce((sum, r) => sum + r.score, 0) / readings.length;
    expect(mean).toBeLessThan(3);
  });

  it('states its false-positive bound: PLACEMENTS.length · exp(−T²/2)', () => {
    expect(CROPS.length).toBe(21);
    expect(CROPS[0]).toBe(1);
    expect(CROPS[CROPS.length - 1]).toBeCloseTo(0.7, 10);
    expect(PLACEMENTS.length).toBe(CROPS.length * FINE_SHIFTS.length ** 2);
    // The coarse shifts are among the fine ones, so every placement the search reads is counted.
    expect(SHIFTS.every((s) => FINE_SHIFTS.includes(s))).toBe(true);
    expect(WATERMARK_FALSE_POSITIVE_BOUND).toBeCloseTo(PLACEMENTS.length * Math.exp(-(WATERMARK_THRESHOLD ** 2) / 2), 12);
    // Under 0.25 % per file checked (the issue asks for at most 0.5 %).
    expect(WATERMARK_FALSE_POSITIVE_BOUND).toBeLessThan(2.5e-3);
  });

  it('reads no frames as not found, and refuses a clip whose frames change size, in words', () => {
    expect(detectWatermark([])).toMatchObject({ found: false, score: 0, frames: 0 });
    expect(() => detectWatermark([...randomClip(41, 64, 64, 1), ...randomClip(42, 32, 32, 1)])).toThrow('All frames of a clip have one size; got 32×32 after 64×64.');
  });
});
