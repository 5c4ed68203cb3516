// Smooth enlargement by a whole-number factor: the browser's own high-quality resampling of a
// canvas (imageSmoothingQuality 'high'), for a copy that should look soft rather than pixelated.
// It needs OffscreenCanvas, which Web Workers and pages have (and Node has not).
import type { RgbaFrame } from './rgba-frame';

export function upscaleSmooth(frame: RgbaFrame, factor: number): RgbaFrame {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`upscale factor must be a whole number ≥ 1, got ${factor}`);
  if (factor === 1) return frame;
  const source = new OffscreenCanvas(frame.width, frame.height);
  source.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(frame.data), frame.width, frame.height), 0, 0);
  const width = frame.width * factor;
  const height = frame.height * factor;
  const target = new OffscreenCanvas(width, height);
  const context = target.getContext('2d')!;
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height);
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}
