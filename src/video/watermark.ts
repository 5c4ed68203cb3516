// An invisible watermark in the pixels, added to every frame before it is encoded. A metadata label
// or a C2PA manifest is gone after a re-encode or an upload; a pattern in the pixels is not. The
// pattern (watermark-pattern.ts) is the same in every frame and laid out relative to the frame, so
// trimming, a new frame rate and rescaling keep it, and a crop keeps most of it. It carries one
// fact: "made by Kinora" (this key). It holds no model id or other payload: at the distortion
// allowed (PSNR ≥ 40 dB) a 64 × 64 clip after CRF 30 has strength for the detection and little
// more; the C2PA manifest and the MP4's record carry the rest while the file is intact.
import type { RgbaFrame } from './rgba-frame';
import { cellAxis, GRID, watermarkTemplate } from './watermark-pattern';

/**
 * The mean square of the luma change, in levels of 255². R, G and B move together, so this is the
 * mean squared error of the marked frame: PSNR ≥ 10·log10(255² / 6.5) ≈ 40.0 dB, the issue's
 * measure of invisible (clipping at 0 and 255 only lowers the error). It is met after rounding to
 * whole levels, not before. (5.76, 40.5 dB, left the weakest CRF 30 readings just under the threshold.)
 */
export const WATERMARK_MEAN_SQUARE = 6.5;

/** The whole-level change of each pixel for frames of one size; frames of a clip share it. */
let cachedDelta: { width: number; height: number; delta: Int8Array } | undefined;

/** The pattern at a size, scaled to the largest strength whose rounded changes keep WATERMARK_MEAN_SQUARE. */
export function watermarkDelta(width: number, height: number): Int8Array {
  if (cachedDelta?.width === width && cachedDelta.height === height) return cachedDelta.delta;
  const template = watermarkTemplate();
  const columns = cellAxis(width);
  const rows = cellAxis(height);
  const shape = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      shape[y * width + x] = template[rows.cell[y] * GRID + columns.cell[x]] * rows.weight[y] * columns.weight[x];
    }
  }
  const meanSquare = (scale: number) => {
    let sum = 0;
    for (let p = 0; p < shape.length; p++) sum += Math.round(scale * shape[p]) ** 2;
    return sum / shape.length;
  };
  // Rounding makes the error a step function of the scale: bisect for the largest scale within bounds.
  let low = 0;
  let high = 32;
  for (let i = 0; i < 32; i++) {
    const mid = (low + high) / 2;
    if (meanSquare(mid) > WATERMARK_MEAN_SQUARE) high = mid;
    else low = mid;
  }
  const delta = new Int8Array(shape.length);
  for (let p = 0; p < shape.length; p++) delta[p] = Math.round(low * shape[p]);
  cachedDelta = { width, height, delta };
  return delta;
}

/** The frame with the watermark added (a new frame; alpha unchanged). */
export function addWatermark(frame: RgbaFrame): RgbaFrame {
  const delta = watermarkDelta(frame.width, frame.height);
  const data = new Uint8ClampedArray(frame.data); // clamps at 0 and 255
  for (let p = 0; p < delta.length; p++) {
    const d = delta[p];
    if (d === 0) continue;
    data[p * 4] += d;
    data[p * 4 + 1] += d;
    data[p * 4 + 2] += d;
  }
  return { width: frame.width, height: frame.height, data };
}
