// The DiT forward on our WGSL kernels, module for module like models/kinora/dit.py
// (docs/model-format.md is the contract): patch embedding, TimestepEmbedder, DiTBlock × depth,
// FinalLayer, each a method here of the same name, and format 2's PooledTextEmbedder (pooledText).
// The patch (p_t, p_h, p_w) is the manifest's. Weights come from dit.safetensors (fp16):
// linear weights are transposed once to [in, out] (the layout our matmul reads fastest) and kept
// in f16 — the matmul unpacks them to f32 itself, so this works with or without shader-f16;
// biases become f32. Every method runs in an ops.scope, so its intermediates are released when it
// returns and only its result lives on.
import { KernelOps } from '../gpu/ops';
import { copyTensor } from '../gpu/copy';
import { transposeOutInToInOut, type GateSource } from '../gpu/matmul';
import type { PatchSize } from '../gpu/patchify';
import type { Modulation } from '../gpu/norm';
import type { RopeGrid } from '../gpu/rope';
import type { GpuTensor } from '../gpu/tensor';
import { parseSafetensors, type SafeTensor } from './loader/safetensors';
import { tensorToFloat32 } from './loader/to-float32';
import type { ModelManifest } from './manifest';

export type DitArchitecture = ModelManifest['architecture']['dit'];

/** nn.Linear on the GPU. */
export interface Linear {
  /** [in, out], f16 (or f32 when the file has f32) */
  w: GpuTensor;
  /** [out], f32 */
  b: GpuTensor;
}

/** DiTBlock's parameters, named after dit.py's modules. */
export interface DitBlockWeights {
  adaLN: Linear;
  qkv: Linear;
  proj: Linear;
  crossQ: Linear;
  crossKv: Linear;
  crossProj: Linear;
  fc1: Linear;
  fc2: Linear;
}

export interface DitWeights {
  patchEmbed: Linear;
  /** TimestepEmbedder.mlp: Linear(freq_dim, d), SiLU, Linear(d, d). */
  timestepMlp: [Linear, Linear];
  blocks: DitBlockWeights[];
  finalLayer: { adaLN: Linear; linear: Linear };
  /** PooledTextEmbedder.mlp (format 2 may have it): Linear(d_text, d), SiLU, Linear(d, d). */
  textPool?: [Linear, Linear];
}

export class DitGraph {
  private readonly patch: PatchSize;

  private constructor(
    readonly ops: KernelOps,
    private readonly arch: DitArchitecture,
    private readonly weights: DitWeights,
  ) {
    const [t, h, w] = arch.patch;
    this.patch = { t, h, w };
  }

  /** The graph over weights already on the GPU; it owns (and releases) them from now on. */
  static fromWeights(ops: KernelOps, arch: DitArchitecture, weights: DitWeights): DitGraph {
    const [pt, ph, pw] = arch.patch;
    // dit.py patchifies with (1, p, p); the kernels take any patch, the time embedding is per frame.
    if (pt !== 1 || !(ph >= 1 && pw >= 1)) throw new Error(`The WGSL DiT runs patches (1, p, p); this model uses (${arch.patch.join(', ')}).`);
    if (weights.blocks.length !== arch.depth) throw new Error(`The DiT has ${arch.depth} blocks; ${weights.blocks.length} were given.`);
    if (!!arch.pooled_text !== !!weights.textPool) throw new Error(`The manifest ${arch.pooled_text ? 'has' : 'has no'} pooled text, the weights ${weights.textPool ? 'do' : 'do not'}.`);
    return new DitGraph(ops, arch, weights);
  }

  /** Whether forward needs pooledText's embedding (format 2's text_pool). */
  get hasPooledText(): boolean {
    return !!this.weights.textPool;
  }

