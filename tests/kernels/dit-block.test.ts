// One DiT block (docs/model-format.md, "Block") run through the KernelOps facade on the GPU and,
// independently, through the float64 CPU references: checks the kernels compose the way the DiT
// graph will use them (offsets of the six adaLN chunks, per-frame broadcast, fused qkv, RoPE,
// masks, fused gated residuals). f32 errors compound over 8 kernels: NMSE ≤ 1e-9, max ≤ 1e-4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { KernelOps } from '../../src/gpu/ops';
import { silu } from '../../src/gpu/reference/activation';
import { attentionReference } from '../../src/gpu/reference/attention';
import { matmulReference } from '../../src/gpu/reference/matmul';
import { layerNormModulateReference } from '../../src/gpu/reference/norm';
import { rope3dReference } from '../../src/gpu/reference/rope';
import { defaultRopeSplit } from '../../src/gpu/rope';
import { compare, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
let ops: KernelOps;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
  ops = new KernelOps(rt);
});
afterAll(() => {
  ops.dispose();
  rt.pool.trim();
});

describe('a DiT block through KernelOps', () => {
  it('matches the CPU references composed the same way (B 2, 2 frames of 2×3 patches, d 64, 2 heads, 5 text tokens)', async () => {
    const [B, T, gh, gw, d, heads, L, dText] = [2, 2, 2, 3, 64, 2, 5, 32];
    const S = gh * gw;
    const N = T * S;
    const hd = d / heads;
    let seed = 100;
    const rand = (n: number, scale = 1) => randomArray(n, seed++, -scale, scale);
    const W = {
      ada: rand(d * 6 * d, 0.2), adaB: rand(6 * d, 0.2),
      qkv: rand(d * 3 * d, 0.3), qkvB: rand(3 * d, 0.1),
      proj: rand(d * d, 0.2), projB: rand(d, 0.1),
      q: rand(d * d, 0.3), qB: rand(d, 0.1),
      kv: rand(dText * 2 * d, 0.3), kvB: rand(2 * d, 0.1),
      cproj: rand(d * d, 0.2), cprojB: rand(d, 0.1),
      fc1: rand(d * 4 * d, 0.2), fc1B: rand(4 * d, 0.1),
      fc2: rand(4 * d * d, 0.1), fc2B: rand(d, 0.1),
    };
    const x0 = rand(B * N * d);
    const c = rand(B * T * d);
    const text = rand(B * L * dText);
    const mask = new Float32Array([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);

    // ---- GPU, as the DiT graph will write it ----
    const up = (data: Float32Array, shape: number[]) => rt.upload(data, shape);
    // Weights are [in, out]; biases [out].
    const inOut: Record<string, [number, number]> = { ada: [d, 6 * d], qkv: [d, 3 * d], proj: [d, d], q: [d, d], kv: [dText, 2 * d], cproj: [d, d], fc1: [d, 4 * d], fc2: [4 * d, d] };
    const g = Object.fromEntries(Object.entries(W).map(([name, v]) => [name, up(v, name.endsWith('B') ? [v.length] : inOut[name])]));
    const x = up(x0, [B, N, d]);
    const cT = up(c, [B, T, d]);
    const textT = up(text, [B, L, dText]);
    const maskT = up(mask, [B, L]);

    const siluC = ops.silu(cT);                                            // [B, T, d]
    const mod = ops.linear(siluC, g.ada, g.adaB);                          // [B, T, 6d]
    const perFrame = (shift: number, scale: number) => ({ mod, shiftOffset: shift * d, scaleOffset: scale * d, tokensPerRow: S });
    const h1 = ops.layerNorm(x, perFrame(0, 1));                           // [B, N, d]
    const qkv = ops.linear(h1, g.qkv, g.qkvB);                             // [B, N, 3d]
    const attn = ops.selfAttention(qkv, heads, { grid: { frames: T, height: gh, width: gw } });
    ops.linearInto(attn, g.proj, x, { bias: g.projB, gate: { mod, offset: 2 * d, rowsPerVector: S } });
    const h2 = ops.layerNorm(x);
    const q = ops.linear(h2, g.q, g.qB);                                   // [B, N, d]
    const kv = ops.linear(textT, g.kv, g.kvB);                             // [B, L, 2d]
    const cross = ops.crossAttention(q, kv, maskT, heads);                 // [B, N, d]
    ops.linearInto(cross, g.cproj, x, { bias: g.cprojB });
    const h3 = ops.layerNorm(x, perFrame(3, 4));
    const f1 = ops.linear(h3, g.fc1, g.fc1B, { gelu: true });              // [B, N, 4d]
    ops.linearInto(f1, g.fc2, x, { bias: g.fc2B, gate: { mod, offset: 5 * d, rowsPerVector: S } });
    const got = await rt.read(x);

    // ---- CPU references ----
    const mm = (a: ArrayLike<number>, m: number, k: number, n: number, w: Float32Array, bias: Float32Array, extra: Partial<Parameters<typeof matmulReference>[0]> = {}) =>
      matmulReference({ x: a, w, bias, batch: 1, m, k, n, ...extra });
    const modR = mm(Array.from(c, silu), B * T, d, 6 * d, W.ada, W.adaB);
    const ln = (a: ArrayLike<number>, shift?: number, scale?: number) =>
      layerNormModulateReference({ x: a, batch: B, rows: N, dim: d, modulation: shift === undefined ? undefined : { mod: modR, width: 6 * d, rowsPerBatch: T, shiftOffset: shift * d, scaleOffset: scale! * d, tokensPerRow: S } });
    const gate = (chunk: number) => ({ mod: modR, width: 6 * d, rowsPerBatch: T, offset: chunk * d, rowsPerVector: S });
    const qkvR = rope3dReference({
      data: Float64Array.from(mm(ln(x0, 0, 1), B * N, d, 3 * d, W.qkv, W.qkvB)), batch: B, width: 3 * d, qOffset: 0, kOffset: d, numHeads: heads, headDim: hd,
      grid: { frames: T, height: gh, width: gw }, split: defaultRopeSplit(hd),
    });
    const op = (data: ArrayLike<number>, tokens: number, width: number, offset = 0) => ({ data, tokens, width, offset });
    const attnR = attentionReference({ q: op(qkvR, N, 3 * d), k: op(qkvR, N, 3 * d, d), v: op(qkvR, N, 3 * d, 2 * d), batch: B, numHeads: heads, headDim: hd });
    // Residual adds go through matmulReference per sample so the gate rows line up with the batch.
    const residual = (a: ArrayLike<number>, k: number, w: Float32Array, bias: Float32Array, into: ArrayLike<number>, chunk?: number) =>
      matmulReference({ x: a, w, bias, batch: B, m: N, k, n: d, residual: into, gate: chunk === undefined ? undefined : gate(chunk) });
    const x1 = residual(attnR, d, W.proj, W.projB, x0, 2);
    const qR = mm(ln(x1), B * N, d, d, W.q, W.qB);
    const kvR = mm(text, B * L, dText, 2 * d, W.kv, W.kvB);
    const crossR = attentionReference({ q: op(qR, N, d), k: op(kvR, L, 2 * d), v: op(kvR, L, 2 * d, d), batch: B, numHeads: heads, headDim: hd, keyMask: mask });
    const x2 = residual(crossR, d, W.cproj, W.cprojB, x1);
    const f1R = mm(ln(x2, 3, 4), B * N, d, 4 * d, W.fc1, W.fc1B, { gelu: true });
    const x3 = residual(f1R, 4 * d, W.fc2, W.fc2B, x2, 5);

    const s = compare(got, x3);
    expect(s.nonFinite).toBe(0);
    expect(s.nmse).toBeLessThanOrEqual(1e-9);
    expect(s.maxAbs).toBeLessThanOrEqual(1e-4);
    for (const t of [siluC, mod, h1, qkv, attn, h2, q, kv, cross, h3, f1, x, cT, textT, maskT, ...Object.values(g)]) t.release();
  });
});
