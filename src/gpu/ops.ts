// The facade the DiT graph calls: each op allocates its output from the runtime's pool and returns
// it, so a block reads like the PyTorch model (docs/model-format.md), e.g.
//   const h = ops.layerNorm(x, { mod, shiftOffset: 0, scaleOffset: d, tokensPerRow: S });
//   const qkv = ops.linear(h, w.qkv, b.qkv);                       // [B, N, 3d]
//   const a = ops.selfAttention(qkv, heads, { grid, split });       // [B, N, d]
//   ops.linearInto(a, w.proj, x, { bias: b.proj, gate: { mod, offset: 2 * d, rowsPerVector: S } });
// Inside ops.scope(() => …) every output is released when the body returns, except what it
// returns; outside a scope the caller owns (and releases) each output. `…Into` writes the caller's.

import { activation } from './activation';
import { flashAttention } from './attention';
import { gaussianNoise } from './gaussian-noise';
import type { KernelRuntime } from './kernel-runtime';
import { matmul, type GateSource } from './matmul';
import { layerNormModulate, type Modulation } from './norm';
import { KINORA_PATCH, patchify, tokenShape, unpatchify, type PatchSize } from './patchify';
import { defaultRopeSplit, rope3d, ropeAngleTable, type Rope3dSplit, type RopeGrid } from './rope';
import { flowMatchEulerStep, type SamplerStepArgs } from './sampler-step';
import type { GpuTensor } from './tensor';
import { TensorScope, tensorsIn } from './tensor-scope';
import { timestepEmbedding, timestepFrequencyTable } from './timestep-embedding';

export interface SelfAttentionRope {
  /** Token grid of one sample: frames × patch rows × patch columns. */
  grid: RopeGrid;
  /** Defaults to Kinora's (H_d/4, 3H_d/8, 3H_d/8). */
  split?: Rope3dSplit;
  base?: number;
}

export class KernelOps {
  private readonly constantTables = new Map<string, GpuTensor>();
  /** Open scopes, innermost last: each op's output joins the innermost. */
  private readonly scopes: TensorScope[] = [];

  constructor(readonly rt: KernelRuntime) {}

  /**
   * Runs `body`, then releases every tensor an op made inside it except those it returns (a
   * tensor or an array of them), which join the enclosing scope, if any, or become the caller's.
   */
  scope<T>(body: () => T): T {
    const scope = new TensorScope();
    this.scopes.push(scope);
    let result: T;
    try {
      result = body();
    } catch (err) {
      this.scopes.pop();
      scope.end();
      throw err;
    }
    this.scopes.pop();
    const kept = tensorsIn(result);
    scope.end(kept);
    const outer = this.scopes[this.scopes.length - 1];
    for (const t of kept) outer?.track(t);
    return result;
  }

  /** y = x·w (+ bias) (GELU optional): x [B, M, K], w [K, N] ([in, out]) → [B, M, N]. */
  linear(x: GpuTensor, w: GpuTensor, bias?: GpuTensor, opts: { gelu?: boolean } = {}): GpuTensor {
    const n = w.shape[w.shape.length - 1];
    const out = this.made([...x.shape.slice(0, -1), n], 'linear');
    matmul(this.rt, x.shape.length === 2 ? x.view([1, ...x.shape]) : x, w, out.shape.length === 2 ? out.view([1, ...out.shape]) : out, { bias, gelu: opts.gelu });
    return out;
  }

  /** into += x·w + bias, or with `gate`: into += gate ⊙ (x·w + bias) (adaLN-Zero residual). */
  linearInto(x: GpuTensor, w: GpuTensor, into: GpuTensor, opts: { bias?: GpuTensor; gate?: GateSource } = {}): void {
    matmul(this.rt, x, w, into, { bias: opts.bias, accumulate: true, gate: opts.gate });
  }

  silu(x: GpuTensor): GpuTensor {
    const y = this.made(x.shape, 'silu');
    activation(this.rt, 'silu', x, y);
    return y;
  }

  /** LN(x) without affine, eps 1e-6; with `modulation`, ·(1 + scale) + shift. x [B, N, d]. */
  layerNorm(x: GpuTensor, modulation?: Modulation): GpuTensor {
    const y = this.made(x.shape, 'layerNorm');
    layerNormModulate(this.rt, x, y, modulation);
    return y;
  }

