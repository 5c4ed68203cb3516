// The VAE (ONNX): latents [C, T, h, w] ↔ RGBA frames. Format 1's graphs code each frame alone, as a
// batch: latents [T, C, h, w] ↔ frames [T, 3, H, W]. Format 2's causal spacetime graphs take one clip
// frames first: latents [1, t, C, h, w] ↔ frames [1, 1 + 4(t − 1), 3, 2·4h, 2·4w] (latent-layout.ts).
// Either way the latents are [T, C, h, w] per clip, so we transpose [C, T, h, w] at the edges, and
// frames are [-1, 1] RGB channel-first inside, RGBA bytes outside.
import { OnnxModel } from './onnx-runtime';

export interface RgbaFrames {
  width: number;
  height: number;
  /** One RGBA image (width·height·4 bytes) per frame. */
  frames: Uint8ClampedArray[];
}

export class VaeDecoder {
  /** `framesFirst`: format 2's graph, one clip [1, t, C, h, w]; otherwise format 1's batch of frames. */
  constructor(
    private readonly onnx: OnnxModel,
    private readonly framesFirst = false,
  ) {}

  /**
   * latents [C, T, h, w] → RGBA frames (the decoder's output clamped to [-1, 1]): T frames of 8h × 8w
   * (format 1), or 1 + 4(T − 1) frames of 8h × 8w (format 2, its first latent frame coding one frame).
   */
  async decode(latents: Float32Array, shape: readonly [number, number, number, number]): Promise<RgbaFrames> {
    const [C, T, h, w] = shape;
    const perFrame = transposeChannelsAndFrames(latents, C, T, h * w); // [T, C, h, w]
    const dims = this.framesFirst ? [1, T, C, h, w] : [T, C, h, w];
    const out = await this.onnx.run({ latents: { data: perFrame, dims } });
    const rgb = out.frames.data; // [F, 3, H, W] (after the leading 1 of format 2)
    const outDims = out.frames.dims.slice(this.framesFirst ? 1 : 0);
    const [F, , height, width] = outDims;
    const plane = height * width;
    const frames: Uint8ClampedArray[] = [];
    for (let f = 0; f < F; f++) {
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
  /** `framesFirst`: format 2's causal graph, one clip [1, F, 3, H, W]; otherwise format 1's batch of frames. */
  constructor(
    private readonly onnx: OnnxModel,
    private readonly framesFirst = false,
  ) {}

  /**
   * RGBA frames of width × height → latents [C, T, height/f, width/f]: one latent frame per frame
   * (format 1), or 1 + k latent frames for 1 + 4k frames, each coding its frames and those before
   * them only (format 2: give it the frames from the clip's start).
   */
  async encode(frames: readonly Uint8ClampedArray[], width: number, height: number): Promise<Float32Array> {
    const F = frames.length;
    const plane = width * height;
    // RGBA → [F, 3, H, W] in [-1, 1]
    const input = new Float32Array(F * 3 * plane);
    frames.forEach((rgba, f) => {
      if (rgba.length !== plane * 4) throw new Error(`VaeEncoder: frame ${f} has ${rgba.length} bytes, not ${width}×${height}×4.`);
      for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) input[(f * 3 + c) * plane + p] = rgba[p * 4 + c] / 127.5 - 1;
    });
    const dims = this.framesFirst ? [1, F, 3, height, width] : [F, 3, height, width];
    const out = await this.onnx.run({ frames: { data: input, dims } });
    const [T, C, h, w] = out.latents.dims.slice(this.framesFirst ? 1 : 0);
    return transposeChannelsAndFrames(out.latents.data, T, C, h * w); // [T, C, h, w] → [C, T, h, w]
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}

/** [A, B, plane] → [B, A, plane] (channels-first ⇄ frames-first latents). */
function transposeChannelsAndFrames(data: Float32Array, A: number, B: number, plane: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) out.set(data.subarray((a * B + b) * plane, (a * B + b + 1) * plane), (b * A + a) * plane);
  }
  return out;
}
