// The sampler against closed forms: for a single target x0 the ideal rectified-flow velocity is
// v = (x − x0)/t, and Euler on it lands exactly on x0 for any schedule; guidance then lands on
// x0_u + g·(x0_c − x0_u). Given frames must stay bit-identical to their clean latents.
import { describe, expect, it } from 'vitest';
import { sampleFlow } from '../../src/sampling/flow-sampler';
import { seededNormals } from '../../src/sampling/seeded-noise';

const shape = [2, 3, 2, 2] as const; // C, T, h, w
const n = 2 * 3 * 2 * 2;
const T = 3;

/** A perfect model for one target per batch half: v = (x − x0_b)/t, per frame t. */
function idealVelocity(targets: Float32Array[]) {
  return async (x: Float32Array, t: Float32Array, batch: number) => {
    const v = new Float32Array(batch * n);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < n; i++) {
        const tf = t[b * T + (Math.floor(i / 4) % T)];
        v[b * n + i] = tf === 0 ? 0 : (x[b * n + i] - targets[b][i]) / tf;
      }
    }
    return v;
  };
}

function maxAbsDiff(a: Float32Array, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('sampleFlow', () => {
  const x0 = seededNormals(1, n);
  const x0u = seededNormals(2, n);
  const noise = seededNormals(3, n);

  it('lands on the target of an ideal velocity field, for any schedule', async () => {
    for (const [steps, shift] of [[1, 1], [4, 1], [8, 3]]) {
      const out = await sampleFlow({ noise, shape, steps, shift, guidance: 1, velocity: idealVelocity([x0]) });
      expect(maxAbsDiff(out, x0)).toBeLessThan(1e-5);
    }
  });

  it('combines guidance as v_u + g·(v_c − v_u), batching cond and uncond', async () => {
    const g = 3;
    const batches: number[] = [];
    const velocity = idealVelocity([x0, x0u]);
    const out = await sampleFlow({
      noise, shape, steps: 4, shift: 1, guidance: g,
      velocity: (x, t, b) => (batches.push(b), velocity(x, t, b)),
    });
    const want = x0u.map((u, i) => u + g * (x0[i] - u));
    expect(maxAbsDiff(out, want)).toBeLessThan(1e-4);
    expect(batches).toEqual([2, 2, 2, 2]);
  });

  it('keeps given frames clean, feeds them t = 0, and reports a clean estimate per step', async () => {
    const cond = seededNormals(9, n);
    const seenT: number[][] = [];
    const estimates: Float32Array[] = [];
    const velocity = idealVelocity([x0]);
    const out = await sampleFlow({
      noise, shape, steps: 3, shift: 1, guidance: 1,
      conditionLatents: cond, conditionFrames: [true, false, false],
      velocity: (x, t, b) => (seenT.push([...t]), velocity(x, t, b)),
      onStep: (_, est) => void estimates.push(Float32Array.from(est)),
    });
    for (const t of seenT) expect(t[0]).toBe(0);
    expect(seenT[0].slice(1)).toEqual([1, 1]);
    for (let c = 0; c < 2; c++) {
      const frame0 = c * 12; // [c, t=0, :, :]
      expect(out.subarray(frame0, frame0 + 4)).toEqual(cond.subarray(frame0, frame0 + 4));
      // The other frames reach the target.
      expect(maxAbsDiff(out.subarray(frame0 + 4, frame0 + 12), x0.subarray(frame0 + 4, frame0 + 12))).toBeLessThan(1e-5);
    }
    // With an ideal model the estimate is already the target at the first step.
    expect(maxAbsDiff(estimates[0].subarray(4, 12), x0.subarray(4, 12))).toBeLessThan(1e-5);
  });

  it('stops within one step when cancelled', async () => {
    const ctrl = new AbortController();
    let calls = 0;
    const run = sampleFlow({
      noise, shape, steps: 8, shift: 1, guidance: 1, signal: ctrl.signal,
      velocity: async (x, t, b) => {
        if (++calls === 2) ctrl.abort();
        return idealVelocity([x0])(x, t, b);
      },
    });
    await expect(run).rejects.toThrow();
    expect(calls).toBe(2);
  });

  it('lets a cancel that arrives as a message (a macrotask) through, even when steps resolve at once', async () => {
    const ctrl = new AbortController();
    let calls = 0;
    setTimeout(() => ctrl.abort(), 0);
    const run = sampleFlow({
      noise, shape, steps: 1000, shift: 1, guidance: 1, signal: ctrl.signal,
      velocity: async (x, t, b) => (calls++, idealVelocity([x0])(x, t, b)),
    });
    await expect(run).rejects.toThrow();
    expect(calls).toBeLessThan(5);
  });

  it('edits: starts from the clean latents noised to t = strength, and runs from there to 0', async () => {
    const seenT: number[] = [];
    const source = seededNormals(11, n);
    const velocity = idealVelocity([x0]);
    const out = await sampleFlow({
      noise, shape, steps: 4, shift: 1, guidance: 1, edit: { latents: source, strength: 0.5 },
      velocity: (x, t, b) => {
        seenT.push(t[0]);
        // The first step sees x_t = 0.5·source + 0.5·noise.
        if (seenT.length === 1) expect(maxAbsDiff(x, source.map((c, i) => 0.5 * c + 0.5 * noise[i]))).toBeLessThan(1e-6);
        return velocity(x, t, b);
      },
    });
    expect(seenT).toEqual([0.5, 0.375, 0.25, 0.125]);
    expect(maxAbsDiff(out, x0)).toBeLessThan(1e-5);
  });

  it('rejects mismatched shapes with a clear message', async () => {
    await expect(sampleFlow({ noise: new Float32Array(5), shape, steps: 1, shift: 1, guidance: 1, velocity: idealVelocity([x0]) })).rejects.toThrow(/noise has 5 values/);
  });
});
