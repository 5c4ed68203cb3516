// The in-browser kernel checks behind tests/browser/kernels.html: the matmul and attention
// kernels (and the small ones, cheaply) on the page's own WebGPU device, each compared with its
// float64 CPU reference under the same tolerances as tests/kernels/*.test.ts. Results go to
// window.__kernelResults for Playwright (tests/e2e/kernels.spec.ts) and onto the page for people.

import { flashAttention } from '../../src/gpu/attention';
import { acquireGpu } from '../../src/gpu/device';
import { gaussianNoise } from '../../src/gpu/gaussian-noise';
import { fromHalfArray, toHalfArray } from '../../src/gpu/half-float';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { matmul } from '../../src/gpu/matmul';
import { layerNormModulate } from '../../src/gpu/norm';
import { attentionReference } from '../../src/gpu/reference/attention';
import { matmulReference } from '../../src/gpu/reference/matmul';
import { layerNormModulateReference } from '../../src/gpu/reference/norm';
import { gaussianNoiseReference } from '../../src/gpu/reference/philox';
import { compare, poisoned, randomArray } from '../kernels/check';

export interface KernelCheckResult {
  name: string;
  ok: boolean;
  maxAbs: number;
  nonFinite: number;
  tolerance: number;
  ms: number;
}

export interface KernelResults {
  done: boolean;
  adapter?: string;
  checks: KernelCheckResult[];
  error?: string;
}

declare global {
  interface Window {
    __kernelResults?: KernelResults;
  }
}

type Check = (rt: KernelRuntime) => Promise<{ got: Float32Array; want: ArrayLike<number>; tolerance: number; relative?: boolean }>;

function matmulCheck(batch: number, m: number, k: number, n: number, opts: { gelu?: boolean; f16?: boolean; gateRows?: number }, seed: number): Check {
  return async (rt) => {
    const xs = randomArray(batch * m * k, seed);
    let ws = randomArray(k * n, seed + 1, -0.5, 0.5);
    const bs = randomArray(n, seed + 2);
    const x = rt.upload(xs, [batch, m, k]);
    let w;
    if (opts.f16) {
      const bits = toHalfArray(ws);
      ws = fromHalfArray(bits);
      w = rt.uploadF16(bits, [k, n]);
    } else {
      w = rt.upload(ws, [k, n]);
    }
    const bias = rt.upload(bs, [n]);
    const gated = opts.gateRows !== undefined;
    const residual = gated ? randomArray(batch * m * n, seed + 3) : undefined;
    const out = residual ? rt.upload(residual, [batch, m, n]) : poisoned(rt, [batch, m, n]);
    const modRows = gated ? Math.ceil(m / opts.gateRows!) : 1;
    const modData = randomArray(batch * modRows * 3 * n, seed + 4);
    const mod = rt.upload(modData, [batch, modRows, 3 * n]);
    matmul(rt, x, w, out, { bias, gelu: opts.gelu, accumulate: gated, gate: gated ? { mod, offset: 2 * n, rowsPerVector: opts.gateRows! } : undefined });
    const got = await rt.read(out);
    const want = matmulReference({
      x: xs, w: ws, batch, m, k, n, bias: bs, gelu: opts.gelu, residual,
      gate: gated ? { mod: modData, width: 3 * n, rowsPerBatch: modRows, offset: 2 * n, rowsPerVector: opts.gateRows! } : undefined,
    });
    for (const t of [x, w, bias, out, mod]) t.release();
    return { got, want, tolerance: 1e-5 * Math.sqrt(k), relative: true };
  };
}

function selfAttentionCheck(n: number, heads: number, headDim: number, seed: number): Check {
  return async (rt) => {
    const d = heads * headDim;
    const data = randomArray(n * 3 * d, seed, -2, 2);
    for (let i = 0; i < n; i++) for (let c = 2 * d; c < 3 * d; c++) data[i * 3 * d + c] /= 2;
    const qkv = rt.upload(data, [1, n, 3 * d]);
    const out = poisoned(rt, [1, n, d]);
    flashAttention(rt, { q: { tensor: qkv, offset: 0 }, k: { tensor: qkv, offset: d }, v: { tensor: qkv, offset: 2 * d }, out, numHeads: heads, headDim });
    const got = await rt.read(out);
    const op = (offset: number) => ({ data, tokens: n, width: 3 * d, offset });
    const want = attentionReference({ q: op(0), k: op(d), v: op(2 * d), batch: 1, numHeads: heads, headDim });
    qkv.release();
    out.release();
    return { got, want, tolerance: 5e-6 };
  };
}

