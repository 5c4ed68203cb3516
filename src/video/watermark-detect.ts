// Finds Kinora's pixel watermark (watermark.ts, watermark-pattern.ts) in decoded frames, without
// the original: the frames of one video (any number: a trimmed clip, another frame rate) or one
// image, at any size.
//
// For each placement it tries — the frame shows the part `crop` of a marked frame's sides, centred
// but for a shift of up to 0.4 cell, every 0.4 cell first and then every 0.2 cell near the best
// crop (tools round a centred crop to even pixels: ffmpeg's crop of a 64-px 4:2:0 frame to 50 px
// starts at pixel 6, not 7) — it averages each cell of the grid in every
// frame (weighted by the cell's window), takes away the picture's own content by predicting each
// cell from two opposite neighbours — along the direction where they agree best, so that an edge
// through the cell is followed rather than smeared — and keeps, per cell, the trimmed mean of that
// residual over the frames (moving things pass through a cell in a few frames and are dropped).
// The residuals, clipped at twice their robust spread and weighed by the inverse variance of their
// neighbourhood, are correlated with the template through the same prediction (a matched filter),
// and normalised:
//
//   score = Σ q_c·t_c / √(Σ q_c²)   over the cells whose chip t_c is ±1.
//
// Why the threshold means what it says: q (weights included) depends on the frames only, never on
// the key, so for frames that were never marked the chips' signs are independent fair coins with
// respect to q, and the score is a normalised Rademacher sum: P(score ≥ T) ≤ exp(−T²/2) for each placement
// (Hoeffding), whatever the picture. Over the PLACEMENTS tried, P(false positive) ≤
// PLACEMENTS.length · exp(−T²/2).
import type { RgbaFrame } from './rgba-frame';
import { cellAxis, GRID, watermarkTemplate, type CellAxis } from './watermark-pattern';

/** "Found" at this score or more. */
export const WATERMARK_THRESHOLD = 5;

/**
 * The crops tried, as shares of a marked frame's side: 1 (the whole frame, at any size) down to
 * 0.7 in steps of 0.015 — a crop between two steps moves the outermost cells by under a quarter of
 * a cell, where the score has fallen little (measured: it halves about 0.04 away).
 */
export const CROPS: readonly number[] = Array.from({ length: 21 }, (_, i) => 1 - (i * 0.3) / 20);
/** Shifts from the centre tried along each axis first, in cells. */
export const SHIFTS: readonly number[] = [-0.4, 0, 0.4];
/**
 * The shifts tried at the best crop and its two neighbours once the coarse search has found them:
 * half a coarse step (0.2 cell) off costs a 128-px frame cropped by ffmpeg about a tenth of its
 * score, enough to drop the weakest CRF 30 and crop readings under the threshold (measured on the
 * bench's videos: found after CRF 30 93.2 % → 95.8 %, after the crop 94.3 % → 96.4 %).
 */
export const FINE_SHIFTS: readonly number[] = [-0.4, -0.2, 0, 0.2, 0.4];

/** Where a frame may lie on the marked one: the share of its sides it shows, and its shift from the centre in cells. */
export interface Placement {
  crop: number;
  dx: number;
  dy: number;
}

/**
 * Every placement the search may read: each crop with the fine shifts (the coarse ones are among
 * them). The search reads a part of them, chosen from the frames, so the best score it finds is
 * at most the best over all of these, and the bound below counts them all.
 */
export const PLACEMENTS: readonly Placement[] = CROPS.flatMap((crop) => FINE_SHIFTS.flatMap((dx) => FINE_SHIFTS.map((dy) => ({ crop, dx, dy }))));

/** The bound on a false positive per file checked: PLACEMENTS.length · exp(−T²/2) ≈ 2.0e-3 (the issue allows 5e-3). */
export const WATERMARK_FALSE_POSITIVE_BOUND = PLACEMENTS.length * Math.exp(-(WATERMARK_THRESHOLD ** 2) / 2);

