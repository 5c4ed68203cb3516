// LayerNorm + adaLN modulate (shaders/norm.wgsl) against the float64 reference.
// Normalised values are O(1) and modulation in [−1, 1]: |gpu − ref| ≤ 1e-5 for zero-mean rows.
// A row with mean μ ≫ σ loses about |μ|/σ·2⁻²⁴·√d to the f32 sums; the mean-100 case allows 1e-4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { layerNormModulate } from '../../src/gpu/norm';
import { layerNormModulateReference } from '../../src/gpu/reference/norm';
import { compare, poisoned, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

async function check(batch: number, rows: number, dim: number, mod: { tokensPerRow: number } | undefined, seed: number, offsetMean = 0, tolerance = 1e-5) {
  const xs = randomArray(batch * rows * dim, seed, -2 + offsetMean, 2 + offsetMean);
  const x = rt.upload(xs, [batch, rows, dim]);
  const y = poisoned(rt, [batch, rows, dim]);
  const width = 6 * dim;
  const modRows = mod ? Math.ceil(rows / mod.tokensPerRow) : 0;
  const modData = randomArray(batch * modRows * width, seed + 1);
  const modT = mod ? rt.upload(modData, [batch, modRows, width]) : undefined;
  // shift2 and scale2: chunks 3 and 4 of (shift1, scale1, gate1, shift2, scale2, gate2).
  layerNormModulate(rt, x, y, modT && mod ? { mod: modT, shiftOffset: 3 * dim, scaleOffset: 4 * dim, tokensPerRow: mod.tokensPerRow } : undefined);
  const got = await rt.read(y);
  const want = layerNormModulateReference({
    x: xs, batch, rows, dim,
    modulation: mod ? { mod: modData, width, rowsPerBatch: modRows, shiftOffset: 3 * dim, scaleOffset: 4 * dim, tokensPerRow: mod.tokensPerRow } : undefined,
  });
  const s = compare(got, want);
  expect(s.nonFinite).toBe(0);
  expect(s.maxAbs).toBeLessThanOrEqual(tolerance);
  for (const t of [x, y, modT]) t?.release();
}

describe('layer_norm_modulate', () => {
  it('plain LayerNorm (cross-attention input), width 64, 9 tokens', async () => {
    await check(1, 9, 64, undefined, 1);
  });
  it('per-frame modulation: 3 frames of 6 tokens, width 96, batch 2', async () => {
    await check(2, 18, 96, { tokensPerRow: 6 }, 2);
  });
  it('per-token modulation, width 20 (fewer vec4s than threads), 7 tokens', async () => {
    await check(1, 7, 20, { tokensPerRow: 1 }, 3);
  });
  it('width 384 (several vec4s per thread) and a large mean (two-pass variance)', async () => {
    await check(1, 5, 384, { tokensPerRow: 5 }, 4, 100, 1e-4);
  });
});
