// Host side of shaders/attention.wgsl: flash attention for the DiT's spacetime self-attention
// and its cross-attention to text tokens (with a key-padding mask). Memory is O(N·d): no
// N×N score matrix exists anywhere, so long clips stay within a 128 MiB storage binding.

import attentionWgsl from '../../shaders/attention.wgsl?raw';
import type { KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const ATTENTION_WGSL = attentionWgsl;

export const ATTENTION_PARAMS = new UniformLayout('Params', [
  ['q_len', 'u32'],
  ['kv_len', 'u32'],
  ['num_heads', 'u32'],
  ['scale_log2e', 'f32'],
  ['q_token_stride', 'u32'],
  ['q_offset', 'u32'],
  ['q_batch_stride', 'u32'],
  ['k_token_stride', 'u32'],
  ['k_offset', 'u32'],
  ['k_batch_stride', 'u32'],
  ['v_token_stride', 'u32'],
  ['v_offset', 'u32'],
  ['v_batch_stride', 'u32'],
  ['o_token_stride', 'u32'],
  ['o_offset', 'u32'],
  ['o_batch_stride', 'u32'],
  ['mask_batch_stride', 'u32'],
] as const);

/** Queries per workgroup (one per thread). */
export const ATTENTION_QUERY_TILE = 64;
/** Workgroup memory for the K and V tiles together; 16 KiB is WebGPU's guaranteed minimum. */
const KV_TILE_BYTES = 16 * 1024;
const MAX_KEY_TILE = 64;

/** Keys per tile for a head size: as many as fit K+V in 16 KiB (64 for d_h 32, 32 for 64, 16 for 128). */
export function attentionKeyTile(headDim: number): number {
  return Math.min(MAX_KEY_TILE, KV_TILE_BYTES / (2 * headDim * 4));
}

/**
 * One operand of attention inside a token-major tensor [batch, tokens, width]: head h of token i
 * starts at element `offset + i·width + h·headDim`. For a fused qkv [B, N, 3d]: q at 0, k at d, v at 2d.
 */
export interface AttentionOperand {
  tensor: GpuTensor;
  offset?: number;
}

export interface FlashAttentionArgs {
  q: AttentionOperand;
  k: AttentionOperand;
  v: AttentionOperand;
  /** [batch, q_len, numHeads·headDim]. */
  out: GpuTensor;
  numHeads: number;
  headDim: number;
  /** [batch, kv_len]: 1 attends, 0 is padding. A query with no valid key gets zeros. */
  keyMask?: GpuTensor;
  /** Defaults to 1/√headDim. */
  scale?: number;
}

function describe(name: string, op: AttentionOperand, span: number): { batch: number; len: number; stride: number; offset: number } {
  const s = op.tensor.shape;
  if (s.length !== 3) throw new Error(`flashAttention: ${name} must be [batch, tokens, width], got [${s.join(', ')}].`);
  const offset = op.offset ?? 0;
  const [batch, len, width] = s;
  if (width % 4 !== 0 || offset % 4 !== 0) throw new Error(`flashAttention: ${name} width ${width} and offset ${offset} must be multiples of 4.`);
  if (offset + span > width) throw new Error(`flashAttention: ${name} heads [${offset}, ${offset + span}) do not fit a row of ${width}.`);
  if (op.tensor.dtype !== 'f32') throw new Error(`flashAttention: ${name} must be f32.`);
  return { batch, len, stride: width / 4, offset: offset / 4 };
}

/** out = softmax(q·kᵀ·scale, masked)·v for every (batch, head). */
export function flashAttention(rt: KernelRuntime, a: FlashAttentionArgs): void {
  const { numHeads, headDim } = a;
  if (headDim % 4 !== 0 || headDim < 4 || headDim > 128) throw new Error(`flashAttention: head size ${headDim} must be a multiple of 4 in [4, 128].`);
  const span = numHeads * headDim;
  const q = describe('q', a.q, span);
  const k = describe('k', a.k, span);
  const v = describe('v', a.v, span);
  if (k.batch !== q.batch || v.batch !== q.batch) throw new Error(`flashAttention: batch sizes differ (q ${q.batch}, k ${k.batch}, v ${v.batch}).`);
  if (k.len !== v.len) throw new Error(`flashAttention: k has ${k.len} tokens, v has ${v.len}.`);
  const outShape = a.out.shape;
  if (outShape.length !== 3 || outShape[0] !== q.batch || outShape[1] !== q.len || outShape[2] !== span) {
    throw new Error(`flashAttention: out must be [${q.batch}, ${q.len}, ${span}], got [${outShape.join(', ')}].`);
  }
  if (a.keyMask && a.keyMask.size !== q.batch * k.len) throw new Error(`flashAttention: key mask must be [${q.batch}, ${k.len}].`);
  for (const op of [a.q, a.k, a.v]) {
    if (op.tensor.buffer === a.out.buffer) throw new Error('flashAttention: out must not alias q, k or v.');
  }
  if (q.len === 0) return;

  const keyTile = attentionKeyTile(headDim);
  const scale = a.scale ?? 1 / Math.sqrt(headDim);
  rt.dispatch({
    label: 'attention',
    code: ATTENTION_WGSL,
    entryPoint: 'flash_attention_tile',
    constants: { HEAD_DIM_VEC4: headDim / 4, KEY_TILE: keyTile, QUERY_TILE: ATTENTION_QUERY_TILE, HAS_KEY_MASK: !!a.keyMask },
    params: ATTENTION_PARAMS.pack({
      q_len: q.len,
      kv_len: k.len,
      num_heads: numHeads,
      scale_log2e: scale * Math.LOG2E,
      q_token_stride: q.stride,
      q_offset: q.offset,
      q_batch_stride: q.len * q.stride,
      k_token_stride: k.stride,
      k_offset: k.offset,
      k_batch_stride: k.len * k.stride,
      v_token_stride: v.stride,
      v_offset: v.offset,
      v_batch_stride: v.len * v.stride,
      o_token_stride: span / 4,
      o_offset: 0,
      o_batch_stride: (q.len * span) / 4,
      mask_batch_stride: k.len,
    }),
    bindings: { 1: a.q.tensor.buffer, 2: a.k.tensor.buffer, 3: a.v.tensor.buffer, 4: a.keyMask?.buffer ?? rt.placeholder, 5: a.out.buffer },
    workgroups: [Math.ceil(q.len / ATTENTION_QUERY_TILE), numHeads, q.batch],
  });
}

/** Bytes a materialised score matrix would need: batch·heads·q_len·kv_len f32 values. */
export function materialisedScoreBytes(batch: number, heads: number, qLen: number, kvLen: number): number {
  return batch * heads * qLen * kvLen * 4;
}
