// Host side of shaders/matmul.wgsl: the DiT's Linear layers, y = x·W + b, batched, with an
// optional fused GELU and an optional fused (gated) residual add into the output.
// Weights are stored [in, out] (K × N, row-major), f32 or f16; see docs/kernels.md.

import activationFns from '../../shaders/activation_fns.wgsl?raw';
import matmulWgsl from '../../shaders/matmul.wgsl?raw';
import type { KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const MATMUL_WGSL = `${activationFns}\n${matmulWgsl}`;

export const MATMUL_PARAMS = new UniformLayout('Params', [
  ['m', 'u32'],
  ['n_vec4', 'u32'],
  ['k_vec4', 'u32'],
  ['a_batch_stride', 'u32'],
  ['w_batch_stride', 'u32'],
  ['c_batch_stride', 'u32'],
  ['gate_rows_per_vector', 'u32'],
  ['gate_batch_stride', 'u32'],
  ['gate_row_stride', 'u32'],
  ['gate_offset', 'u32'],
] as const);

/** Each thread computes 4 rows × 4 columns; a workgroup WG_X·4 columns × WG_Y·4 rows. */
export const MATMUL_TILE = { wgX: 16, wgY: 4, rowsPerThread: 4, colsPerThread: 4 } as const;

/** Where the gate of a gated residual comes from: a chunk of the adaLN modulation tensor. */
export interface GateSource {
  /** Modulation rows [batch, rows, width]; e.g. [B, T, 6d] per frame or [B, N, 6d] per token. */
  mod: GpuTensor;
  /** Element offset of the gate chunk inside a modulation row (e.g. 2d for gate1). */
  offset: number;
  /** Output rows (tokens) that share one modulation row: H·W/(p_h·p_w) per frame, 1 per token. */
  rowsPerVector: number;
}

export interface MatmulOptions {
  bias?: GpuTensor;
  gelu?: boolean;
  /** Add into `out` instead of overwriting it (x += Linear(y)); with `gate`, x += gate ⊙ Linear(y). */
  accumulate?: boolean;
  gate?: GateSource;
  /** Use the general variant even if the shape fits the tile (tests use this to cover both). */
  forceBoundsChecks?: boolean;
}

/**
 * out[b] (=, +=, or += gate ⊙) x[b] · w (+ bias), GELU optional.
 * x: [batch, M, K] (or [M, K]); w: [K, N] shared or [batch, K, N]; out: [batch, M, N].
 */
export function matmul(rt: KernelRuntime, x: GpuTensor, w: GpuTensor, out: GpuTensor, opts: MatmulOptions = {}): void {
  const [batch, m, k] = x.shape.length === 2 ? [1, x.shape[0], x.shape[1]] : x.shape;
  if (x.shape.length !== 2 && x.shape.length !== 3) throw new Error(`matmul: x must be [M, K] or [batch, M, K], got [${x.shape.join(', ')}].`);
  const wBatched = w.shape.length === 3;
  const [wk, n] = wBatched ? [w.shape[1], w.shape[2]] : [w.shape[0], w.shape[1]];
  if (w.shape.length !== 2 && !wBatched) throw new Error(`matmul: w must be [K, N] or [batch, K, N], got [${w.shape.join(', ')}].`);
  if (wBatched && w.shape[0] !== batch) throw new Error(`matmul: w batch ${w.shape[0]} ≠ x batch ${batch}.`);
  if (wk !== k) throw new Error(`matmul: x has K=${k} but w is [${w.shape.join(', ')}] (weights are stored [in, out]).`);
  if (k % 4 !== 0 || n % 4 !== 0) throw new Error(`matmul: K=${k} and N=${n} must be multiples of 4 (vec4 kernel).`);
  if (x.dtype !== 'f32' || out.dtype !== 'f32') throw new Error('matmul: activations and output are f32.');
  if (out.size !== batch * m * n) throw new Error(`matmul: out has ${out.size} elements, expected ${batch}×${m}×${n}.`);
  if (opts.bias && (opts.bias.size !== n || opts.bias.dtype !== 'f32')) throw new Error(`matmul: bias must be f32 [${n}].`);
  if (opts.gate && !opts.accumulate) throw new Error('matmul: a gate only makes sense with accumulate (x += gate ⊙ y).');
  if (out.buffer === x.buffer || out.buffer === w.buffer) throw new Error('matmul: out must not alias x or w.');
  if (m === 0) return;

  let gateBatchStride = 0;
  let gateRowStride = 0;
  if (opts.gate) {
    const g = opts.gate;
    const width = g.mod.shape[g.mod.shape.length - 1];
    const rowsPerBatch = g.mod.size / width / batch;
    if (!Number.isInteger(rowsPerBatch) || width % 4 !== 0 || g.offset % 4 !== 0 || g.offset + n > width) {
      throw new Error(`matmul: gate chunk [${g.offset}, ${g.offset + n}) does not fit modulation rows of width ${width} (multiples of 4).`);
    }
    if (Math.ceil(m / g.rowsPerVector) > rowsPerBatch) throw new Error(`matmul: ${m} rows need ${Math.ceil(m / g.rowsPerVector)} gate vectors per batch; mod has ${rowsPerBatch}.`);
    gateBatchStride = (rowsPerBatch * width) / 4;
    gateRowStride = width / 4;
  }

  const { wgX, wgY } = MATMUL_TILE;
  const fitsTile = !opts.forceBoundsChecks && m % (4 * wgY) === 0 && (n / 4) % wgX === 0;
  rt.dispatch({
    label: 'matmul',
    code: MATMUL_WGSL,
    entryPoint: 'matmul_vec4_reg_tile',
    constants: {
      WG_X: wgX,
      WG_Y: wgY,
      FITS_TILE: fitsTile,
      HAS_BIAS: !!opts.bias,
      APPLY_GELU: !!opts.gelu,
      EPILOGUE: opts.gate ? 2 : opts.accumulate ? 1 : 0,
      WEIGHTS_F16: w.dtype === 'f16',
    },
    params: MATMUL_PARAMS.pack({
      m,
      n_vec4: n / 4,
      k_vec4: k / 4,
      a_batch_stride: (m * k) / 4,
      w_batch_stride: wBatched ? (k * n) / 4 : 0,
      c_batch_stride: (m * n) / 4,
      gate_rows_per_vector: opts.gate?.rowsPerVector ?? 1,
      gate_batch_stride: gateBatchStride,
      gate_row_stride: gateRowStride,
      gate_offset: (opts.gate?.offset ?? 0) / 4,
    }),
    bindings: {
      1: x.buffer,
      2: w.buffer,
      3: opts.bias?.buffer ?? rt.placeholder,
      4: opts.gate?.mod.buffer ?? rt.placeholder,
      5: out.buffer,
    },
    workgroups: [Math.ceil(n / 4 / wgX), Math.ceil(m / 4 / wgY), batch],
  });
}

/** PyTorch keeps Linear.weight as [out, in]; our kernels read [in, out]. Transposes on the CPU at load. */
export function transposeOutInToInOut<T extends Float32Array | Uint16Array>(weight: T, outFeatures: number, inFeatures: number): T {
  if (weight.length !== outFeatures * inFeatures) throw new Error(`transpose: ${weight.length} values for [${outFeatures}, ${inFeatures}].`);
  const out = new (weight.constructor as { new (n: number): T })(weight.length);
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++) out[i * outFeatures + o] = weight[o * inFeatures + i];
  }
  return out;
}
