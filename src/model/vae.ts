// The per-frame VAE (ONNX): latents [C, T, h, w] ↔ RGBA frames. The graphs work on frames as a
// batch [T, C, h, w] (decoder) and [T, 3, H, W] in [-1, 1] (encoder); we transpose at the edges.
import { OnnxModel } from './onnx-runtime';

export interface RgbaFrames {
  width: number;
  height: number;
  /** One RGBA image (width·height·4 bytes) per frame. */
  frames: Uint8ClampedArray[];
}

export class VaeDecoder {
  constructor(private readonly onnx: OnnxModel) {}

  /** latents [C, T, h, w] → T RGBA frames of 8h × 8w (the decoder's output clamped to [-1, 1]). */
  async decode(latents: Float32Array, shape: readonly [number, number, number, number]): Promise<RgbaFrames> {
    const [C, T, h, w] = shape;
    const frameSize = h * w;
    // [C, T, h, w] → [T, C, h, w]
    const perFrame = new Float32Array(latents.length);
    for (let c = 0; c < C; c++) {
      for (let f = 0; f < T; f++) perFrame.set(latents.subarray((c * T + f) * frameSize, (c * T + f + 1) * frameSize), (f * C + c) * frameSize);
    }
    const out = await this.onnx.run({ latents: { data: perFrame, dims: [T, C, h, w] } });
    const rgb = out.frames.data; // [T, 3, H, W]
    const [, , height, width] = out.frames.dims;
    const plane = height * width;
    const frames: Uint8ClampedArray[] = [];
    for (let f = 0; f < T; f++) {
      const rgba = new Uint8ClampedArray(plane * 4);
      for (let p = 0; p < plane; p++) {
        for (let ch = 0; ch < 3; ch++) rgba[p * 4 + ch] = Math.round((Math.max(-1, Math.min(1, rgb[(f * 3 + ch) * plane + p])) + 1) * 127.5);
        rgba[p * 4 + 3] = 255;
      }
      frames.push(rgba);
    }
    return { width, height, frames };
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}
