// Host side of shaders/timestep.wgsl: the sinusoidal timestep features of DiT's TimestepEmbedder,
// one row per (sample, frame) since frames can sit at different noise levels.

import trigFns from '../../shaders/trig_fns.wgsl?raw';
import timestepWgsl from '../../shaders/timestep.wgsl?raw';
import type { KernelRuntime } from './kernel-runtime';
import { timestepFrequencies } from './reference/timestep';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const TIMESTEP_WGSL = `${trigFns}\n${timestepWgsl}`;

export const TIMESTEP_PARAMS = new UniformLayout('Params', [
  ['count', 'u32'],
  ['half_dim', 'u32'],
  ['time_scale', 'f32'],
] as const);

export interface TimestepEmbeddingOptions {
  /** u = timeScale·t; Kinora's t ∈ [0, 1] is scaled by 1000 (docs/model-format.md). */
  timeScale?: number;
}

/** The frequency table the kernel reads: [dim/2] f32, rounded as PyTorch rounds it. Upload once. */
export function timestepFrequencyTable(dim: number, maxPeriod = 10000): Float32Array {
  return timestepFrequencies(dim / 2, maxPeriod);
}

/**
 * t: any shape with `count` elements (e.g. [B, T]); emb: [count, dim] (dim even, cos half first);
 * frequencies: timestepFrequencyTable(dim) on the GPU.
 */
export function timestepEmbedding(rt: KernelRuntime, t: GpuTensor, frequencies: GpuTensor, emb: GpuTensor, opts: TimestepEmbeddingOptions = {}): void {
  const count = t.size;
  const dim = emb.shape[emb.shape.length - 1];
  if (dim % 2 !== 0 || emb.size !== count * dim) throw new Error(`timestepEmbedding: emb must be [${count}, even dim], got [${emb.shape.join(', ')}].`);
  const half = dim / 2;
  if (frequencies.size !== half) throw new Error(`timestepEmbedding: frequency table has ${frequencies.size} values, expected ${half}.`);
  rt.dispatch({
    label: 'timestepEmbedding',
    code: TIMESTEP_WGSL,
    entryPoint: 'timestep_embedding',
    params: TIMESTEP_PARAMS.pack({
      count,
      half_dim: half,
      time_scale: opts.timeScale ?? 1000,
    }),
    bindings: { 1: t.buffer, 2: frequencies.buffer, 3: emb.buffer },
    workgroups: [Math.ceil(half / 64), Math.min(count, 65535), Math.ceil(count / 65535)],
  });
}
