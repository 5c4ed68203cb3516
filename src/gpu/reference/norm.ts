// CPU reference for shaders/norm.wgsl: LayerNorm without affine (biased variance), then the adaLN
// modulation x·(1 + scale) + shift with shift/scale from a modulation tensor, float64.

export interface NormReferenceInput {
  x: ArrayLike<number>;
  batch: number;
  rows: number;
  dim: number;
  eps?: number;
  modulation?: { mod: ArrayLike<number>; width: number; rowsPerBatch: number; shiftOffset: number; scaleOffset: number; tokensPerRow: number };
}

export function layerNormModulateReference(p: NormReferenceInput): Float64Array {
  const { batch, rows, dim } = p;
  const eps = p.eps ?? 1e-6;
  const out = new Float64Array(batch * rows * dim);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      const base = (b * rows + r) * dim;
      let mean = 0;
      for (let c = 0; c < dim; c++) mean += p.x[base + c];
      mean /= dim;
      let variance = 0;
      for (let c = 0; c < dim; c++) variance += (p.x[base + c] - mean) ** 2;
      variance /= dim;
      const inv = 1 / Math.sqrt(variance + eps);
      for (let c = 0; c < dim; c++) {
        let v = (p.x[base + c] - mean) * inv;
        const m = p.modulation;
        if (m) {
          const mrow = (b * m.rowsPerBatch + Math.floor(r / m.tokensPerRow)) * m.width;
          v = v * (1 + m.mod[mrow + m.scaleOffset + c]) + m.mod[mrow + m.shiftOffset + c];
        }
        out[base + c] = v;
      }
    }
  }
  return out;
}