/** Frames are area-averaged down to at most this many pixels a side before reading: 6 px a cell is plenty. */
const MAX_WORKING_SIDE = 6 * GRID;
/** Fewer cells with a chip than this in view (a tiny picture) reads as score 0. */
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
  /** The best score over the placements tried; about N(0, 1) for a picture without the mark. */
  score: number;
  threshold: number;
  /** The crop where the score was best (1: the whole marked frame). */
  crop: number;
  /** How many frames were read. */
  frames: number;
}

export interface LumaImage {
  width: number;
  height: number;
  luma: Float32Array;
}

/** For `from` samples shrunk to `to` (≤ from): each output sample's share of each input sample, as exact areas. */
function areaWeights(from: number, to: number): { first: Int32Array; weights: Float32Array[] } {
  const scale = from / to;
  const first = new Int32Array(to);
  const weights: Float32Array[] = [];
  for (let i = 0; i < to; i++) {
    const start = i * scale;
    const end = (i + 1) * scale;
    first[i] = Math.floor(start);
    const w = new Float32Array(Math.ceil(end) - first[i]);
    for (let j = 0; j < w.length; j++) w[j] = (Math.min(end, first[i] + j + 1) - Math.max(start, first[i] + j)) / scale;
    weights.push(w);
  }
  return { first, weights };
}

/** A frame's luma, area-averaged so that no side exceeds MAX_WORKING_SIDE (the whole frame kept, aspect kept). */
export function workingLuma(frame: RgbaFrame): LumaImage {
  const { data } = frame;
  const full = new Float32Array(frame.width * frame.height);
  for (let p = 0; p < full.length; p++) full[p] = 0.299 * data[p * 4] + 0.587 * data[p * 4 + 1] + 0.114 * data[p * 4 + 2];
  const scale = Math.min(1, MAX_WORKING_SIDE / Math.max(frame.width, frame.height));
  if (scale === 1) return { width: frame.width, height: frame.height, luma: full };
  const width = Math.max(1, Math.round(frame.width * scale));
  const height = Math.max(1, Math.round(frame.height * scale));
  const columns = areaWeights(frame.width, width);
  const rows = areaWeights(frame.height, height);
  const narrow = new Float32Array(width * frame.height);
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < width; x++) {
      const w = columns.weights[x];
      let sum = 0;
      for (let j = 0; j < w.length; j++) sum += w[j] * full[y * frame.width + columns.first[x] + j];
      narrow[y * width + x] = sum;
    }
  }
  const luma = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const w = rows.weights[y];
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let j = 0; j < w.length; j++) sum += w[j] * narrow[(rows.first[y] + j) * width + x];
      luma[y * width + x] = sum;
    }
  }
  return { width, height, luma };
}

/** Each frame's rows summed into cell columns under one column axis: frames × height × GRID, and each cell column's weight. */
function columnSums(images: LumaImage[], columns: CellAxis): { sums: Float64Array[]; weight: Float64Array } {
  const { width, height } = images[0];
  const weight = new Float64Array(GRID);
  for (let x = 0; x < width; x++) if (columns.weight[x] > 0) weight[columns.cell[x]] += columns.weight[x];
  const sums = images.map((image) => {
    const out = new Float64Array(height * GRID);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const w = columns.weight[x];
        if (w > 0) out[y * GRID + columns.cell[x]] += w * image.luma[y * width + x];
      }
    }
    return out;
  });
  return { sums, weight };
}

/** Each frame's weighted cell means from its column sums under one row axis; NaN for a cell less than half in view. */
function cellMeans(columns: { sums: Float64Array[]; weight: Float64Array }, rows: CellAxis, height: number): Float64Array[] {
  const rowWeight = new Float64Array(GRID);
  for (let y = 0; y < height; y++) if (rows.weight[y] > 0) rowWeight[rows.cell[y]] += rows.weight[y];
  let fullCell = 0;
  for (let r = 0; r < GRID; r++) for (let c = 0; c < GRID; c++) fullCell = Math.max(fullCell, rowWeight[r] * columns.weight[c]);
  return columns.sums.map((sums) => {
    const means = new Float64Array(GRID * GRID);
    for (let y = 0; y < height; y++) {
      const w = rows.weight[y];
      if (w === 0) continue;
      const at = rows.cell[y] * GRID;
      for (let c = 0; c < GRID; c++) means[at + c] += w * sums[y * GRID + c];
    }
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const w = rowWeight[r] * columns.weight[c];
        means[r * GRID + c] = fullCell > 0 && w >= 0.5 * fullCell ? means[r * GRID + c] / w : NaN;
      }
    }
    return means;
  });
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

