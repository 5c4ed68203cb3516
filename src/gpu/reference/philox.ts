// CPU reference for shaders/noise.wgsl: Philox4x32-10 (Salmon et al., SC'11) and the Box–Muller
// transform, bit-exact with the kernel up to the last ulp of log/cos/sin.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** The 64-bit product of two u32 as [hi, lo]. */
function mulWide(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  // a·b < 2⁶⁴ is not exact in a double, so build hi from 16-bit halves as the kernel does.
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const loLo = aLo * bLo;
  const loHi = aLo * bHi;
  const hiLo = aHi * bLo;
  const mid = (loLo >>> 16) + (loHi & 0xffff) + (hiLo & 0xffff);
  const hi = (aHi * bHi + (loHi >>> 16) + (hiLo >>> 16) + Math.floor(mid / 65536)) >>> 0;
  return [hi, lo];
}

/** Philox4x32 with 10 rounds: counter (4 u32) and key (2 u32) → 4 u32. */
export function philox4x32_10(counter: readonly [number, number, number, number], key: readonly [number, number]): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map((v) => v >>> 0);
  let [k0, k1] = key.map((v) => v >>> 0);
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulWide(M0, c0);
    const [hi1, lo1] = mulWide(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

function boxMuller(bitsR: number, bitsTheta: number): [number, number] {
  const u1 = ((bitsR >>> 8) + 1) * 2 ** -24;
  const u2 = (bitsTheta >>> 8) * 2 ** -24;
  const r = Math.sqrt(-2 * Math.log(u1));
  const theta = 2 * Math.PI * u2;
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/** `count` N(0, 1) values for (seed words, stream): output 4g+l is lane l of Philox(g, stream, 0, 0). */
export function gaussianNoiseReference(count: number, seedLo: number, seedHi: number, stream = 0): Float64Array {
  const out = new Float64Array(count);
  for (let g = 0; 4 * g < count; g++) {
    const bits = philox4x32_10([g, stream, 0, 0], [seedLo, seedHi]);
    const z = [...boxMuller(bits[0], bits[1]), ...boxMuller(bits[2], bits[3])];
    for (let l = 0; l < 4 && 4 * g + l < count; l++) out[4 * g + l] = z[l];
  }
  return out;
}
