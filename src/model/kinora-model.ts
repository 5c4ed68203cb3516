// A model ready to generate: its manifest, tokenizer and the networks, built from the files a
// ModelSource provides (the loader verifies and caches them; tests may hand them over directly).
import type { ModelManifest } from './manifest';
import { OnnxModel } from './onnx-runtime';
import { OnnxDenoiser } from './onnx-denoiser';
import { TextEncoderModel } from './text-encoder';
import { Tokenizer } from './tokenizer';
import { VaeDecoder } from './vae';

export interface ModelSource {
  manifest: ModelManifest;
  /** The verified bytes of one of the manifest's files. */
  file(name: string): Promise<Uint8Array>;
}

export class KinoraModel {
  private constructor(
    readonly manifest: ModelManifest,
    readonly tokenizer: Tokenizer,
    readonly textEncoder: TextEncoderModel,
    readonly denoiser: OnnxDenoiser,
    readonly vaeDecoder: VaeDecoder,
  ) {}

  static async load(source: ModelSource): Promise<KinoraModel> {
    const m = source.manifest;
    const tokenizer = new Tokenizer(m.tokenizer.vocab, m.tokenizer.max_tokens);
    const part = async (file: string) => OnnxModel.load(file, await source.file(file));
    const [text, dit, vae] = await Promise.all([part('text_encoder.onnx'), part('dit.onnx'), part('vae_decoder.onnx')]);
    return new KinoraModel(m, tokenizer, new TextEncoderModel(text), new OnnxDenoiser(dit), new VaeDecoder(vae));
  }

  get id(): string {
    return this.manifest.id;
  }

  async release(): Promise<void> {
    await Promise.all([this.textEncoder.release(), this.denoiser.release(), this.vaeDecoder.release()]);
  }
}
