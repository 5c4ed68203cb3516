// One DiT block (docs/model-format.md, "Block") run by the graph's own DitGraph.block() on the GPU
// and, independently, through the float64 CPU references: checks the graph composes the kernels
// as dit.py's DiTBlock does (offsets of the six adaLN chunks, per-frame broadcast, fused qkv,
// RoPE, masks, fused gated residuals, the text's keys and values from crossKeysValues).
// f32 errors compound over 8 kernels: NMSE ≤ 1e-9, max ≤ 1e-4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { KernelOps } from '../../src/gpu/ops';
import { DitGraph, type DitArchitecture, type Linear } from '../../src/model/dit-graph';
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

    // ---- GPU: the graph's own block, over these weights ----
    const up = (data: Float32Array, shape: number[]) => rt.upload(data, shape);
    // Weights are [in, out]; biases [out].
    const linear = (w: Float32Array, b: Float32Array, inp: number, out: number): Linear => ({ w: up(w, [inp, out]), b: up(b, [out]) });
    const split = defaultRopeSplit(hd);
    const arch: DitArchitecture = {
      latent_channels: 4, width: d, depth: 1, heads, head_dim: hd, mlp_ratio: 4, patch: [1, 2, 2],
      time_embedding: { freq_dim: 256, input_scale: 1000, max_period: 10000, order: 'cos_then_sin' },
      rope: { base: 10000, split_t_h_w: [split.t, split.h, split.w], pairs: 'interleaved' },
      layer_norm_eps: 1e-6, text_width: dText, mask_bias: -1e9,
    };
    // Only block 0 and the text's keys and values run here; the other modules need weights of the right shapes.
    const unused = (inp: number, out: number) => linear(rand(inp * out), rand(out), inp, out);
    const graph = DitGraph.fromWeights(ops, arch, {
      patchEmbed: unused(16, d),
      timestepMlp: [unused(256, d), unused(d, d)],
      blocks: [{
        adaLN: linear(W.ada, W.adaB, d, 6 * d),
        qkv: linear(W.qkv, W.qkvB, d, 3 * d),
        proj: linear(W.proj, W.projB, d, d),
        crossQ: linear(W.q, W.qB, d, d),
        crossKv: linear(W.kv, W.kvB, dText, 2 * d),
        crossProj: linear(W.cproj, W.cprojB, d, d),
        fc1: linear(W.fc1, W.fc1B, d, 4 * d),
        fc2: linear(W.fc2, W.fc2B, 4 * d, d),
      }],
      finalLayer: { adaLN: unused(d, 2 * d), linear: unused(d, 16) },
    });
    const x = up(x0, [B, N, d]);
    const cT = up(c, [B, T, d]);
    const textT = up(text, [B, L, dText]);
    const maskT = up(mask, [B, L]);
    const [kv] = graph.crossKeysValues(textT); // [B, L, 2d]
    graph.block(0, x, cT, kv, maskT, { frames: T, height: gh, width: gw });
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
    for (const t of [kv, x, cT, textT, maskT]) t.release();
    graph.release();
  });
});
