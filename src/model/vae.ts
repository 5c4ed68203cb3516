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

export class VaeEncoder {
  constructor(private readonly onnx: OnnxModel) {}

  /** T RGBA frames of width × height → latents [C, T, height/8, width/8]. */
  async encode(frames: readonly Uint8ClampedArray[], width: number, height: number): Promise<Float32Array> {
    const T = frames.length;
    const plane = width * height;
    // RGBA → [T, 3, H, W] in [-1, 1]
    const input = new Float32Array(T * 3 * plane);
    frames.forEach((rgba, f) => {
      if (rgba.length !== plane * 4) throw new Error(`VaeEncoder: frame ${f} has ${rgba.length} bytes, not ${width}×${height}×4.`);
      for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) input[(f * 3 + c) * plane + p] = rgba[p * 4 + c] / 127.5 - 1;
    });
    const out = await this.onnx.run({ frames: { data: input, dims: [T, 3, height, width] } });
    const [, C, h, w] = out.latents.dims;
    const lat = out.latents.data; // [T, C, h, w]
    const frameSize = h * w;
    // [T, C, h, w] → [C, T, h, w]
    const result = new Float32Array(lat.length);
    for (let f = 0; f < T; f++) {
      for (let c = 0; c < C; c++) result.set(lat.subarray((f * C + c) * frameSize, (f * C + c + 1) * frameSize), (c * T + f) * frameSize);
    }
    return result;
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}