  static fromSafetensors(ops: KernelOps, manifest: ModelManifest, bytes: Uint8Array<ArrayBuffer>): DitGraph {
    const arch = manifest.architecture.dit;
    const file = parseSafetensors(bytes);
    const tensor = (name: string): SafeTensor => {
      const t = file.tensors.get(name);
      if (!t) throw new Error(`dit.safetensors has no tensor "${name}": the file does not match this runtime's DiT.`);
      return t;
    };
    const linear = (prefix: string): Linear => uploadLinear(ops, prefix, tensor(`${prefix}.weight`), tensor(`${prefix}.bias`));
    const blocks = Array.from({ length: arch.depth }, (_, i): DitBlockWeights => {
      const p = `blocks.${i}`;
      return {
        adaLN: linear(`${p}.adaLN_modulation`),
        qkv: linear(`${p}.attn.qkv`),
        proj: linear(`${p}.attn.proj`),
        crossQ: linear(`${p}.cross.q`),
        crossKv: linear(`${p}.cross.kv`),
        crossProj: linear(`${p}.cross.proj`),
        fc1: linear(`${p}.mlp.fc1`),
        fc2: linear(`${p}.mlp.fc2`),
      };
    });
    const graph = DitGraph.fromWeights(ops, arch, {
      patchEmbed: linear('patch_embed'),
      timestepMlp: [linear('t_embedder.mlp.0'), linear('t_embedder.mlp.2')],
      blocks,
      finalLayer: { adaLN: linear('final_layer.adaLN_modulation'), linear: linear('final_layer.linear') },
      ...(arch.pooled_text ? { textPool: [linear('text_pool.mlp.0'), linear('text_pool.mlp.2')] as [Linear, Linear] } : {}),
    });
    ops.rt.submit();
    return graph;
  }

  /**
   * Each block's cross-attention keys and values of the text [B, L, d_text] → [B, L, 2d] per
   * block (CrossAttention.kv). They do not change during a generation: a sampler computes them
   * once and passes them to every forward. Outside a scope the caller releases them.
   */
  crossKeysValues(text: GpuTensor): GpuTensor[] {
    return this.weights.blocks.map((blk) => this.ops.linear(text, blk.crossKv.w, blk.crossKv.b));
  }

  /**
   * PooledTextEmbedder: the masked mean of the text tokens [B, L, d_text] → Linear, SiLU, Linear,
   * repeated for each of `frames` frames → [B, frames, d], to be added to the timestep embedding.
   * Like the keys and values it is the same at every step: a sampler computes it once per window.
   * The mean is a matmul by the pooling weights mask / max(1, Σ mask) (an all-padding caption
   * pools to zeros, as in dit.py), which `mask` [B, L] gives on the CPU. Undefined for a model
   * without pooled text. Outside a scope the caller releases it.
   */
  pooledText(text: GpuTensor, mask: Float32Array, frames: number): GpuTensor | undefined {
    const pool = this.weights.textPool;
    if (!pool) return undefined;
    const { ops } = this;
    const [B, L] = text.shape;
    if (mask.length !== B * L) throw new Error(`pooledText: a mask of ${mask.length} values for text [${text.shape.join(', ')}].`);
    const weights = new Float32Array(B * frames * L); // [B, frames, L]: every frame's row pools the same tokens
    for (let b = 0; b < B; b++) {
      const row = mask.subarray(b * L, (b + 1) * L);
      const count = Math.max(1, row.reduce((sum, m) => sum + m, 0));
      for (let f = 0; f < frames; f++) for (let l = 0; l < L; l++) weights[(b * frames + f) * L + l] = row[l] / count;
    }
    return ops.scope(() => {
      const poolWeights = ops.rt.upload(weights, [B, frames, L], 'text_pool_weights');
      const pooled = ops.linear(poolWeights, text); // [B, frames, L] · [B, L, d_text] → [B, frames, d_text]
      poolWeights.release();
      return ops.linear(ops.silu(ops.linear(pooled, pool[0].w, pool[0].b)), pool[1].w, pool[1].b); // [B, frames, d]
    });
  }

