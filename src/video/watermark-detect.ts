// Finds Kinora's pixel watermark (watermark.ts, watermark-pattern.ts) in decoded frames, without
// the original: the frames of one video (any number: a trimmed clip, another frame rate) or one
// image, at any size.
//
// For each crop it tries (the frame shows the centred part `crop` of a marked frame's side; 1 for a
// frame as marked, at any scale), it averages each cell of the grid in every frame (weighted by the
// cell's window), takes away the picture's own content by predicting each cell from two opposite
// neighbours — along the direction where they agree best, so that an edge through the cell is
// followed rather than smeared — and keeps, per cell, the trimmed mean of that residual over the
// frames (moving things pass through a cell in a few frames and are dropped). The residuals, clipped
// at twice their robust spread, are correlated with the template through the same prediction (a
// matched filter), and normalised:
//
//   score = Σ q_c·t_c / √(Σ q_c²)   over the cells whose chip t_c is ±1.
//
// Why the threshold means what it says: q depends on the frames only, never on the key, so for
// frames that were never marked the chips' signs are independent fair coins with respect to q, and
// the score is a normalised Rademacher sum: P(score ≥ T) ≤ exp(−T²/2) for each crop (Hoeffding),
// whatever the picture. Over the CROPS tried, P(false positive) ≤ CROPS.length · exp(−T²/2).
import type { RgbaFrame } from './rgba-frame';
import { cellAxis, GRID, watermarkTemplate } from './watermark-pattern';

/** "Found" at this score or more. */
export const WATERMARK_THRESHOLD = 5;

/**
 * The crops tried, as shares of a marked frame's side: 1 (the whole frame, at any size) down to
 * 0.7, in steps of 0.3/45 ≈ 0.0067 — small enough that a crop between two steps moves the outer
 * cells by under a tenth of a cell, where the score has hardly fallen (it halves about 0.04 away).
 */
export const CROPS: readonly number[] = Array.from({ length: 46 }, (_, i) => 1 - (i * 0.3) / 45);

/** The bound on a false positive per file checked: CROPS.length · exp(−T²/2) ≈ 1.7e-4. */
export const WATERMARK_FALSE_POSITIVE_BOUND = CROPS.length * Math.exp(-(WATERMARK_THRESHOLD ** 2) / 2);

/** Frames are box-averaged down to at most this many pixels a side before reading: cells stay ≥ 10 px. */
const MAX_WORKING_SIDE = 256;
/** Fewer cells with a chip than this in view (a tiny or heavily cropped picture) reads as score 0. */
const MIN_CELLS = 32;
/** Residuals beyond this many robust standard deviations are clipped: edges and texture weigh less. */
const RESIDUAL_CLIP = 2;
const NEIGHBOUR_DIRECTIONS = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
] as const;

export interface WatermarkReading {
  /** score ≥ threshold. */
  found: boolean;
  /** The best score over the crops tried; about N(0, 1) for a picture without the mark. */
  score: number;
  threshold: number;
  /** The crop where the score was best (1: the whole marked frame). */
  crop: number;
  /** How many frames were read. */
  frames: number;
}

interface LumaImage {
  width: number;
  height: number;
  luma: Float32Array;
}

/** A frame's luma, box-averaged by a whole factor so that no side exceeds MAX_WORKING_SIDE. */
function workingLuma(frame: RgbaFrame): LumaImage {
  const factor = Math.max(1, Math.ceil(Math.max(frame.width, frame.height) / MAX_WORKING_SIDE));
  const width = Math.max(1, Math.floor(frame.width / factor));
  const height = Math.max(1, Math.floor(frame.height / factor));
  const luma = new Float32Array(width * height);
  const { data } = frame;
  for (let y = 0; y < height * factor; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < width * factor; x++) {
      const p = (y * frame.width + x) * 4;
      luma[row + Math.floor(x / factor)] += 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
    }
  }
  const area = factor * factor;
  for (let i = 0; i < luma.length; i++) luma[i] /= area;
  return { width, height, luma };
}

/** Each frame's weighted cell means under one crop; NaN for a cell less than half in view. */
function cellMeans(images: LumaImage[], crop: number): Float64Array[] {
  const { width, height } = images[0];
  const columns = cellAxis(width, crop);
  const rows = cellAxis(height, crop);
  const weights = new Float64Array(GRID * GRID);
  const sums = images.map(() => new Float64Array(GRID * GRID));
  for (let y = 0; y < height; y++) {
    const row = rows.cell[y];
    const wy = rows.weight[y];
    if (wy === 0) continue;
    for (let x = 0; x < width; x++) {
      const w = wy * columns.weight[x];
      if (w === 0) continue;
      const c = row * GRID + columns.cell[x];
      weights[c] += w;
      const p = y * width + x;
      for (let k = 0; k < images.length; k++) sums[k][c] += w * images[k].luma[p];
    }
  }
  let fullCell = 0;
  for (const w of weights) fullCell = Math.max(fullCell, w);
  for (const s of sums) {
    for (let c = 0; c < s.length; c++) s[c] = weights[c] >= 0.5 * fullCell && fullCell > 0 ? s[c] / weights[c] : NaN;
  }
  return sums;
}

