// The seam between a generation and where its DiT runs. A Denoiser turns one window's noise into
// clean latents under a prompt; a DenoiserEngine builds one from a model's files. Each engine is
// one class (wgsl-denoiser.ts: our WGSL on WebGPU; onnx-denoiser.ts: onnxruntime-web's wasm), so
// generateFrames never asks which one it has, and a third engine is a third class.
import type { PoolStats } from '../gpu/buffer-pool';
import type { SamplerRun } from '../sampling/sampler-run';
import type { ModelSource } from './model-source';
import type { ModelManifest } from './manifest';
import type { EncodedText } from './text-encoder';

/** Where a DiT can run: our WGSL kernels on WebGPU, or onnxruntime-web's wasm provider on the CPU. */
export const ENGINES = ['webgpu', 'wasm'] as const;
export type Engine = (typeof ENGINES)[number];

/** One window to denoise: the sampler's run, its noise and its prompts. */
export interface DenoiseRequest extends SamplerRun {
  seed: number;
  /** Noise stream: each window of a long video draws its own. */
  stream?: number;
  /** Start noise [C, T, h, w]; drawn from (seed, stream) when omitted (tests pass PyTorch's). */
  noise?: Float32Array;
  /** B prompts: [cond], or [cond, uncond] when guidance ≠ 1. */
  text: EncodedText;
}

export interface Denoiser {
  readonly engine: Engine;
  /** The clean latents [C, T, h, w] of the window. */
  denoise(request: DenoiseRequest): Promise<Float32Array>;
  release(): Promise<void>;
  /** The GPU buffer pool it holds between windows (an engine on the CPU holds none). */
  gpuPool?(): Readonly<PoolStats>;
}

export interface DenoiserEngine {
  readonly kind: Engine;
  /** Builds the denoiser from the model's files (it reads only `ditFiles(kind, …)`). */
  load(source: ModelSource): Promise<Denoiser>;
}

/** The one DiT file each engine runs: dit.safetensors for our WGSL, the exported dit.onnx for onnxruntime-web. */
export function ditFile(engine: Engine, manifest: Pick<ModelManifest, 'weights'>): string {
  return engine === 'webgpu' ? manifest.weights.file : 'dit.onnx';
}

/**
 * Every file an engine's DiT reads: its ditFile and, for dit.onnx, the files its weights are
 * external data in (dit.safetensors in exports that keep one copy of each weight; none in older ones).
 */
export function ditFiles(engine: Engine, manifest: Pick<ModelManifest, 'weights' | 'files'>): string[] {
  const file = ditFile(engine, manifest);
  return [file, ...(manifest.files[file]?.external_data ?? [])];
}

/** Throws unless `text` holds as many prompts as the guidance batches. */
export function checkPromptCount(text: EncodedText, batch: number, who: string): void {
  if (text.batch !== batch) throw new Error(`${who}: ${text.batch} prompts for a batch of ${batch}.`);
}
