// Host side of shaders/rope.wgsl: 3D rotary position embedding, in place on q and k (usually
// inside the fused qkv tensor [batch, N, 3d]), per docs/model-format.md "3D rotary embedding".

import ropeWgsl from '../../shaders/rope.wgsl?raw';
import { linearWorkgroups, type KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const ROPE_PARAMS = new UniformLayout('Params', [
  ['tokens', 'u32'],
  ['grid_h', 'u32'],
  ['grid_w', 'u32'],
  ['num_heads', 'u32'],
  ['head_dim', 'u32'],
  ['pairs_t', 'u32'],
  ['pairs_h', 'u32'],
  ['pairs_w', 'u32'],
  ['token_stride', 'u32'],
  ['q_offset', 'u32'],
  ['k_offset', 'u32'],
  ['batch_stride', 'u32'],
  ['table_h_start', 'u32'],
  ['table_w_start', 'u32'],
] as const);

export interface Rope3dSplit {
  /** Dims of a head rotated by frame index, patch row, patch column (each even). */
  t: number;
  h: number;
  w: number;
}

/** Kinora's split (docs/model-format.md): d_t = H_d/4, d_h = d_w = 3·H_d/8. */
export function defaultRopeSplit(headDim: number): Rope3dSplit {
  const t = headDim / 4;
  const h = (3 * headDim) / 8;
  if (!Number.isInteger(t) || !Number.isInteger(h) || t % 2 || h % 2) throw new Error(`RoPE: head size ${headDim} has no even (H_d/4, 3H_d/8, 3H_d/8) split; pass split_t_h_w explicitly.`);
  return { t, h, w: h };
}

export interface RopeGrid {
  frames: number;
  height: number;
  width: number;
}

/**
 * The (cos θ, sin θ) table the kernel reads, computed in float64: for each axis in the order
 * (frame, patch row, patch column), for each position on it, for each pair p' of its part,
 * θ = position · base^(−2p'/d_part). Build once per grid and keep it on the GPU (ops.ts caches it).
 */
export function ropeAngleTable(grid: RopeGrid, split: Rope3dSplit, base = 10000): Float32Array {
  const parts: Array<[number, number]> = [[grid.frames, split.t / 2], [grid.height, split.h / 2], [grid.width, split.w / 2]];
  const table = new Float32Array(2 * parts.reduce((n, [positions, pairs]) => n + positions * pairs, 0));
  let i = 0;
  for (const [positions, pairs] of parts) {
    for (let pos = 0; pos < positions; pos++) {
      for (let p = 0; p < pairs; p++) {
        const angle = pos * base ** (-p / pairs);
        table[i++] = Math.cos(angle);
        table[i++] = Math.sin(angle);
      }
    }
  }
  return table;
}

export interface Rope3dArgs {
  /** Token-major [batch, N, width] holding q and k (e.g. fused qkv). */
  qk: GpuTensor;
  qOffset: number;
  kOffset: number;
  numHeads: number;
  headDim: number;
  /** Token grid: N = frames · gridH · gridW. */
  grid: RopeGrid;
  split: Rope3dSplit;
  /** ropeAngleTable(grid, split, base) uploaded as f32. */
  angleTable: GpuTensor;
}

export function rope3d(rt: KernelRuntime, a: Rope3dArgs): void {
  const { qk, numHeads, headDim, grid, split } = a;
  if (qk.buffer === a.angleTable.buffer) throw new Error('rope3d: the angle table must be its own tensor.');
  if (qk.shape.length !== 3) throw new Error(`rope3d: qk must be [batch, N, width], got [${qk.shape.join(', ')}].`);
  const [batch, tokens, width] = qk.shape;
  if (grid.frames * grid.height * grid.width !== tokens) {
    throw new Error(`rope3d: grid ${grid.frames}×${grid.height}×${grid.width} does not have ${tokens} tokens.`);
  }
  if ([split.t, split.h, split.w].some((d) => d % 2 !== 0 || d < 0) || split.t + split.h + split.w > headDim) {
    throw new Error(`rope3d: split (${split.t}, ${split.h}, ${split.w}) must be even parts summing to at most the head size ${headDim}.`);
  }
  const span = numHeads * headDim;
  for (const off of [a.qOffset, a.kOffset]) {
    if (off % 2 !== 0 || off + span > width) throw new Error(`rope3d: heads at offset ${off} do not fit a row of ${width} (offsets even).`);
  }
  if (headDim % 2 !== 0) throw new Error(`rope3d: head size ${headDim} must be even.`);
  const tableHStart = grid.frames * (split.t / 2);
  const tableWStart = tableHStart + grid.height * (split.h / 2);
  const tableEntries = tableWStart + grid.width * (split.w / 2);
  if (a.angleTable.size !== 2 * tableEntries) throw new Error(`rope3d: angle table has ${a.angleTable.size} values; this grid and split need ${2 * tableEntries} (use ropeAngleTable).`);
  const pairs = numHeads * ((split.t + split.h + split.w) / 2);
  rt.dispatch({
    label: 'rope3d',
    code: ropeWgsl,
    entryPoint: 'rope_3d_interleaved',
    params: ROPE_PARAMS.pack({
      tokens,
      grid_h: grid.height,
      grid_w: grid.width,
      num_heads: numHeads,
      head_dim: headDim,
      pairs_t: split.t / 2,
      pairs_h: split.h / 2,
      pairs_w: split.w / 2,
      token_stride: width,
      q_offset: a.qOffset,
      k_offset: a.kOffset,
      batch_stride: tokens * width,
      table_h_start: tableHStart,
      table_w_start: tableWStart,
    }),
    bindings: { 1: qk.buffer, 2: a.angleTable.buffer },
    workgroups: [...linearWorkgroups(tokens * pairs, 64), batch],
  });
}
