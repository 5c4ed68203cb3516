// Integer nearest-neighbour upscaling: each source pixel becomes a factor × factor block.
// Used when an encoder refuses a tiny frame size: a whole-number factor keeps every pixel's
// colour exact and the picture unblurred, so the video shows exactly what the model made.
import type { RgbaFrame } from './rgba-frame';

export function upscaleNearest(frame: RgbaFrame, factor: number): RgbaFrame {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`upscale factor must be a whole number ≥ 1, got ${factor}`);
  if (factor === 1) return frame;
  const { width, height, data } = frame;
  const outWidth = width * factor;
  const outRowBytes = outWidth * 4;
  const out = new Uint8ClampedArray(outRowBytes * height * factor);
  for (let y = 0; y < height; y++) {
    const firstOutRow = y * factor * outRowBytes;
    // Build one upscaled row, then copy it down factor − 1 times.
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 4;
      for (let k = 0; k < factor; k++) {
        const dst = firstOutRow + (x * factor + k) * 4;
        out[dst] = data[src];
        out[dst + 1] = data[src + 1];
        out[dst + 2] = data[src + 2];
        out[dst + 3] = data[src + 3];
      }
    }
    for (let k = 1; k < factor; k++) out.copyWithin(firstOutRow + k * outRowBytes, firstOutRow, firstOutRow + outRowBytes);
  }
  return { width: outWidth, height: height * factor, data: out };
}
