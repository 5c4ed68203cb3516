// Host side of shaders/norm.wgsl: LayerNorm without affine, fused with adaLN modulation
// y = LN(x)·(1 + scale) + shift, where shift and scale are chunks of the modulation tensor.

import normWgsl from '../../shaders/norm.wgsl?raw';
import type { KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const NORM_PARAMS = new UniformLayout('Params', [
  ['rows', 'u32'],
  ['dim_vec4', 'u32'],
  ['eps', 'f32'],
  ['tokens_per_mod_row', 'u32'],
  ['mod_batch_stride', 'u32'],
  ['mod_row_stride', 'u32'],
  ['shift_offset', 'u32'],
  ['scale_offset', 'u32'],
] as const);

// 16 threads per row: SwiftShader's barriers cost in proportion to the workgroup's threads (64 → 16
// took 896×192 from 122 to 22 ms); on a GPU this kernel moves < 1 MB a call either way.
const NORM_WORKGROUP = 16;

/** Where shift and scale come from: chunks of a modulation tensor [batch, rows, width]. */
export interface Modulation {
  mod: GpuTensor;
  /** Element offsets of the chunks in a row: e.g. shift1 at 0, scale1 at d (of 6d). */
  shiftOffset: number;
  scaleOffset: number;
  /** Tokens sharing one modulation row: tokens per frame (per-frame), 1 (per-token), N (per-sample). */
  tokensPerRow: number;
}

/** y = LN(x) (eps 1e-6 unless given), then ·(1 + scale) + shift if `modulation`. x, y: [batch, N, d]. */
export function layerNormModulate(rt: KernelRuntime, x: GpuTensor, y: GpuTensor, modulation?: Modulation, eps = 1e-6): void {
  if (x.shape.length !== 3) throw new Error(`layerNormModulate: x must be [batch, N, d], got [${x.shape.join(', ')}].`);
  const [batch, rows, d] = x.shape;
  if (d % 4 !== 0) throw new Error(`layerNormModulate: width ${d} must be a multiple of 4.`);
  if (y.size !== x.size) throw new Error('layerNormModulate: y must have the shape of x.');
  if (y.buffer === x.buffer) throw new Error('layerNormModulate: y must not alias x (the row is read twice).');
  let modBatchStride = 0;
  let modRowStride = 0;
  if (modulation) {
    const { mod, shiftOffset, scaleOffset, tokensPerRow } = modulation;
    const width = mod.shape[mod.shape.length - 1];
    const modRows = mod.size / width / batch;
    if (!Number.isInteger(modRows) || width % 4 !== 0) throw new Error(`layerNormModulate: mod [${mod.shape.join(', ')}] must be [${batch}, rows, width%4=0].`);
    for (const off of [shiftOffset, scaleOffset]) {
      if (off % 4 !== 0 || off + d > width) throw new Error(`layerNormModulate: chunk at ${off} of width ${d} does not fit modulation rows of ${width}.`);
    }
    if (Math.ceil(rows / tokensPerRow) > modRows) throw new Error(`layerNormModulate: ${rows} tokens at ${tokensPerRow} per row need ${Math.ceil(rows / tokensPerRow)} modulation rows; mod has ${modRows}.`);
    modBatchStride = (modRows * width) / 4;
    modRowStride = width / 4;
  }
  const gridX = Math.min(rows, 65535);
  rt.dispatch({
    label: 'layerNormModulate',
    code: normWgsl,
    entryPoint: 'layer_norm_modulate',
    constants: { WG: NORM_WORKGROUP, MODULATE: !!modulation },
    params: NORM_PARAMS.pack({
      rows,
      dim_vec4: d / 4,
      eps,
      tokens_per_mod_row: modulation?.tokensPerRow ?? 1,
      mod_batch_stride: modBatchStride,
      mod_row_stride: modRowStride,
      shift_offset: (modulation?.shiftOffset ?? 0) / 4,
      scale_offset: (modulation?.scaleOffset ?? 0) / 4,
    }),
    bindings: { 1: x.buffer, 2: modulation?.mod.buffer ?? rt.placeholder, 3: y.buffer },
    workgroups: [gridX, Math.ceil(rows / 65535), batch],
  });
}
