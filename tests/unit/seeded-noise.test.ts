// Philox4x32-10 against the published known-answer vectors (Random123's kat_vectors), and the
// normals it yields: deterministic per (seed, stream, index), and standard normal in distribution.
import { describe, expect, it } from 'vitest';
import { seededNormals } from '../../src/sampling/seeded-noise';
import { philox4x32_10 } from '../../src/gpu/reference/philox';

const hex = (a: readonly number[]) => [...a].map((v) => v.toString(16).padStart(8, '0'));

describe('philox4x32_10', () => {
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32_10([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    expect(hex(philox4x32_10([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toEqual([
      '408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd',
    ]);
    expect(hex(philox4x32_10([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toEqual([
      'd16cfe09', '94fdcceb', '5001e420', '24126ea1',
    ]);
  });
});

describe('seededNormals', () => {
  it('is a pure function of (seed, stream, index)', () => {
    const a = seededNormals(42, 1001);
    expect(seededNormals(42, 1001)).toEqual(a);
    // A longer draw starts with the shorter one: elements do not depend on the count.
    expect(seededNormals(42, 2000).subarray(0, 1001)).toEqual(a);
    expect(seededNormals(43, 1001)).not.toEqual(a);
    expect(seededNormals(42, 1001, 1)).not.toEqual(a);
  });

  it('has mean 0, variance 1 and normal tails', () => {
    const n = 200_000;
    const z = seededNormals(7, n);
    let sum = 0, sq = 0, beyond2 = 0;
    for (const v of z) {
      sum += v;
      sq += v * v;
      if (Math.abs(v) > 2) beyond2++;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01); // standard error 0.0022
    expect(Math.abs(sq / n - mean * mean - 1)).toBeLessThan(0.02);
    expect(beyond2 / n).toBeGreaterThan(0.0435); // P(|z| > 2) = 0.0455
    expect(beyond2 / n).toBeLessThan(0.0475);
    expect(z.every(Number.isFinite)).toBe(true);
  });
});