  /**
   * DiT.forward: v [B, C, T, H, W] for x [B, C, T, H, W], per-frame noise levels t [B, T], the
   * text — its tokens [B, L, d_text], or their keys and values from crossKeysValues — the text
   * mask [B, L], and, for a model with pooled text, pooledText's [B, T, d]. The caller owns (and
   * releases) the returned tensor.
   */
  forward(x: GpuTensor, t: GpuTensor, text: GpuTensor | readonly GpuTensor[], textMask: GpuTensor, pooled?: GpuTensor): GpuTensor {
    return this.ops.scope(() => {
      const [B, , T, H, W] = x.shape;
      const { patch } = this;
      const grid: RopeGrid = { frames: T / patch.t, height: H / patch.h, width: W / patch.w }; // the token grid of one sample
      if (this.hasPooledText && pooled?.shape.join() !== [B, T, this.arch.width].join()) {
        throw new Error(`DitGraph.forward: this DiT adds the pooled text to every frame; pass pooledText(…) of [${B}, ${T}, ${this.arch.width}].`);
      }
      const tokens = this.patchEmbed(x); // [B, N, d], N = T·h·w
      const c = this.timestepEmbedder(t, pooled); // [B, T, d]
      const keysValues = Array.isArray(text) ? text : this.crossKeysValues(text as GpuTensor); // [B, L, 2d] per block
      for (const index of this.weights.blocks.keys()) {
        this.block(index, tokens, c, keysValues[index], textMask, grid);
        // Submitting per block lets the pool reuse this block's buffers for the next one.
        this.ops.rt.submit();
      }
      return this.finalLayer(tokens, c, x.shape);
    });
  }

  /** patchify, then patch_embed: latent [B, C, T, H, W] → tokens [B, N, d]. */
  patchEmbed(x: GpuTensor): GpuTensor {
    const { ops } = this;
    return ops.scope(() => ops.linear(ops.patchify(x, this.patch), this.weights.patchEmbed.w, this.weights.patchEmbed.b)); // [B, N, p²C] → [B, N, d]
  }

  /**
   * TimestepEmbedder: t [B, T] → sinusoid(1000 t) [B, T, freq_dim] → Linear, SiLU, Linear → c [B, T, d];
   * with `pooled` [B, T, d] (pooledText), c + pooled: the second Linear accumulates onto a copy of it.
   */
  timestepEmbedder(t: GpuTensor, pooled?: GpuTensor): GpuTensor {
    const { ops } = this;
    const [first, second] = this.weights.timestepMlp;
    return ops.scope(() => {
      const freq = ops.timestepEmbedding(t, this.arch.time_embedding.freq_dim); // [B, T, freq_dim]
      const hidden = ops.silu(ops.linear(freq, first.w, first.b)); // [B, T, d]
      if (!pooled) return ops.linear(hidden, second.w, second.b); // [B, T, d]
      const c = ops.rt.tensor(pooled.shape, 'f32', 'c'); // returned, so the caller's scope owns it
      copyTensor(ops.rt, pooled, c);
      ops.linearInto(hidden, second.w, c, { bias: second.b }); // c = pooled + hidden·W + b
      return c;
    });
  }

  /**
   * DiTBlock `index`, in place on the tokens x [B, N, d] (N = frames × grid rows × grid columns,
   * frame-major), with c [B, T, d], that block's text keys and values [B, L, 2d] and the mask [B, L].
   */
  block(index: number, x: GpuTensor, c: GpuTensor, textKeysValues: GpuTensor, textMask: GpuTensor, grid: RopeGrid): void {
    const { ops } = this;
    const blk = this.weights.blocks[index];
    const d = this.arch.width;
    const S = grid.height * grid.width; // tokens per frame: each frame's adaLN row covers its S tokens
    ops.scope(() => {
      // shift1 scale1 gate1 shift2 scale2 gate2 = adaLN_modulation(SiLU(c)): [B, T, 6d], one row per frame
      const mod = ops.linear(ops.silu(c), blk.adaLN.w, blk.adaLN.b);
      const modulated = (shift: number, scale: number): Modulation => ({ mod, shiftOffset: shift * d, scaleOffset: scale * d, tokensPerRow: S });
      const gate = (chunk: number): GateSource => ({ mod, offset: chunk * d, rowsPerVector: S });
      this.selfAttention(blk, x, modulated(0, 1), gate(2), grid);
      this.crossAttention(blk, x, textKeysValues, textMask);
      this.mlp(blk, x, modulated(3, 4), gate(5));
    });
  }

