// The DiT forward on our WGSL kernels, block for block like models/kinora/dit.py
// (docs/model-format.md is the contract). Weights come from dit.safetensors (fp16): linear weights
// are transposed once to [in, out] (the layout our matmul reads fastest) and kept in f16 — the
// matmul unpacks them to f32 itself, so this works with or without shader-f16; biases become f32.
import { KernelOps } from '../gpu/ops';
import { transposeOutInToInOut } from '../gpu/matmul';
import type { GpuTensor } from '../gpu/tensor';
import { parseSafetensors, type SafeTensor } from './loader/safetensors';
import { tensorToFloat32 } from './loader/to-float32';
import type { ModelManifest } from './manifest';

interface Linear {
  /** [in, out], f16 */
  w: GpuTensor;
  /** [out], f32 */
  b: GpuTensor;
}

interface Block {
  adaLN: Linear;
  qkv: Linear;
  proj: Linear;
  crossQ: Linear;
  crossKv: Linear;
  crossProj: Linear;
  fc1: Linear;
  fc2: Linear;
}

export class DitGraph {
  private constructor(
    readonly ops: KernelOps,
    private readonly arch: ModelManifest['architecture']['dit'],
    private readonly patchEmbed: Linear,
    private readonly timeMlp: [Linear, Linear],
    private readonly blocks: Block[],
    private readonly finalAdaLN: Linear,
    private readonly finalLinear: Linear,
    private readonly owned: GpuTensor[],
  ) {}

  static fromSafetensors(ops: KernelOps, manifest: ModelManifest, weights: Uint8Array<ArrayBuffer>): DitGraph {
    const arch = manifest.architecture.dit;
    const [pt, ph, pw] = arch.patch;
    if (pt !== 1 || ph !== 2 || pw !== 2) throw new Error(`The WGSL DiT runs patch (1, 2, 2); this model uses (${arch.patch.join(', ')}).`);
    const file = parseSafetensors(weights);
    const owned: GpuTensor[] = [];
    const tensor = (name: string): SafeTensor => {
      const t = file.tensors.get(name);
      if (!t) throw new Error(`dit.safetensors has no tensor "${name}": the file does not match this runtime's DiT.`);
      return t;
    };
    const linear = (prefix: string): Linear => {
      const weight = tensor(`${prefix}.weight`);
      const bias = tensor(`${prefix}.bias`);
      const [out, inp] = weight.shape;
      let w: GpuTensor;
      if (weight.dtype === 'F16') {
        w = ops.rt.uploadF16(transposeOutInToInOut(weight.data as Uint16Array, out, inp), [inp, out], prefix);
      } else {
        w = ops.rt.upload(transposeOutInToInOut(tensorToFloat32(weight), out, inp), [inp, out], prefix);
      }
      const b = ops.rt.upload(Float32Array.from(tensorToFloat32(bias)), [out], `${prefix}.bias`);
      owned.push(w, b);
      return { w, b };
    };
    const blocks: Block[] = [];
    for (let i = 0; i < arch.depth; i++) {
      const p = `blocks.${i}`;
      blocks.push({
        adaLN: linear(`${p}.adaLN_modulation`),
        qkv: linear(`${p}.attn.qkv`),
        proj: linear(`${p}.attn.proj`),
        crossQ: linear(`${p}.cross.q`),
        crossKv: linear(`${p}.cross.kv`),
        crossProj: linear(`${p}.cross.proj`),
        fc1: linear(`${p}.mlp.fc1`),
        fc2: linear(`${p}.mlp.fc2`),
      });
    }
    const graph = new DitGraph(
      ops,
      arch,
      linear('patch_embed'),
      [linear('t_embedder.mlp.0'), linear('t_embedder.mlp.2')],
      blocks,
      linear('final_layer.adaLN_modulation'),
      linear('final_layer.linear'),
      owned,
    );
    ops.rt.submit();
    return graph;
  }

  /**
   * Each block's cross-attention keys and values of the text, [B, L, 2d] per block. They do not
   * change during a generation: a sampler computes them once and passes them to every forward.
   * The caller releases them.
   */
  crossKeysValues(text: GpuTensor): GpuTensor[] {
    return this.blocks.map((blk) => this.ops.linear(text, blk.crossKv.w, blk.crossKv.b));
  }

