// CPU reference for shaders/attention.wgsl: the naive softmax(Q·Kᵀ·scale)·V, one full score row
// at a time, in float64. Same layouts as the kernel: operands are token-major [batch, tokens,
// width] with head h at offset + h·headDim; out is [batch, q_len, heads·headDim].

export interface AttentionReferenceOperand {
  data: ArrayLike<number>;
  tokens: number;
  width: number;
  offset?: number;
}

export interface AttentionReferenceInput {
  q: AttentionReferenceOperand;
  k: AttentionReferenceOperand;
  v: AttentionReferenceOperand;
  batch: number;
  numHeads: number;
  headDim: number;
  /** [batch, kv_len], 1 = attend. */
  keyMask?: ArrayLike<number>;
  scale?: number;
}

export function attentionReference(p: AttentionReferenceInput): Float64Array {
  const { batch, numHeads, headDim } = p;
  const qLen = p.q.tokens;
  const kvLen = p.k.tokens;
  const scale = p.scale ?? 1 / Math.sqrt(headDim);
  const span = numHeads * headDim;
  const out = new Float64Array(batch * qLen * span);
  const scores = new Float64Array(kvLen);
  const at = (op: AttentionReferenceOperand, b: number, token: number, h: number) =>
    (b * op.tokens + token) * op.width + (op.offset ?? 0) + h * headDim;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < numHeads; h++) {
      for (let i = 0; i < qLen; i++) {
        const qi = at(p.q, b, i, h);
        let max = -Infinity;
        for (let j = 0; j < kvLen; j++) {
          if (p.keyMask && p.keyMask[b * kvLen + j] === 0) {
            scores[j] = -Infinity;
            continue;
          }
          const kj = at(p.k, b, j, h);
          let s = 0;
          for (let c = 0; c < headDim; c++) s += p.q.data[qi + c] * p.k.data[kj + c];
          scores[j] = s * scale;
          if (scores[j] > max) max = scores[j];
        }
        const oi = (b * qLen + i) * span + h * headDim;
        if (max === -Infinity) continue; // every key is padding: zeros, as the kernel does
        let sum = 0;
        for (let j = 0; j < kvLen; j++) {
          const e = scores[j] === -Infinity ? 0 : Math.exp(scores[j] - max);
          scores[j] = e;
          sum += e;
        }
        for (let j = 0; j < kvLen; j++) {
          if (scores[j] === 0) continue;
          const w = scores[j] / sum;
          const vj = at(p.v, b, j, h);
          for (let c = 0; c < headDim; c++) out[oi + c] += w * p.v.data[vj + c];
        }
      }
    }
  }
  return out;
}