/** The median size of the residuals of a cell's (up to 8) neighbours; 0 when none has one. */
function localSpread(residuals: Float64Array, cell: number): number {
  const row = Math.floor(cell / GRID);
  const column = cell % GRID;
  const sizes: number[] = [];
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const y = row + dy;
      const x = column + dx;
      if ((dx === 0 && dy === 0) || x < 0 || y < 0 || x >= GRID || y >= GRID) continue;
      const r = residuals[y * GRID + x];
      if (!Number.isNaN(r)) sizes.push(Math.abs(r));
    }
  }
  return sizes.length > 0 ? median(sizes) : 0;
}

/** The mean of the middle half of the values (all of them when there are fewer than 4). */
function trimmedMean(values: Float64Array): number {
  values.sort();
  const drop = values.length >> 2;
  let sum = 0;
  for (let i = drop; i < values.length - drop; i++) sum += values[i];
  return sum / (values.length - 2 * drop);
}

/** The score from each frame's cell means under one placement (see the file's head). */
function score(means: Float64Array[], template: Int8Array): number {
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
  const clipped = residual.map((r) => (limit > 0 ? Math.max(-limit, Math.min(limit, r)) : r)); // NaN stays NaN
  // Never below a tenth of a level: a picture whose residuals are mostly exactly 0 (a flat synthetic one) divides by something.
  const spreadAll = Math.max(limit / (RESIDUAL_CLIP * 1.4826), 0.1);
  // Each residual weighs by the inverse of its neighbourhood's variance (never more than a quiet
  // cell's): a cell among edges or texture says less, as a matched filter in uneven noise wants.
  // The matched filter: each weighted residual spreads back onto the cell and its two predictors as
  // the prediction mixed them, so the chips of the predictors count too.
  const matched = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    if (Number.isNaN(residual[c])) continue;
    const r = clipped[c] / Math.max(localSpread(clipped, c), spreadAll) ** 2;
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

/** The score of working-size luma frames at one placement (for measurements; detectWatermark tries them all). */
export function scoreAt(images: LumaImage[], at: Placement): number {
  const { width, height } = images[0];
  return score(cellMeans(columnSums(images, cellAxis(width, at.crop, at.dx)), cellAxis(height, at.crop, at.dy), height), watermarkTemplate());
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
  const { width, height } = images[0];
  const template = watermarkTemplate();
  let best = none;
  // Placements share work: the column sums of one crop and horizontal shift serve every vertical shift.
  const search = (crop: number, shifts: readonly number[], skip: (dx: number, dy: number) => boolean) => {
    const rows = shifts.map((dy) => cellAxis(height, crop, dy));
    for (const dx of shifts) {
      const columns = columnSums(images, cellAxis(width, crop, dx));
      shifts.forEach((dy, j) => {
        if (skip(dx, dy)) return;
        const s = score(cellMeans(columns, rows[j], height), template);
        if (s > best.score) best = { ...none, score: s, crop };
      });
    }
  };
  // Coarse, then fine: the fine shifts at the best crop and its neighbours, the coarse ones skipped there.
  for (const crop of CROPS) search(crop, SHIFTS, () => false);
  const at = CROPS.indexOf(best.crop);
  const coarse = (dx: number, dy: number) => SHIFTS.includes(dx) && SHIFTS.includes(dy);
  for (const crop of CROPS.slice(Math.max(0, at - 1), at + 2)) search(crop, FINE_SHIFTS, coarse);
  return { ...best, found: best.score >= WATERMARK_THRESHOLD };
}
