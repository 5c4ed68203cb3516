// Pure helpers shared by the model benchmark in Node (scripts/bench-model.ts) and in the browser
// (tests/browser/bench-ort.ts): the DiT's FLOP count and fixed, seeded inputs. No Node or DOM APIs.

export interface DitArch {
  latent_channels: number;
  width: number;
  depth: number;
  heads: number;
  mlp_ratio: number;
  text_width: number;
  time_embedding: { freq_dim: number };
}

export interface ForwardShape {
  batch: number;
  frames: number;
  /** Latent height and width. */
  height: number;
  width: number;
  /** Text tokens (the text encoder's max_tokens). */
  textTokens: number;
}

/**
 * FLOPs of one DiT forward, a multiply-add counted as 2: every Linear (2·M·K·N), self-attention
 * QKᵀ and PV over all N tokens (4·N²·d per sample) and cross-attention over the L text tokens
 * (4·N·L·d, padding included: every implementation here computes them). LayerNorm, activations,
 * softmax exponentials, RoPE and patchify are not counted (< 2% at these sizes).
 */
export function ditFlops(a: DitArch, s: ForwardShape): number {
  const d = a.width;
  const C = a.latent_channels;
  const T = s.frames;
  const N = T * (s.height / 2) * (s.width / 2);
  const L = s.textTokens;
  const lin = (m: number, k: number, n: number) => 2 * m * k * n;
  let perSample = lin(N, 4 * C, d) + lin(T, a.time_embedding.freq_dim, d) + lin(T, d, d);
  const block =
    lin(T, d, 6 * d) + // adaLN modulation
    lin(N, d, 3 * d) + 4 * N * N * d + lin(N, d, d) + // self-attention: qkv, QKᵀ + PV, proj
    lin(N, d, d) + lin(L, a.text_width, 2 * d) + 4 * N * L * d + lin(N, d, d) + // cross-attention: q, kv, QKᵀ + PV, proj
    lin(N, d, a.mlp_ratio * d) + lin(N, a.mlp_ratio * d, d); // MLP
  perSample += a.depth * block + lin(T, d, 2 * d) + lin(N, d, 4 * C);
  return s.batch * perSample;
}

/** Weight count of the DiT (for the f16/f32 byte figures). */
export function ditParameters(a: DitArch): number {
  const d = a.width;
  const C = a.latent_channels;
  const lin = (k: number, n: number) => k * n + n;
  const block = lin(d, 6 * d) + lin(d, 3 * d) + lin(d, d) + lin(d, d) + lin(a.text_width, 2 * d) + lin(d, d) + lin(d, a.mlp_ratio * d) + lin(a.mlp_ratio * d, d);
  return lin(4 * C, d) + lin(a.time_embedding.freq_dim, d) + lin(d, d) + a.depth * block + lin(d, 2 * d) + lin(d, 4 * C);
}

/** Fixed pseudo-random values in [-1, 1) (an LCG: the inputs only need to be the same everywhere). */
export function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

export interface DitInputs {
  x: Float32Array;
  xDims: number[];
  t: Float32Array;
  tDims: number[];
  text: Float32Array;
  textDims: number[];
  mask: Float32Array;
  maskDims: number[];
}

/** One forward's inputs: latents, per-frame t in [0, 1), a text batch whose first row has 6 real tokens and the rest the empty caption. */
export function ditInputs(a: DitArch, s: ForwardShape): DitInputs {
  const { batch: B, frames: T, height: H, width: W, textTokens: L } = s;
  const C = a.latent_channels;
  const mask = new Float32Array(B * L);
  mask.fill(1, 0, 6);
  return {
    x: seeded(B * C * T * H * W, 1),
    xDims: [B, C, T, H, W],
    t: seeded(B * T, 2).map((v) => 0.5 + 0.5 * v),
    tDims: [B, T],
    text: seeded(B * L * a.text_width, 3),
    textDims: [B, L, a.text_width],
    mask,
    maskDims: [B, L],
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Times `run` (ms): warm-up runs until both `minWarm` runs and `warmMs` have passed (V8 compiles
 * WebAssembly with a baseline tier first and optimises hot functions later, so ORT-wasm's first
 * runs are 2–3× slower than its steady state), then `reps` timed runs.
 */
export async function timeRuns(run: () => Promise<unknown>, reps: number, minWarm = 2, warmMs = 1500): Promise<{ medianMs: number; allMs: number[]; warmups: number }> {
  const start = performance.now();
  let warmups = 0;
  while (warmups < minWarm || performance.now() - start < warmMs) {
    await run();
    warmups++;
    if (warmups >= 20) break;
  }
  const allMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    allMs.push(performance.now() - t0);
  }
  return { medianMs: median(allMs), allMs, warmups };
}
