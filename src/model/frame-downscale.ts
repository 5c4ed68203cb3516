// A given frame at the encoder's size. Format 2's decoder draws twice the size its encoder reads
// (128 px against 64 px on the short side), so a frame the user gives at the output size is
// shrunk by a box filter (the mean of each f×f block) before it is encoded; the output keeps the
// frame itself. Format 1 encodes at the output size (f = 1: the frame as it is).

/** RGBA `width`×`height` → RGBA (width/f)×(height/f), each pixel the mean of its f×f block. */
export function downscaleFrame(rgba: Uint8ClampedArray, width: number, height: number, factor: number): Uint8ClampedArray {
  if (factor === 1) return rgba;
  if (!Number.isInteger(factor) || factor < 1 || width % factor || height % factor) {
    throw new RangeError(`A ${width}×${height} frame cannot be shrunk by ${factor}.`);
  }
  if (rgba.length !== width * height * 4) throw new RangeError(`A ${width}×${height} frame has ${width * height * 4} bytes, not ${rgba.length}.`);
  const w = width / factor;
  const h = height / factor;
  const out = new Uint8ClampedArray(w * h * 4);
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += rgba[((y * factor + dy) * width + x * factor + dx) * 4 + c];
        out[(y * w + x) * 4 + c] = Math.round(sum / area);
      }
    }
  }
  return out;
}
