// Shared helpers for kernel tests: seeded random inputs, NaN-poisoned outputs, error measures.
import type { KernelRuntime } from '../../src/gpu/kernel-runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { mulberry32 } from '../../scripts/seeded-random';

/** Deterministic uniform values in [lo, hi), so a failure reproduces. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** An output tensor filled with NaN, so any element the kernel fails to write shows up. */
export function poisoned(rt: KernelRuntime, shape: number[]): GpuTensor {
  const t = rt.tensor(shape);
  rt.fill(t, NaN);
  return t;
}

export interface ErrorStats {
  maxAbs: number;
  /** Index of the worst element (or of the first non-finite one). */
  worst: number;
  nonFinite: number;
  /** Normalised mean squared error: Σ(a−b)² / Σb². */
  nmse: number;
}

export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorStats {
  if (actual.length < expected.length) throw new Error(`compare: ${actual.length} values, expected ${expected.length}.`);
  let maxAbs = 0;
  let worst = -1;
  let nonFinite = 0;
  let se = 0;
  let sr = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(a)) {
      if (nonFinite++ === 0) worst = i;
      continue;
    }
    const d = Math.abs(a - e);
    if (d > maxAbs) {
      maxAbs = d;
      if (nonFinite === 0) worst = i;
    }
    se += d * d;
    sr += e * e;
  }
  return { maxAbs, worst, nonFinite, nmse: sr > 0 ? se / sr : se };
}