/** For each cell, the two opposite neighbours that agree best on the frames' mean (−1 when none): its predictors. */
function choosePredictors(mean: Float64Array): Int32Array {
  const pairs = new Int32Array(2 * GRID * GRID).fill(-1);
  for (let row = 0; row < GRID; row++) {
    for (let column = 0; column < GRID; column++) {
      const c = row * GRID + column;
      if (Number.isNaN(mean[c])) continue;
      let best = Infinity;
      for (const [dx, dy] of NEIGHBOUR_DIRECTIONS) {
        const x1 = column + dx, y1 = row + dy, x2 = column - dx, y2 = row - dy;
        if (x1 < 0 || x2 < 0 || x1 >= GRID || x2 >= GRID || y1 < 0 || y2 < 0 || y1 >= GRID || y2 >= GRID) continue;
        const a = y1 * GRID + x1;
        const b = y2 * GRID + x2;
        const disagreement = Math.abs(mean[a] - mean[b]);
        if (disagreement < best) {
          best = disagreement;
          pairs[2 * c] = a;
          pairs[2 * c + 1] = b;
        }
      }
    }
  }
  return pairs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = sorted.length >> 1;
  return sorted.length % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** The mean of the middle half of the values (all of them when there are fewer than 4). */
function trimmedMean(values: Float64Array): number {
  values.sort();
  const drop = values.length >> 2;
  let sum = 0;
  for (let i = drop; i < values.length - drop; i++) sum += values[i];
  return sum / (values.length - 2 * drop);
}

/** The score under one crop (see the file's head). */
function scoreAtCrop(images: LumaImage[], crop: number, template: Int8Array): number {
  const means = cellMeans(images, crop);
  const cells = GRID * GRID;
  const mean = new Float64Array(cells);
  for (const m of means) for (let c = 0; c < cells; c++) mean[c] += m[c] / means.length; // NaN stays NaN
  const pairs = choosePredictors(mean);
  const residual = new Float64Array(cells).fill(NaN);
  const overFrames = new Float64Array(means.length);
  const spread: number[] = [];
  for (let c = 0; c < cells; c++) {
    const a = pairs[2 * c];
    const b = pairs[2 * c + 1];
    if (a < 0) continue;
    for (let k = 0; k < means.length; k++) overFrames[k] = means[k][c] - (means[k][a] + means[k][b]) / 2;
    residual[c] = trimmedMean(overFrames);
    spread.push(Math.abs(residual[c]));
  }
  if (spread.length < MIN_CELLS) return 0;
  const limit = RESIDUAL_CLIP * 1.4826 * median(spread);
  // The matched filter: each residual spreads back onto the cell and its two predictors as the
  // prediction mixed them, so the chips of the predictors count too.
  const matched = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    if (Number.isNaN(residual[c])) continue;
    const r = limit > 0 ? Math.max(-limit, Math.min(limit, residual[c])) : residual[c];
    matched[c] += r;
    matched[pairs[2 * c]] -= r / 2;
    matched[pairs[2 * c + 1]] -= r / 2;
  }
  let correlation = 0;
  let energy = 0;
  let chips = 0;
  for (let c = 0; c < cells; c++) {
    if (template[c] === 0 || matched[c] === 0) continue;
    correlation += matched[c] * template[c];
    energy += matched[c] * matched[c];
    chips++;
  }
  return chips >= MIN_CELLS && energy > 0 ? correlation / Math.sqrt(energy) : 0;
}

/** Reads the watermark from the decoded frames of one video (all of one size), or from one image. */
export function detectWatermark(frames: Iterable<RgbaFrame>): WatermarkReading {
  const images: LumaImage[] = [];
  let size: string | undefined;
  for (const frame of frames) {
    const frameSize = `${frame.width}×${frame.height}`;
    if (size !== undefined && size !== frameSize) throw new RangeError(`All frames of a clip have one size; got ${frameSize} after ${size}.`);
    size = frameSize;
    images.push(workingLuma(frame));
  }
  const none: WatermarkReading = { found: false, score: 0, threshold: WATERMARK_THRESHOLD, crop: 1, frames: images.length };
  if (images.length === 0) return none;
  const template = watermarkTemplate();
  let best = none;
  for (const crop of CROPS) {
    const score = scoreAtCrop(images, crop, template);
    if (score > best.score) best = { ...none, score, crop };
  }
  return { ...best, found: best.score >= WATERMARK_THRESHOLD };
}