  /** x += gate1 · SelfAttention(modulate(LN(x), shift1, scale1)), 3D RoPE on q and k; x [B, N, d]. */
  private selfAttention(blk: DitBlockWeights, x: GpuTensor, modulation: Modulation, gate: GateSource, grid: RopeGrid): void {
    const { ops } = this;
    const [t, h, w] = this.arch.rope.split_t_h_w;
    const rope = { grid, split: { t, h, w }, base: this.arch.rope.base };
    ops.scope(() => {
      const qkv = ops.linear(ops.layerNorm(x, modulation), blk.qkv.w, blk.qkv.b); // [B, N, 3d]: q | k | v
      const attended = ops.selfAttention(qkv, this.arch.heads, rope); // [B, N, d]
      ops.linearInto(attended, blk.proj.w, x, { bias: blk.proj.b, gate });
    });
  }

  /** x += CrossAttention(LN(x), text): plain LN, no gate; an all-padding caption attends to nothing. */
  private crossAttention(blk: DitBlockWeights, x: GpuTensor, textKeysValues: GpuTensor, textMask: GpuTensor): void {
    const { ops } = this;
    ops.scope(() => {
      const q = ops.linear(ops.layerNorm(x), blk.crossQ.w, blk.crossQ.b); // [B, N, d]
      const attended = ops.crossAttention(q, textKeysValues, textMask, this.arch.heads); // [B, N, d]
      ops.linearInto(attended, blk.crossProj.w, x, { bias: blk.crossProj.b });
    });
  }

  /** x += gate2 · MLP(modulate(LN(x), shift2, scale2)): GELU (tanh), 4× width. */
  private mlp(blk: DitBlockWeights, x: GpuTensor, modulation: Modulation, gate: GateSource): void {
    const { ops } = this;
    ops.scope(() => {
      const inner = ops.linear(ops.layerNorm(x, modulation), blk.fc1.w, blk.fc1.b, { gelu: true }); // [B, N, 4d]
      ops.linearInto(inner, blk.fc2.w, x, { bias: blk.fc2.b, gate });
    });
  }

  /** FinalLayer, then unpatchify: tokens x [B, N, d] and c [B, T, d] → v of `latentShape` [B, C, T, H, W]. */
  finalLayer(x: GpuTensor, c: GpuTensor, latentShape: readonly number[]): GpuTensor {
    const { ops } = this;
    const { adaLN, linear } = this.weights.finalLayer;
    const d = this.arch.width;
    const [B, , T] = latentShape;
    const S = x.shape[1] / T;
    return ops.scope(() => {
      const mod = ops.linear(ops.silu(c), adaLN.w, adaLN.b); // [B, T, 2d]: shift, scale
      const normed = ops.layerNorm(x, { mod, shiftOffset: 0, scaleOffset: d, tokensPerRow: S }); // [B, N, d]
      const out = ops.linear(normed, linear.w, linear.b); // [B, N, p²C]
      return ops.unpatchify(out.view([B, x.shape[1], out.shape[2]]), latentShape, this.patch); // [B, C, T, H, W]
    });
  }

  release(): void {
    const { patchEmbed, timestepMlp, blocks, finalLayer, textPool } = this.weights;
    const linears = [patchEmbed, ...timestepMlp, ...blocks.flatMap((b) => Object.values(b)), finalLayer.adaLN, finalLayer.linear, ...(textPool ?? [])];
    for (const { w, b } of linears) {
      w.release();
      b.release();
    }
    this.ops.dispose();
  }
}

/** nn.Linear's weight [out, in] and bias [out] as they sit on the GPU: [in, out] and f32. */
function uploadLinear(ops: KernelOps, prefix: string, weight: SafeTensor, bias: SafeTensor): Linear {
  const [out, inp] = weight.shape;
  const w =
    weight.dtype === 'F16'
      ? ops.rt.uploadF16(transposeOutInToInOut(weight.data as Uint16Array, out, inp), [inp, out], prefix)
      : ops.rt.upload(transposeOutInToInOut(tensorToFloat32(weight), out, inp), [inp, out], prefix);
  const b = ops.rt.upload(Float32Array.from(tensorToFloat32(bias)), [out], `${prefix}.bias`);
  return { w, b };
}
