// Seeded Gaussian noise on the CPU, identical (up to the last ulp of log/cos/sin) to the GPU's
// shaders/noise.wgsl: both are Philox4x32-10 + Box–Muller over (seed, stream, index), as written
// once in src/gpu/reference/philox.ts. One seed therefore gives the same video on either backend,
// and element i depends only on (seed, stream, i): a clip extended later draws the same noise
// for the frames it shares.
import { gaussianNoiseReference } from '../gpu/reference/philox';
import { seedWords } from '../gpu/gaussian-noise';

/** `count` standard normals of stream `stream` under `seed`. */
export function seededNormals(seed: number, count: number, stream = 0): Float32Array {
  const [lo, hi] = seedWords(seed);
  return Float32Array.from(gaussianNoiseReference(count, lo, hi, stream));
}
