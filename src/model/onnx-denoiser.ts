// The DiT through onnxruntime-web (the exported dit.onnx): the independent oracle for our WGSL
// graph, and the fast path on machines whose only WebGPU adapter is a CPU emulation.
import type { EncodedText } from './text-encoder';
import { OnnxModel } from './onnx-runtime';

export class OnnxDenoiser {
  readonly name = 'onnxruntime-web (wasm)';

  constructor(private readonly onnx: OnnxModel) {}

  /**
   * v [B, C, T, h, w] for x [B, C, T, h, w] and per-frame t [B, T]. `text` holds B prompts
   * in the same order as the batch (conditional first, then unconditional).
   */
  async velocity(x: Float32Array, t: Float32Array, shape: readonly [number, number, number, number], batch: number, text: EncodedText): Promise<Float32Array> {
    if (text.batch !== batch) throw new Error(`OnnxDenoiser: ${text.batch} prompts for a batch of ${batch}.`);
    const [C, T, h, w] = shape;
    const out = await this.onnx.run({
      x: { data: x, dims: [batch, C, T, h, w] },
      t: { data: t, dims: [batch, T] },
      text: { data: text.text, dims: [batch, text.length, text.width] },
      text_mask: { data: text.mask, dims: [batch, text.length] },
    });
    return out.v.data;
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}
