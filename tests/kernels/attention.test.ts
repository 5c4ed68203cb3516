// flash attention (shaders/attention.wgsl) against the naive float64 softmax(QKᵀ)V reference.
// Outputs are convex combinations of V ∈ [−1, 1], so absolute error is the natural measure:
// max |gpu − ref| ≤ 5e-6 and NMSE ≤ 1e-9 (f32 dot products over ≤128 dims and f32 online sums).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashAttention } from '../../src/gpu/attention';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { attentionReference } from '../../src/gpu/reference/attention';
import { compare, poisoned, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

const MAX_ABS = 5e-6;
const MAX_NMSE = 1e-9;

async function expectClose(got: Float32Array, want: Float64Array): Promise<void> {
  const s = compare(got, want);
  expect(s.nonFinite, 'unwritten or non-finite outputs').toBe(0);
  expect(s.maxAbs).toBeLessThanOrEqual(MAX_ABS);
  expect(s.nmse).toBeLessThanOrEqual(MAX_NMSE);
}

/** Self-attention reading q, k, v straight out of one fused qkv tensor [B, N, 3·H·dh]. */
async function checkSelf(batch: number, n: number, heads: number, headDim: number, seed: number, qkRange = 2): Promise<void> {
  const d = heads * headDim;
  const qkvData = randomArray(batch * n * 3 * d, seed, -qkRange, qkRange);
  // V in [−1, 1] so that outputs are bounded by 1.
  for (let i = 0; i < batch * n; i++) for (let c = 2 * d; c < 3 * d; c++) qkvData[i * 3 * d + c] /= qkRange;
  const qkv = rt.upload(qkvData, [batch, n, 3 * d]);
  const out = poisoned(rt, [batch, n, d]);
  flashAttention(rt, { q: { tensor: qkv, offset: 0 }, k: { tensor: qkv, offset: d }, v: { tensor: qkv, offset: 2 * d }, out, numHeads: heads, headDim });
  const got = await rt.read(out);
  const op = (offset: number) => ({ data: qkvData, tokens: n, width: 3 * d, offset });
  await expectClose(got, attentionReference({ q: op(0), k: op(d), v: op(2 * d), batch, numHeads: heads, headDim }));
  qkv.release();
  out.release();
}

describe('flash_attention_tile', () => {
  it('self-attention from fused qkv, 37 tokens (not a tile multiple), 2 heads of 32, batch 2', async () => {
    await checkSelf(2, 37, 2, 32, 1);
  });
  it('head size 64 over 150 tokens (3 query tiles, 5 key tiles, both ragged)', async () => {
    await checkSelf(1, 150, 1, 64, 2);
  });
  it('head size 128 (16-key tiles) and a non-power-of-two head size 48', async () => {
    await checkSelf(1, 45, 2, 128, 3);
    await checkSelf(2, 29, 1, 48, 4);
  });
  it('peaked softmax (large logits) exercises the running-max rescale', async () => {
    await checkSelf(1, 130, 1, 32, 5, 6);
  });

  it('cross-attention to padded text tokens with a key-padding mask; an all-padding batch gives zeros', async () => {
    const batch = 3;
    const qLen = 70;
    const kvLen = 19;
    const heads = 2;
    const headDim = 32;
    const d = heads * headDim;
    const xq = randomArray(batch * qLen * d, 11, -2, 2);
    const kv = randomArray(batch * kvLen * 2 * d, 12);
    // Batch 0 keeps 7 tokens, batch 1 all 19, batch 2 none (an empty prompt).
    const lengths = [7, 19, 0];
    const mask = new Float32Array(batch * kvLen);
    lengths.forEach((len, b) => mask.fill(1, b * kvLen, b * kvLen + len));
    const qT = rt.upload(xq, [batch, qLen, d]);
    const kvT = rt.upload(kv, [batch, kvLen, 2 * d]);
    const maskT = rt.upload(mask, [batch, kvLen]);
    const out = poisoned(rt, [batch, qLen, d]);
    flashAttention(rt, { q: { tensor: qT }, k: { tensor: kvT, offset: 0 }, v: { tensor: kvT, offset: d }, out, numHeads: heads, headDim, keyMask: maskT });
    const got = await rt.read(out);
    const want = attentionReference({
      q: { data: xq, tokens: qLen, width: d },
      k: { data: kv, tokens: kvLen, width: 2 * d, offset: 0 },
      v: { data: kv, tokens: kvLen, width: 2 * d, offset: d },
      batch, numHeads: heads, headDim, keyMask: mask,
    });
    await expectClose(got, want);
    // The masked keys really are ignored: batch 0 must differ from attending to all 19.
    const unmasked = attentionReference({
      q: { data: xq, tokens: qLen, width: d },
      k: { data: kv, tokens: kvLen, width: 2 * d, offset: 0 },
      v: { data: kv, tokens: kvLen, width: 2 * d, offset: d },
      batch, numHeads: heads, headDim,
    });
    expect(compare(got.subarray(0, qLen * d), unmasked.subarray(0, qLen * d)).maxAbs).toBeGreaterThan(1e-2);
    expect(got.subarray(2 * qLen * d).every((x) => x === 0)).toBe(true);
    for (const t of [qT, kvT, maskT, out]) t.release();
  });

  it('4096 tokens against the naive softmax(QKᵀ)V (one head of 32)', async () => {
    await checkSelf(1, 4096, 1, 32, 6);
  });

  it('rejects head sizes and shapes it cannot run', () => {
    const t = rt.tensor([1, 8, 3 * 36]);
    const out = rt.tensor([1, 8, 36]);
    expect(() => flashAttention(rt, { q: { tensor: t }, k: { tensor: t }, v: { tensor: t }, out, numHeads: 1, headDim: 34 })).toThrow(/multiple of 4/);
    expect(() => flashAttention(rt, { q: { tensor: t, offset: 80 }, k: { tensor: t }, v: { tensor: t }, out, numHeads: 1, headDim: 36 })).toThrow(/do not fit/);
    t.release();
    out.release();
  });
});
