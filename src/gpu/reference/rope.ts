// CPU reference for shaders/rope.wgsl (docs/model-format.md, "3D rotary embedding"), float64.
// Rotates q and k in place inside a token-major array [batch, N, width].

export interface RopeReferenceInput {
  data: Float64Array | Float32Array;
  batch: number;
  width: number;
  qOffset: number;
  kOffset: number;
  numHeads: number;
  headDim: number;
  grid: { frames: number; height: number; width: number };
  split: { t: number; h: number; w: number };
  base?: number;
}

/** Returns a rotated copy (float64). */
export function rope3dReference(p: RopeReferenceInput): Float64Array {
  const out = Float64Array.from(p.data);
  const base = p.base ?? 10000;
  const tokens = p.grid.frames * p.grid.height * p.grid.width;
  const parts = [
    { pairs: p.split.t / 2, pos: (n: number) => Math.floor(n / (p.grid.height * p.grid.width)) },
    { pairs: p.split.h / 2, pos: (n: number) => Math.floor(n / p.grid.width) % p.grid.height },
    { pairs: p.split.w / 2, pos: (n: number) => n % p.grid.width },
  ];
  for (let b = 0; b < p.batch; b++) {
    for (let n = 0; n < tokens; n++) {
      for (let h = 0; h < p.numHeads; h++) {
        let pair = 0;
        for (const part of parts) {
          for (let k = 0; k < part.pairs; k++, pair++) {
            const angle = part.pos(n) * base ** ((-2 * k) / (2 * part.pairs));
            const cs = Math.cos(angle);
            const sn = Math.sin(angle);
            for (const off of [p.qOffset, p.kOffset]) {
              const i = (b * tokens + n) * p.width + off + h * p.headDim + 2 * pair;
              const x0 = out[i];
              const x1 = out[i + 1];
              out[i] = x0 * cs - x1 * sn;
              out[i + 1] = x0 * sn + x1 * cs;
            }
          }
        }
      }
    }
  }
  return out;
}
