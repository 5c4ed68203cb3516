// matmul (shaders/matmul.wgsl) against the float64 CPU reference.
// Tolerance: |gpu − ref| ≤ 1e-5·√K·max(1, |ref|) for f32 (each product is exact to ~6e-8 and
// errors grow like √K); f16 weights are compared with a reference fed the same f16-rounded
// weights, so only accumulation error remains and the same bound holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHalfArray, toHalfArray } from '../../src/gpu/half-float';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { matmul, transposeOutInToInOut, type MatmulOptions } from '../../src/gpu/matmul';
import { matmulReference } from '../../src/gpu/reference/matmul';
import { compare, poisoned, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

interface Case {
  batch: number;
  m: number;
  k: number;
  n: number;
  bias?: boolean;
  gelu?: boolean;
  residual?: boolean;
  gate?: { rowsPerVector: number };
  f16?: boolean;
  wBatched?: boolean;
  forceBoundsChecks?: boolean;
}

async function check(c: Case, seed: number): Promise<void> {
  const { batch, m, k, n } = c;
  const xs = randomArray(batch * m * k, seed);
  let ws = randomArray((c.wBatched ? batch : 1) * k * n, seed + 1, -0.5, 0.5);
  const bs = randomArray(n, seed + 2);
  const x = rt.upload(xs, [batch, m, k]);
  const wShape = c.wBatched ? [batch, k, n] : [k, n];
  let w;
  if (c.f16) {
    const bits = toHalfArray(ws);
    ws = fromHalfArray(bits);
    w = rt.uploadF16(bits, wShape);
  } else {
    w = rt.upload(ws, wShape);
  }
  const bias = c.bias ? rt.upload(bs, [n]) : undefined;
  let out;
  let residual: Float32Array | undefined;
  if (c.residual) {
    residual = randomArray(batch * m * n, seed + 3);
    out = rt.upload(residual, [batch, m, n]);
  } else {
    out = poisoned(rt, [batch, m, n]);
  }
  const modRows = c.gate ? Math.ceil(m / c.gate.rowsPerVector) : 0;
  const modWidth = 3 * n;
  const modData = randomArray(batch * modRows * modWidth, seed + 4);
  const mod = c.gate ? rt.upload(modData, [batch, modRows, modWidth]) : undefined;
  const opts: MatmulOptions = {
    bias,
    gelu: c.gelu,
    accumulate: c.residual,
    gate: mod && c.gate ? { mod, offset: 2 * n, rowsPerVector: c.gate.rowsPerVector } : undefined,
    forceBoundsChecks: c.forceBoundsChecks,
  };
  matmul(rt, x, w, out, opts);
  const got = await rt.read(out);
  const want = matmulReference({
    x: xs, w: ws, batch, m, k, n, wBatched: c.wBatched,
    bias: c.bias ? bs : undefined,
    gelu: c.gelu,
    residual,
    gate: c.gate ? { mod: modData, width: modWidth, rowsPerBatch: modRows, offset: 2 * n, rowsPerVector: c.gate.rowsPerVector } : undefined,
  });
  const tol = 1e-5 * Math.sqrt(k);
  let bad = 0;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) bad++;
  }
  const stats = compare(got, want);
  expect({ bad, nonFinite: stats.nonFinite, maxAbs: stats.maxAbs }).toEqual({ bad: 0, nonFinite: 0, maxAbs: stats.maxAbs });
  for (const t of [x, w, bias, out, mod]) t?.release();
}

describe('matmul_vec4_reg_tile', () => {
  it('fits the tile (no bounds checks): 32×64 · 64×64 with bias', async () => {
    await check({ batch: 1, m: 32, k: 64, n: 64, bias: true }, 1);
  });
  it('same shape through the bounds-checked variant', async () => {
    await check({ batch: 1, m: 32, k: 64, n: 64, bias: true, forceBoundsChecks: true }, 2);
  });
  it('shapes that are not tile multiples: M=37, N=20, K=12, batch 3', async () => {
    await check({ batch: 3, m: 37, k: 12, n: 20, bias: true }, 3);
  });
  it('M smaller than one thread tile: M=1, M=3', async () => {
    await check({ batch: 1, m: 1, k: 8, n: 4 }, 4);
    await check({ batch: 2, m: 3, k: 16, n: 68 }, 5);
  });
  it('fused GELU', async () => {
    await check({ batch: 2, m: 19, k: 24, n: 36, bias: true, gelu: true }, 6);
  });
  it('residual accumulate: out += x·W + b', async () => {
    await check({ batch: 2, m: 21, k: 16, n: 12, bias: true, residual: true }, 7);
  });
  it('gated residual with a per-frame gate (5 rows per gate vector) and per-token gate', async () => {
    await check({ batch: 2, m: 23, k: 16, n: 16, bias: true, residual: true, gate: { rowsPerVector: 5 } }, 8);
    await check({ batch: 1, m: 9, k: 8, n: 8, residual: true, gate: { rowsPerVector: 1 } }, 9);
  });
  it('per-batch weights [batch, K, N]', async () => {
    await check({ batch: 3, m: 10, k: 8, n: 12, wBatched: true }, 10);
  });
  it('f16 weights read through unpack2x16float, odd number of vec4 groups', async () => {
    await check({ batch: 2, m: 17, k: 20, n: 12, bias: true, f16: true }, 11);
    await check({ batch: 1, m: 16, k: 64, n: 64, f16: true, wBatched: true }, 12);
  });
  it('a DiT-sized layer: 64 tokens × 128 → 512 with GELU', async () => {
    await check({ batch: 1, m: 64, k: 128, n: 512, bias: true, gelu: true }, 13);
  });
  it('rejects shapes it cannot run, with a message that says why', () => {
    const x = rt.tensor([1, 4, 6]);
    const w = rt.tensor([6, 8]);
    const out = rt.tensor([1, 4, 8]);
    expect(() => matmul(rt, x, w, out)).toThrow(/multiples of 4/);
    const w2 = rt.tensor([8, 8]);
    expect(() => matmul(rt, x, w2, out)).toThrow(/stored \[in, out\]/);
    for (const t of [x, w, out, w2]) t.release();
  });
  it('transposes PyTorch [out, in] weights to [in, out]', () => {
    const t = transposeOutInToInOut(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3);
    expect([...t]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
