// CPU reference for shaders/matmul.wgsl, float64 accumulation. Same layouts as the kernel:
// x [batch, M, K], w [K, N] ([in, out]; or [batch, K, N]), bias [N], out [batch, M, N].

import { geluTanh } from './activation';

export interface MatmulReferenceInput {
  x: ArrayLike<number>;
  w: ArrayLike<number>;
  batch: number;
  m: number;
  k: number;
  n: number;
  wBatched?: boolean;
  bias?: ArrayLike<number>;
  gelu?: boolean;
  /** The output's previous contents, for x += y (residual); with gate, x += gate ⊙ y. */
  residual?: ArrayLike<number>;
  /** Modulation rows [batch, rows, width]; the gate chunk starts at gateOffset. */
  gate?: { mod: ArrayLike<number>; width: number; rowsPerBatch: number; offset: number; rowsPerVector: number };
}

export function matmulReference(p: MatmulReferenceInput): Float64Array {
  const { batch, m, k, n } = p;
  const out = new Float64Array(batch * m * n);
  for (let b = 0; b < batch; b++) {
    const wBase = p.wBatched ? b * k * n : 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = p.bias ? p.bias[j] : 0;
        for (let t = 0; t < k; t++) s += p.x[(b * m + i) * k + t] * p.w[wBase + t * n + j];
        if (p.gelu) s = geluTanh(s);
        const o = (b * m + i) * n + j;
        if (p.residual) {
          let g = 1;
          if (p.gate) {
            const row = Math.floor(i / p.gate.rowsPerVector);
            g = p.gate.mod[(b * p.gate.rowsPerBatch + row) * p.gate.width + p.gate.offset + j];
          }
          s = p.residual[o] + g * s;
        }
        out[o] = s;
      }
    }
  }
  return out;
}
