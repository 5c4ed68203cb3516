// A model ready to generate: its manifest, tokenizer and the networks, built from the files a
// ModelSource provides (the loader verifies and caches them; tests may hand them over directly).
// The text encoder and VAE run on onnxruntime-web; the DiT runs on whichever backend a generation
// asks for, built on first use: our WGSL graph on a GPUDevice (rebuilt if the device changes,
// e.g. after a loss), or the exported dit.onnx on onnxruntime-web's wasm provider.
import { KernelOps } from '../gpu/ops';
import { KernelRuntime } from '../gpu/kernel-runtime';
import { DitGraph } from './dit-graph';
import type { ModelManifest } from './manifest';
import { OnnxModel } from './onnx-runtime';
import { OnnxDenoiser } from './onnx-denoiser';
import { TextEncoderModel } from './text-encoder';
import { Tokenizer } from './tokenizer';
import { VaeDecoder, VaeEncoder } from './vae';

export interface ModelSource {
  manifest: ModelManifest;
  /** The verified bytes of one of the manifest's files. */
  file(name: string): Promise<Uint8Array>;
}

export class KinoraModel {
  private onnxDit: Promise<OnnxDenoiser> | undefined;
  private gpuDit: { device: GPUDevice; graph: DitGraph } | undefined;
  private encoder: Promise<VaeEncoder> | undefined;

  private constructor(
    private readonly source: ModelSource,
    readonly tokenizer: Tokenizer,
    readonly textEncoder: TextEncoderModel,
    readonly vaeDecoder: VaeDecoder,
  ) {}

  static async load(source: ModelSource): Promise<KinoraModel> {
    const m = source.manifest;
    const tokenizer = new Tokenizer(m.tokenizer.vocab, m.tokenizer.max_tokens);
    const part = async (file: string) => OnnxModel.load(file, await source.file(file));
    const [text, vae] = await Promise.all([part('text_encoder.onnx'), part('vae_decoder.onnx')]);
    return new KinoraModel(source, tokenizer, new TextEncoderModel(text), new VaeDecoder(vae));
  }

  get manifest(): ModelManifest {
    return this.source.manifest;
  }

  get id(): string {
    return this.manifest.id;
  }

  /** The VAE encoder (vae_encoder.onnx), loaded only when frames are given as conditions. */
  vaeEncoder(): Promise<VaeEncoder> {
    this.encoder ??= this.source.file('vae_encoder.onnx').then(async (bytes) => new VaeEncoder(await OnnxModel.load('vae_encoder.onnx', bytes)));
    return this.encoder;
  }

  /** The DiT on onnxruntime-web's wasm provider (dit.onnx). */
  onnxDenoiser(): Promise<OnnxDenoiser> {
    this.onnxDit ??= this.source.file('dit.onnx').then(async (bytes) => new OnnxDenoiser(await OnnxModel.load('dit.onnx', bytes)));
    return this.onnxDit;
  }

  /** The DiT as our WGSL graph on `device` (dit.safetensors), rebuilt when the device changes. */
  async wgslDit(device: GPUDevice): Promise<DitGraph> {
    if (this.gpuDit?.device === device) return this.gpuDit.graph;
    this.releaseGpu();
    const weights = await this.source.file(this.manifest.weights.file);
    const graph = DitGraph.fromSafetensors(new KernelOps(new KernelRuntime(device)), this.manifest, weights as Uint8Array<ArrayBuffer>);
    this.gpuDit = { device, graph };
    return graph;
  }

  /** Frees the GPU side (after a device loss its buffers are gone anyway). */
  releaseGpu(): void {
    try {
      this.gpuDit?.graph.release();
    } catch {
      // A lost device may refuse; its memory is freed with it.
    }
    this.gpuDit = undefined;
  }

  async release(): Promise<void> {
    this.releaseGpu();
    const onnx = this.onnxDit;
    const encoder = this.encoder;
    this.onnxDit = undefined;
    this.encoder = undefined;
    await Promise.all([this.textEncoder.release(), this.vaeDecoder.release(), onnx?.then((d) => d.release()), encoder?.then((e) => e.release())]);
  }
}
