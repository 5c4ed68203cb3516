// SiLU, GELU(tanh) (shaders/activation.wgsl) and the timestep embedding (shaders/timestep.wgsl)
// against float64 references. Activations: |gpu − ref| ≤ 1e-6·max(1, |ref|). Timestep features:
// the argument is the same f32 value on both sides (as PyTorch rounds it), and the kernel's own
// range-reduced cos/sin are good to ~1e-7: |gpu − ref| ≤ 1e-6.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activation } from '../../src/gpu/activation';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { geluTanh, silu } from '../../src/gpu/reference/activation';
import { timestepEmbeddingReference } from '../../src/gpu/reference/timestep';
import { timestepEmbedding, timestepFrequencyTable } from '../../src/gpu/timestep-embedding';
import { compare, poisoned, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

describe('activations', () => {
  for (const [name, fn] of [['silu', silu], ['gelu', geluTanh]] as const) {
    it(`${name} over 1028 values in [−12, 12] (large magnitudes included)`, async () => {
      const xs = randomArray(1028, 7, -12, 12);
      xs[0] = 40;
      xs[1] = -40;
      const x = rt.upload(xs, [1028]);
      const y = poisoned(rt, [1028]);
      activation(rt, name, x, y);
      const got = await rt.read(y);
      let bad = 0;
      xs.forEach((v, i) => {
        const want = fn(v);
        if (!(Math.abs(got[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)))) bad++;
      });
      expect(bad).toBe(0);
      x.release();
      y.release();
    });
  }
});

describe('timestep_embedding', () => {
  it('256 features for per-frame t (2 samples × 3 frames, t ∈ [0, 1] including 0 and 1)', async () => {
    const ts = new Float32Array([0, 0.5, 0.9, 1, 0.25, 0.013]);
    const t = rt.upload(ts, [2, 3]);
    const emb = poisoned(rt, [6, 256]);
    const freqs = rt.upload(timestepFrequencyTable(256), [128]);
    timestepEmbedding(rt, t, freqs, emb);
    const got = await rt.read(emb);
    const s = compare(got, timestepEmbeddingReference(ts, 256));
    expect(s.nonFinite).toBe(0);
    expect(s.maxAbs).toBeLessThanOrEqual(1e-6);
    // t = 0: cos half is 1, sin half 0.
    expect(got.subarray(0, 128).every((v) => v === 1)).toBe(true);
    t.release();
    emb.release();
    freqs.release();
  });
});
