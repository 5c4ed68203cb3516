// One small seeded generator for the dev tools and tests (mulberry32): test inputs, benchmark
// clips and corpora that come out the same on every run, so a failure or a table reproduces.
// Not for anything a person's seed drives — videos use Philox (src/sampling/seeded-noise.ts).

/** Uniform values in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
