// The shape of Kinora's pixel watermark, shared by the marker (watermark.ts) and the detector
// (watermark-detect.ts): a grid of GRID × GRID cells laid over the frame in RELATIVE coordinates,
// so that a frame scaled to any size (or enlarged by nearest-upscale.ts before encoding) still
// carries the same grid, and a crop only shifts and stretches it (the detector tries crops).
//
// Each cell holds one chip of a ternary template taken from a public key: +1 (luma up), −1 (luma
// down) or 0 (unchanged; a share 1 − TEMPLATE_DENSITY of the cells). Cells are coarse on purpose —
// 24 across, so 2.7 px on a 64-px frame — because H.264 at CRF 30 and a half-size round trip keep
// little of finer detail, and sparse, stronger chips survive a codec's dead zone better than dense,
// weaker ones at the same distortion (docs/provenance-measurements.md has the measurements behind
// these numbers). Within a cell the chip has a flat top and soft edges (a Tukey window), so the
// pattern has no hard steps for an encoder to spend bits on.

/** The public key: anyone can recompute the template and check a file, as with a label. */
export const WATERMARK_KEY = 'kinora-watermark-v2';
/** Cells per side of the frame, whatever its size and aspect. */
export const GRID = 24;
/** The share of cells that carry a chip (the others stay unchanged). */
export const TEMPLATE_DENSITY = 0.6;
/** The soft edge of a cell, as a share of its side on each end (a Tukey window). */
const CELL_TAPER = 0.25;

/** FNV-1a over the key's bytes: the seed every cell's hash starts from. */
function keySeed(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** A well-mixed 32-bit hash of the seed and a cell (lowbias32's finaliser), so chips look independent. */
function cellHash(seed: number, column: number, row: number): number {
  let h = (seed ^ Math.imul(column + 1, 0x9e3779b1) ^ Math.imul(row + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

let cachedTemplate: Int8Array | undefined;

/** The chip of every cell, row by row (GRID × GRID values of −1, 0 or +1). */
export function watermarkTemplate(): Int8Array {
  if (cachedTemplate) return cachedTemplate;
  const seed = keySeed(WATERMARK_KEY);
  const chips = new Int8Array(GRID * GRID);
  for (let row = 0; row < GRID; row++) {
    for (let column = 0; column < GRID; column++) {
      const h = cellHash(seed, column, row);
      // The low 16 bits choose whether the cell carries a chip, the top bit its sign: independent.
      chips[row * GRID + column] = (h & 0xffff) / 0x10000 >= TEMPLATE_DENSITY ? 0 : h & 0x80000000 ? 1 : -1;
    }
  }
  cachedTemplate = chips;
  return chips;
}

/** The weight of a point at `f` (0 to 1) across its cell: 1 in the middle, falling smoothly to 0 at the edges. */
export function cellWeight(f: number): number {
  if (f < CELL_TAPER) return Math.sin((Math.PI / 2) * (f / CELL_TAPER)) ** 2;
  if (f > 1 - CELL_TAPER) return Math.sin((Math.PI / 2) * ((1 - f) / CELL_TAPER)) ** 2;
  return 1;
}

/** For each of `pixels` positions along one side: the cell it falls in (−1 or GRID when outside) and its weight there. */
export interface CellAxis {
  cell: Int32Array;
  weight: Float32Array;
}

/**
 * The cells along one side of a frame of `pixels` pixels that shows the part `crop` (0 to 1] of a
 * marked frame's side, centred but for `shift` cells: pixel i's centre lies at
 * (1 − crop)/2 + crop·(i + ½)/pixels of the marked frame, plus shift/GRID. crop 1 and shift 0 is
 * the frame as marked, at any scale.
 */
export function cellAxis(pixels: number, crop = 1, shift = 0): CellAxis {
  const cell = new Int32Array(pixels);
  const weight = new Float32Array(pixels);
  const start = (1 - crop) / 2;
  for (let i = 0; i < pixels; i++) {
    const u = (start + (crop * (i + 0.5)) / pixels) * GRID + shift;
    const c = Math.floor(u);
    cell[i] = c < 0 ? -1 : c >= GRID ? GRID : c;
    weight[i] = c < 0 || c >= GRID ? 0 : cellWeight(u - c);
  }
  return { cell, weight };
}
