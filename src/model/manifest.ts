// The shape of a model's manifest.json, as models/export.py writes it (docs/model-format.md):
// the architecture the runtime needs to run the model, its files, tokenizer, preview map and sampler.

import type { SceneConditionFacts } from './scene-condition';

export type Aspect = '1:1' | '16:9' | '9:16';
export const ASPECTS: readonly Aspect[] = ['1:1', '16:9', '9:16'];

export interface TensorEntry {
  name: string;
  dtype: 'F16' | 'F32' | 'I64' | 'BOOL' | string;
  shape: number[];
  offsets: [number, number];
}

export interface ModelManifest {
  id: string;
  format_version: number;
  description?: string;
  created?: string;
  architecture: {
    dit: {
      latent_channels: number;
      width: number;
      depth: number;
      heads: number;
      head_dim: number;
      mlp_ratio: number;
      patch: [number, number, number];
      time_embedding: { freq_dim: number; input_scale: number; max_period: number; order: string };
      rope: { base: number; split_t_h_w: [number, number, number]; pairs: string };
      layer_norm_eps: number;
      text_width: number;
      mask_bias: number;
      /** Format 2 may have it: the masked mean of the text tokens through text_pool.mlp, added to every frame's timestep embedding. */
      pooled_text?: Record<string, string>;
    };
    /** Formats 1 and 2; a scene model (format 3) has none. */
    text_encoder?: { width: number; depth: number; heads: number; max_tokens: number };
    /**
     * Format 1: a per-frame VAE (no `kind`; `downsample` 8). Format 2: `kind` "causal_spacetime",
     * 1 + time_factor·k frames ↔ 1 + k latent frames, the decoder drawing `upsample`× the encoder's size.
     */
    vae: { kind?: 'causal_spacetime'; downsample: number; time_factor?: number; upsample?: number; latent_channels: number; frame_range: [number, number] };
  };
  video: {
    fps: number;
    max_frames: number;
    /** The output (decoder) sizes. */
    sizes: Record<Aspect, { width: number; height: number }>;
    /** Format 2: the encoder's input sizes (sizes / upsample); format 1 encodes at `sizes`. */
    encoder_sizes?: Record<Aspect, { width: number; height: number }>;
    side_multiple: number;
  };
  /** `external_data`: the files an ONNX graph reads its weights from (dit.onnx → dit.safetensors). */
  /** `stored_in`: the model whose site folder holds the bytes (one copy of a file two models share). */
  files: Record<string, { size: number; sha256: string; external_data?: string[]; stored_in?: string }>;
  weights: { file: string; dtype: string; tensors: TensorEntry[] };
  goldens?: { file: string; tensors: TensorEntry[]; [key: string]: unknown };
  /** Formats 1 and 2: how a caption becomes the text encoder's ids. */
  tokenizer?: { vocab: string[]; pad_id: number; max_tokens: number };
  /** Format 3: the DiT reads the scene as tokens from a table (scene-condition.ts), not a caption. */
  condition?: SceneConditionFacts;
  preview: { matrix: number[][]; bias: number[] };
  sampler: { kind: string; shift: number; default_steps: number; default_guidance: number };
  training?: Record<string, unknown>;
  eval?: Record<string, unknown>;
}

/** The latent grid [C, T, h, w] of `latentFrames` latent frames at `aspect` (latent-layout.ts says how many a clip has). */
export function latentShape(m: ModelManifest, aspect: Aspect, latentFrames: number): [number, number, number, number] {
  const size = (m.video.encoder_sizes ?? m.video.sizes)[aspect];
  if (!size) throw new Error(`The model "${m.id}" has no size for aspect ${aspect}.`);
  const f = m.architecture.vae.downsample;
  return [m.architecture.dit.latent_channels, latentFrames, size.height / f, size.width / f];
}

/** The length of the DiT's text input: a scene model's token count, else the tokenizer's. */
export function conditionTokens(m: Pick<ModelManifest, 'condition' | 'architecture'>): number {
  const tokens = m.condition?.tokens ?? m.architecture.text_encoder?.max_tokens;
  if (tokens === undefined) throw new Error('The model says neither its scene tokens nor its text length.');
  return tokens;
}
