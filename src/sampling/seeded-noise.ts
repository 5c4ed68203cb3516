// Seeded Gaussian noise from a counter-based generator, so that one seed gives the same
// starting noise on every GPU, in WGSL and here on the CPU: element i of a stream is a pure
// function of (seed, i), with no sequential state to keep in step.
//
// Generator: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", 2011)
// with key (seed, NOISE_KEY_TAG) and counter (i div 4, stream, 0, 0); its four u32 outputs become
// four normals by Box–Muller on 24-bit uniforms (exact in f32, so a WGSL port gets the same u).

const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;
/** Second key word: "Kino" in ASCII, so our streams differ from other Philox users' with the same seed. */
export const NOISE_KEY_TAG = 0x4b696e6f;

/** [hi, lo] of the 64-bit product of two u32, without BigInt. */
function mulHiLo(a: number, b: number): [number, number] {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (ll & 0xffff)) >>> 0;
  const hi = (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
  return [hi, lo];
}

/** Philox4x32 with 10 rounds: four u32 words from a 4-word counter and a 2-word key. */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number]): Uint32Array {
  let [c0, c1, c2, c3] = counter.map((v) => v >>> 0);
  let [k0, k1] = key.map((v) => v >>> 0);
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulHiLo(PHILOX_M0, c0);
    const [hi1, lo1] = mulHiLo(PHILOX_M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + PHILOX_W0) >>> 0;
    k1 = (k1 + PHILOX_W1) >>> 0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

/** A u32 to a uniform in (0, 1) from its top 24 bits: exactly representable in f32. */
export function uniformFromBits(bits: number): number {
  return ((bits >>> 8) + 0.5) / 16777216;
}

/**
 * `count` standard normals of stream `stream` under `seed`. Element i depends only on
 * (seed, stream, i): a clip extended later draws the same noise for the frames it shares.
 */
export function seededNormals(seed: number, count: number, stream = 0): Float32Array {
  const out = new Float32Array(count);
  const key: [number, number] = [seed >>> 0, NOISE_KEY_TAG];
  for (let block = 0; block * 4 < count; block++) {
    const r = philox4x32([block, stream >>> 0, 0, 0], key);
    for (let pair = 0; pair < 2; pair++) {
      const u1 = uniformFromBits(r[2 * pair]);
      const u2 = uniformFromBits(r[2 * pair + 1]);
      const radius = Math.sqrt(-2 * Math.log(u1));
      const angle = 2 * Math.PI * u2;
      const i = block * 4 + 2 * pair;
      if (i < count) out[i] = radius * Math.cos(angle);
      if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
    }
  }
  return out;
}

/** A fresh random seed for "new seed": 32 bits from the platform's CSPRNG. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}
