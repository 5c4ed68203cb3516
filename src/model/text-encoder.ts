// The text encoder (ONNX): token ids [B, L] → text tokens [B, L, d_text] and their mask [B, L].
import { OnnxModel } from './onnx-runtime';

export interface EncodedText {
  /** [B, L, d_text] */
  text: Float32Array;
  /** [B, L]: 1 where a real token is, 0 for padding. */
  mask: Float32Array;
  batch: number;
  length: number;
  width: number;
}

export class TextEncoderModel {
  constructor(private readonly onnx: OnnxModel) {}

  /** Encodes several prompts' ids (each of the model's fixed length) as one batch. */
  async encode(prompts: readonly Int32Array[]): Promise<EncodedText> {
    const length = prompts[0].length;
    const ids = new BigInt64Array(prompts.length * length);
    prompts.forEach((p, b) => p.forEach((id, i) => (ids[b * length + i] = BigInt(id))));
    const out = await this.onnx.run({ ids: { data: ids, dims: [prompts.length, length] } });
    const text = out.text;
    return { text: text.data, mask: out.text_mask.data, batch: prompts.length, length, width: text.dims[2] };
  }

  release(): Promise<void> {
    return this.onnx.release();
  }
}
