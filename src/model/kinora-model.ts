// A model ready to generate: its manifest, its condition (tokenizer and text encoder, or a scene
// table) and the networks, built from the files a ModelSource provides (the loader verifies and
// caches them; tests may hand them over directly). The text encoder and VAE run on onnxruntime-web; the DiT runs on whichever engine a generation
// asks for, built by that engine on first use and kept, one per kind (a new engine of the same
// kind, e.g. our WGSL on the fresh device after a loss, replaces the old one).
import type { PoolStats } from '../gpu/buffer-pool';
import type { Denoiser, DenoiserEngine, Engine } from './denoiser';
import { generateFrames, type GenerateFramesOptions, type GeneratedFrames } from './generate-frames';
import { latentLayout } from './latent-layout';
import type { ModelManifest } from './manifest';
import { OnnxModel } from './onnx-runtime';
import { loadCondition } from './load-condition';
import type { ModelCondition } from './model-condition';
import type { ModelSource } from './model-source';
import { VaeDecoder, VaeEncoder } from './vae';

export type { ModelSource };

export class KinoraModel {
  private readonly denoisers = new Map<Engine, { engine: DenoiserEngine; denoiser: Promise<Denoiser> }>();
  private encoder: Promise<VaeEncoder> | undefined;

  private constructor(
    private readonly source: ModelSource,
    readonly condition: ModelCondition,
    readonly vaeDecoder: VaeDecoder,
  ) {}

  static async load(source: ModelSource): Promise<KinoraModel> {
    const m = source.manifest;
    const part = async (file: string) => OnnxModel.load(file, await source.file(file));
    const [condition, vae] = await Promise.all([loadCondition(source, part), part('vae_decoder.onnx')]);
    return new KinoraModel(source, condition, new VaeDecoder(vae, latentLayout(m).causal));
  }

  get manifest(): ModelManifest {
    return this.source.manifest;
  }

  get id(): string {
    return this.manifest.id;
  }

  /** The VAE encoder (vae_encoder.onnx), loaded only when frames are given as conditions. */
  vaeEncoder(): Promise<VaeEncoder> {
    const framesFirst = latentLayout(this.manifest).causal;
    this.encoder ??= this.source.file('vae_encoder.onnx').then(async (bytes) => new VaeEncoder(await OnnxModel.load('vae_encoder.onnx', bytes), framesFirst));
    return this.encoder;
  }

  /** The DiT on `engine`, built on first use and kept until another engine of its kind asks. */
  denoiser(engine: DenoiserEngine): Promise<Denoiser> {
    const held = this.denoisers.get(engine.kind);
    if (held?.engine === engine) return held.denoiser;
    if (held) this.releaseDenoiser(engine.kind);
    const denoiser = engine.load(this.source);
    // A failed build is not kept: the next generation tries again.
    denoiser.catch(() => {
      if (this.denoisers.get(engine.kind)?.denoiser === denoiser) this.denoisers.delete(engine.kind);
    });
    this.denoisers.set(engine.kind, { engine, denoiser });
    return denoiser;
  }

  /** The GPU buffer pool of the denoiser of one kind, when it is built and holds one (long-session checks). */
  async gpuPool(kind: Engine): Promise<Readonly<PoolStats> | undefined> {
    const denoiser = await this.denoisers.get(kind)?.denoiser.catch(() => undefined);
    return denoiser?.gpuPool?.();
  }

  /** Frees the denoiser of one kind (after a device loss its buffers are gone anyway). */
  releaseDenoiser(kind: Engine): void {
    const held = this.denoisers.get(kind);
    this.denoisers.delete(kind);
    // A lost device may refuse; its memory is freed with it.
    void held?.denoiser.then((d) => d.release()).catch(() => undefined);
  }

  /** One generation on `engine` (generate-frames.ts). */
  async generate(options: Omit<GenerateFramesOptions, 'model' | 'denoiser'> & { engine: DenoiserEngine }): Promise<GeneratedFrames> {
    const { engine, ...rest } = options;
    return generateFrames({ ...rest, model: this, denoiser: await this.denoiser(engine) });
  }

  async release(): Promise<void> {
    const denoisers = [...this.denoisers.values()].map((held) => held.denoiser.then((d) => d.release()).catch(() => undefined));
    this.denoisers.clear();
    const encoder = this.encoder;
    this.encoder = undefined;
    await Promise.all([this.condition.release(), this.vaeDecoder.release(), ...denoisers, encoder?.then((e) => e.release())]);
  }
}
