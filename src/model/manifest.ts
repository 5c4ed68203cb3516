// The shape of a model's manifest.json, as models/export.py writes it (docs/model-format.md):
// the architecture the runtime needs to run the model, its files, tokenizer, preview map and sampler.

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
    };
    text_encoder: { width: number; depth: number; heads: number; max_tokens: number };
    vae: { downsample: number; latent_channels: number; frame_range: [number, number] };
  };
  video: { fps: number; max_frames: number; sizes: Record<Aspect, { width: number; height: number }>; side_multiple: number };
  files: Record<string, { size: number; sha256: string }>;
  weights: { file: string; dtype: string; tensors: TensorEntry[] };
  goldens?: { file: string; tensors: TensorEntry[]; [key: string]: unknown };
  tokenizer: { vocab: string[]; pad_id: number; max_tokens: number };
  preview: { matrix: number[][]; bias: number[] };
  sampler: { kind: string; shift: number; default_steps: number; default_guidance: number };
  training?: Record<string, unknown>;
  eval?: Record<string, unknown>;
}

/** The latent grid [C, T, h, w] for a clip of `frames` frames at `aspect`. */
export function latentShape(m: ModelManifest, aspect: Aspect, frames: number): [number, number, number, number] {
  const size = m.video.sizes[aspect];
  if (!size) throw new Error(`The model "${m.id}" has no size for aspect ${aspect}.`);
  const f = m.architecture.vae.downsample;
  return [m.architecture.dit.latent_channels, frames, size.height / f, size.width / f];
}
