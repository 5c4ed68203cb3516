// Seeded noise (shaders/noise.wgsl): Philox4x32-10 checked against Random123's known-answer
// vectors, then the GPU against the CPU reference: the same seed gives the same noise up to the
// last ulps of log/cos/sin (|gpu − ref| ≤ 1e-5; a single flipped bit would be off by O(1)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianNoise, seedWords } from '../../src/gpu/gaussian-noise';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { gaussianNoiseReference, philox4x32_10 } from '../../src/gpu/reference/philox';
import { compare, poisoned } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

const hex = (v: number[]) => v.map((x) => x.toString(16).padStart(8, '0'));

describe('philox_gaussian', () => {
  it('Philox4x32-10 reproduces the Random123 known-answer tests', () => {
    expect(hex(philox4x32_10([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    expect(hex(philox4x32_10([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32_10([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('GPU noise equals the CPU reference for a 2^32+ seed, with a count that is not a multiple of 4', async () => {
    const seed = 2 ** 32 + 12345;
    const count = 4099;
    const out = poisoned(rt, [count]);
    gaussianNoise(rt, out, seed, 7);
    const got = await rt.read(out);
    const [lo, hi] = seedWords(seed);
    const s = compare(got, gaussianNoiseReference(count, lo, hi, 7));
    expect(s.nonFinite).toBe(0);
    expect(s.maxAbs).toBeLessThanOrEqual(1e-5);
    out.release();
  });

  it('is standard normal: mean ≈ 0 and variance ≈ 1 over 2^16 draws; streams and seeds differ', async () => {
    const n = 1 << 16;
    const z = gaussianNoiseReference(n, 42, 0, 0);
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(gaussianNoiseReference(4, 42, 0, 1)[0]).not.toBe(z[0]);
    expect(gaussianNoiseReference(4, 43, 0, 0)[0]).not.toBe(z[0]);
  });
});