const crossAttentionCheck: Check = async (rt) => {
  const [batch, qLen, kvLen, heads, headDim] = [2, 40, 11, 2, 32];
  const d = heads * headDim;
  const xq = randomArray(batch * qLen * d, 21, -2, 2);
  const kv = randomArray(batch * kvLen * 2 * d, 22);
  const mask = new Float32Array(batch * kvLen);
  mask.fill(1, 0, 5); // batch 0: 5 real tokens; batch 1: an empty prompt
  const [qT, kvT, maskT] = [rt.upload(xq, [batch, qLen, d]), rt.upload(kv, [batch, kvLen, 2 * d]), rt.upload(mask, [batch, kvLen])];
  const out = poisoned(rt, [batch, qLen, d]);
  flashAttention(rt, { q: { tensor: qT }, k: { tensor: kvT }, v: { tensor: kvT, offset: d }, out, numHeads: heads, headDim, keyMask: maskT });
  const got = await rt.read(out);
  const want = attentionReference({
    q: { data: xq, tokens: qLen, width: d },
    k: { data: kv, tokens: kvLen, width: 2 * d },
    v: { data: kv, tokens: kvLen, width: 2 * d, offset: d },
    batch, numHeads: heads, headDim, keyMask: mask,
  });
  for (const t of [qT, kvT, maskT, out]) t.release();
  return { got, want, tolerance: 5e-6 };
};

const layerNormCheck: Check = async (rt) => {
  const [rows, dim, perFrame] = [12, 64, 4];
  const xs = randomArray(rows * dim, 31, -2, 2);
  const modData = randomArray((rows / perFrame) * 6 * dim, 32);
  const [x, mod] = [rt.upload(xs, [1, rows, dim]), rt.upload(modData, [1, rows / perFrame, 6 * dim])];
  const y = poisoned(rt, [1, rows, dim]);
  layerNormModulate(rt, x, y, { mod, shiftOffset: 0, scaleOffset: dim, tokensPerRow: perFrame });
  const got = await rt.read(y);
  const want = layerNormModulateReference({ x: xs, batch: 1, rows, dim, modulation: { mod: modData, width: 6 * dim, rowsPerBatch: rows / perFrame, shiftOffset: 0, scaleOffset: dim, tokensPerRow: perFrame } });
  for (const t of [x, mod, y]) t.release();
  return { got, want, tolerance: 1e-5 };
};

const noiseCheck: Check = async (rt) => {
  const out = poisoned(rt, [1027]);
  gaussianNoise(rt, out, 1234, 0);
  const got = await rt.read(out);
  out.release();
  return { got, want: gaussianNoiseReference(1027, 1234, 0, 0), tolerance: 1e-5 };
};

const CHECKS: Array<[string, Check]> = [
  ['matmul 32×64·64×64 (fits the tile)', matmulCheck(1, 32, 64, 64, {}, 1)],
  ['matmul 37×12·12×20 batch 3 (ragged)', matmulCheck(3, 37, 12, 20, {}, 2)],
  ['matmul + GELU, f16 weights', matmulCheck(2, 19, 24, 36, { gelu: true, f16: true }, 3)],
  ['matmul gated residual (per-frame gate)', matmulCheck(2, 23, 16, 16, { gateRows: 5 }, 4)],
  ['attention self 150 tokens, 1×64', selfAttentionCheck(150, 1, 64, 5)],
  ['attention self 37 tokens, 2×128', selfAttentionCheck(37, 2, 128, 6)],
  ['attention self 1024 tokens, 1×32 (vs naive softmax)', selfAttentionCheck(1024, 1, 32, 7)],
  ['attention cross with key-padding mask', crossAttentionCheck],
  ['layernorm + per-frame adaLN modulate', layerNormCheck],
  ['philox gaussian noise', noiseCheck],
];

function show(results: KernelResults): void {
  window.__kernelResults = results;
  const status = document.getElementById('status');
  const pre = document.getElementById('results');
  if (status) status.textContent = results.error ? `error: ${results.error}` : results.done ? `done on ${results.adapter}` : 'running…';
  if (pre) pre.textContent = results.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: max |err| ${c.maxAbs.toExponential(2)} (tol ${c.tolerance.toExponential(1)}), ${c.ms.toFixed(0)} ms`).join('\n');
}

async function run(): Promise<void> {
  const results: KernelResults = { done: false, checks: [] };
  show(results);
  try {
    const { device, facts } = await acquireGpu(navigator.gpu);
    results.adapter = `${facts.vendor} ${facts.architecture} ${facts.device || facts.description}`.trim();
    const rt = new KernelRuntime(device);
    for (const [name, check] of CHECKS) {
      const t0 = performance.now();
      const { got, want, tolerance, relative } = await check(rt);
      const stats = compare(got, want);
      let within = stats.nonFinite === 0;
      for (let i = 0; within && i < want.length; i++) {
        within = Math.abs(got[i] - want[i]) <= tolerance * (relative ? Math.max(1, Math.abs(want[i])) : 1);
      }
      results.checks.push({ name, ok: within, maxAbs: stats.maxAbs, nonFinite: stats.nonFinite, tolerance, ms: performance.now() - t0 });
      show(results);
    }
    rt.pool.trim();
  } catch (err) {
    results.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  results.done = true;
  show(results);
}

void run();