  /**
   * v [B, C, T, H, W] for x [B, C, T, H, W], per-frame noise levels t [B, T], the text — its tokens
   * [B, L, d_text], or their keys and values from crossKeysValues — and the text mask [B, L].
   * The caller owns (and releases) the returned tensor.
   */
  forward(x: GpuTensor, t: GpuTensor, text: GpuTensor | readonly GpuTensor[], textMask: GpuTensor): GpuTensor {
    const { ops } = this;
    const d = this.arch.width;
    const heads = this.arch.heads;
    const [B, , T, H, W] = x.shape;
    const h = H / 2;
    const w = W / 2;
    const S = h * w; // tokens per frame
    const N = T * S;
    const grid = { frames: T, height: h, width: w };
    const split = { t: this.arch.rope.split_t_h_w[0], h: this.arch.rope.split_t_h_w[1], w: this.arch.rope.split_t_h_w[2] };

    const patches = ops.patchify(x); // [B, N, 4C]
    const tokens = ops.linear(patches, this.patchEmbed.w, this.patchEmbed.b); // [B, N, d]
    patches.release();

    const freq = ops.timestepEmbedding(t, this.arch.time_embedding.freq_dim); // [B, T, 256]
    const hidden = ops.linear(freq, this.timeMlp[0].w, this.timeMlp[0].b); // [B, T, d]
    freq.release();
    const hiddenAct = ops.silu(hidden);
    hidden.release();
    const c = ops.linear(hiddenAct, this.timeMlp[1].w, this.timeMlp[1].b); // [B, T, d]
    hiddenAct.release();
    const siluC = ops.silu(c); // every adaLN reads SiLU(c)
    c.release();

    const textGiven = Array.isArray(text);
    const keysValues = textGiven ? (text as readonly GpuTensor[]) : this.crossKeysValues(text as GpuTensor); // [B, L, 2d] per block
    for (const [index, blk] of this.blocks.entries()) {
      const mod = ops.linear(siluC, blk.adaLN.w, blk.adaLN.b); // [B, T, 6d]: shift1 scale1 gate1 shift2 scale2 gate2

      // x += gate1 · SelfAttn(modulate(LN(x), shift1, scale1))
      const h1 = ops.layerNorm(tokens, { mod, shiftOffset: 0, scaleOffset: d, tokensPerRow: S }); // [B, N, d]
      const qkv = ops.linear(h1, blk.qkv.w, blk.qkv.b); // [B, N, 3d]
      h1.release();
      const attended = ops.selfAttention(qkv, heads, { grid, split, base: this.arch.rope.base }); // [B, N, d]
      qkv.release();
      ops.linearInto(attended, blk.proj.w, tokens, { bias: blk.proj.b, gate: { mod, offset: 2 * d, rowsPerVector: S } });
      attended.release();

      // x += CrossAttn(LN(x), text)  (plain LN, no gate; an all-padding caption attends to nothing)
      const h2 = ops.layerNorm(tokens); // [B, N, d]
      const q = ops.linear(h2, blk.crossQ.w, blk.crossQ.b); // [B, N, d]
      h2.release();
      const crossed = ops.crossAttention(q, keysValues[index], textMask, heads); // [B, N, d]
      q.release();
      ops.linearInto(crossed, blk.crossProj.w, tokens, { bias: blk.crossProj.b });
      crossed.release();

      // x += gate2 · MLP(modulate(LN(x), shift2, scale2))
      const h3 = ops.layerNorm(tokens, { mod, shiftOffset: 3 * d, scaleOffset: 4 * d, tokensPerRow: S }); // [B, N, d]
      const inner = ops.linear(h3, blk.fc1.w, blk.fc1.b, { gelu: true }); // [B, N, 4d]
      h3.release();
      ops.linearInto(inner, blk.fc2.w, tokens, { bias: blk.fc2.b, gate: { mod, offset: 5 * d, rowsPerVector: S } });
      inner.release();
      mod.release();
      // Submitting per block lets the pool reuse this block's buffers for the next one.
      ops.rt.submit();
    }

    if (!textGiven) for (const kv of keysValues) kv.release();
    const finalMod = ops.linear(siluC, this.finalAdaLN.w, this.finalAdaLN.b); // [B, T, 2d]: shift, scale
    siluC.release();
    const normed = ops.layerNorm(tokens, { mod: finalMod, shiftOffset: 0, scaleOffset: d, tokensPerRow: S });
    tokens.release();
    finalMod.release();
    const out = ops.linear(normed, this.finalLinear.w, this.finalLinear.b); // [B, N, 4C]
    normed.release();
    const v = ops.unpatchify(out.view([B, N, out.shape[2]]), x.shape); // [B, C, T, H, W]
    out.release();
    return v;
  }

  release(): void {
    for (const t of this.owned) t.release();
    this.ops.dispose();
  }
}
