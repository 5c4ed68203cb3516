// A fresh seed for "New seed" and for each run unless the seed is kept. Here, on the page, rather
// than beside the noise it seeds (sampling/seeded-noise.ts), which would pull the GPU's noise
// module and its WGSL into the page's bundle for one line.

/** 32 bits from the platform's CSPRNG. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}