  /**
   * Full spacetime self-attention from a fused qkv [B, N, 3d] (q | k | v, heads side by side):
   * RoPE on q and k in place (when `rope` is given), then flash attention → [B, N, d].
   */
  selfAttention(qkv: GpuTensor, numHeads: number, rope?: SelfAttentionRope): GpuTensor {
    const [batch, n, width] = qkv.shape;
    const d = width / 3;
    const headDim = d / numHeads;
    if (!Number.isInteger(d) || !Number.isInteger(headDim)) throw new Error(`selfAttention: qkv width ${width} is not 3·heads·head_dim for ${numHeads} heads.`);
    if (rope) {
      const split = rope.split ?? defaultRopeSplit(headDim);
      rope3d(this.rt, { qk: qkv, qOffset: 0, kOffset: d, numHeads, headDim, grid: rope.grid, split, angleTable: this.ropeTable(rope.grid, split, rope.base ?? 10000) });
    }
    const out = this.made([batch, n, d], 'selfAttention');
    flashAttention(this.rt, { q: { tensor: qkv, offset: 0 }, k: { tensor: qkv, offset: d }, v: { tensor: qkv, offset: 2 * d }, out, numHeads, headDim });
    return out;
  }

  /** Cross-attention: q [B, N, d], kv [B, L, 2d] (k | v), keyMask [B, L] (1 = token, 0 = padding) → [B, N, d]. */
  crossAttention(q: GpuTensor, kv: GpuTensor, keyMask: GpuTensor, numHeads: number): GpuTensor {
    const d = q.shape[2];
    const out = this.made(q.shape, 'crossAttention');
    flashAttention(this.rt, { q: { tensor: q }, k: { tensor: kv, offset: 0 }, v: { tensor: kv, offset: d }, out, numHeads, headDim: d / numHeads, keyMask });
    return out;
  }

  /** t [B, T] (per-frame noise levels in [0, 1]) → [B, T, dim] sinusoidal features (u = 1000·t, cos first). */
  timestepEmbedding(t: GpuTensor, dim = 256): GpuTensor {
    const emb = this.made([...t.shape, dim], 'timestepEmbedding');
    timestepEmbedding(this.rt, t, this.constantTable(`timestep:${dim}`, () => timestepFrequencyTable(dim)), emb.view([t.size, dim]));
    return emb;
  }

  /** latent [B, C, T, H, W] → tokens [B, N, C·p_t·p_h·p_w]. */
  patchify(latent: GpuTensor, patch: PatchSize = KINORA_PATCH): GpuTensor {
    const tokens = this.made(tokenShape(latent.shape, patch), 'patchify');
    patchify(this.rt, latent, tokens, patch);
    return tokens;
  }

  /** tokens [B, N, C·p_t·p_h·p_w] → latent of `latentShape` [B, C, T, H, W]. */
  unpatchify(tokens: GpuTensor, latentShape: readonly number[], patch: PatchSize = KINORA_PATCH): GpuTensor {
    const latent = this.made(latentShape, 'unpatchify');
    unpatchify(this.rt, tokens, latent, patch);
    return latent;
  }

  /** One Euler step in place on args.x (CFG and given frames fused); see flowMatchEulerStep. */
  eulerStep(args: SamplerStepArgs): void {
    flowMatchEulerStep(this.rt, args);
  }

  /** N(0, 1) noise of `shape`, the same for a (seed, stream) on every device. */
  noise(shape: readonly number[], seed: number, stream = 0): GpuTensor {
    const out = this.made(shape, 'noise');
    gaussianNoise(this.rt, out, seed, stream);
    return out;
  }

  /** Frees the cached constant tables (call when the model or the video size changes). */
  dispose(): void {
    for (const t of this.constantTables.values()) t.release();
    this.constantTables.clear();
  }

  /** An op's f32 output, adopted by the innermost open scope. */
  private made(shape: readonly number[], label: string): GpuTensor {
    const t = this.rt.tensor(shape, 'f32', label);
    return this.scopes[this.scopes.length - 1]?.track(t) ?? t;
  }

  private ropeTable(grid: RopeGrid, split: Rope3dSplit, base: number): GpuTensor {
    const key = `rope:${grid.frames}x${grid.height}x${grid.width}:${split.t},${split.h},${split.w}:${base}`;
    return this.constantTable(key, () => ropeAngleTable(grid, split, base));
  }

  private constantTable(key: string, build: () => Float32Array): GpuTensor {
    let t = this.constantTables.get(key);
    if (!t) {
      const data = build();
      t = this.rt.upload(data, [data.length], key);
      this.constantTables.set(key, t);
    }
    return t;
  }
}
