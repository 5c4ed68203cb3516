// Host side of shaders/noise.wgsl: standard-normal noise from (seed, stream), identical on every
// device and in src/gpu/reference/philox.ts (Philox4x32-10 + Box–Muller).

import trigFns from '../../shaders/trig_fns.wgsl?raw';
import noiseWgsl from '../../shaders/noise.wgsl?raw';
import { linearWorkgroups, type KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const NOISE_WGSL = `${trigFns}\n${noiseWgsl}`;

export const NOISE_PARAMS = new UniformLayout('Params', [
  ['count', 'u32'],
  ['seed_lo', 'u32'],
  ['seed_hi', 'u32'],
  ['stream', 'u32'],
] as const);

/** Splits a seed (an integer up to 2⁵³) into the two 32-bit Philox key words. */
export function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`Seed ${seed} must be a non-negative integer below 2^53.`);
  return [seed % 2 ** 32, Math.floor(seed / 2 ** 32)];
}

/** Fills `out` (any shape) with N(0, 1) noise for (seed, stream). */
export function gaussianNoise(rt: KernelRuntime, out: GpuTensor, seed: number, stream = 0): void {
  const [lo, hi] = seedWords(seed);
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) throw new Error(`gaussianNoise: stream ${stream} must be a u32.`);
  rt.dispatch({
    label: 'gaussianNoise',
    code: NOISE_WGSL,
    entryPoint: 'philox_gaussian',
    params: NOISE_PARAMS.pack({ count: out.size, seed_lo: lo, seed_hi: hi, stream }),
    bindings: { 1: out.buffer },
    workgroups: linearWorkgroups(Math.ceil(out.size / 4), 64),
  });
}
