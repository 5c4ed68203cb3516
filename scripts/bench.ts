// Kernel benchmark: `npm run bench` (node scripts/run-ts.mjs scripts/bench.ts [flags]).
// Measures, on whatever adapter Dawn gives (SwiftShader on our CPU machines, a GPU elsewhere):
//   ceilings  a large vec4 copy (bandwidth) and our matmul at a large square size (compute);
//   matmul    the DiT's Linear layers at real shapes (cond+uncond batch), f32 and f16 weights;
//   streaming layernorm+modulate, RoPE, the sampler step and the noise at the same shapes, against
//             the copy bandwidth;
//   attention flash attention at 256 … 16384 tokens, with the memory it allocated against what a
//             materialised N×N score matrix would need.
// Prints a table and writes JSON (bench-results/kernels.json). Not a test: nothing here asserts.
// Flags: --quick (smaller ceilings, attention ≤ 512 tokens), --max-tokens N (attention cap; by
//        default 16384 on a GPU and 2048 on a CPU adapter, where 4096 alone takes ~1.5 min),
//        --width d --heads h (attention and matmul model width), --out path.
// Times (bench-timer.ts): GPU timestamps per pass where the device has timestamp-query, else wall
// clock per dispatch over a batch submitted together; always after a warm-up that compiles.
// Then the model-level benchmark (scripts/bench-model.ts: one DiT forward on every engine, the
// denoising loop, pool peaks, whole generations through the built site, cold/warm start).
// --kernels-only / --model-only run one half; the model half's flags are listed in bench-model.ts
// (--model ID, --reps N, --steps N, --only parts, --no-torch, --build, --model-out path).
// --soak N runs only the soak instead (scripts/bench-soak.ts): N videos in one page, the heaps,
// storage and time per video every 10.

import { bytesTable, timingTable } from './recaption-report';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { create, globals } from 'webgpu';
import { flashAttention, materialisedScoreBytes } from '../src/gpu/attention';
import { copyTensor } from '../src/gpu/copy';
import { acquireGpu, type AdapterFacts } from '../src/gpu/device';
import { toHalfArray } from '../src/gpu/half-float';
import { KernelRuntime } from '../src/gpu/kernel-runtime';
import { gaussianNoise } from '../src/gpu/gaussian-noise';
import { matmul } from '../src/gpu/matmul';
import { layerNormModulate } from '../src/gpu/norm';
import { defaultRopeSplit, rope3d, ropeAngleTable } from '../src/gpu/rope';
import { flowMatchEulerStep, frameSchedule } from '../src/gpu/sampler-step';
import type { GpuTensor } from '../src/gpu/tensor';
import { KernelTimer } from './bench-timer';
import { MODEL_FLAG_HELP, runModelBench, takeModelFlags } from './bench-model';
import { runSoak, takeSoakFlags } from './bench-soak';
import { compareTable, type ModelReport } from './bench-compare';

interface Flags {
  quick: boolean;
  maxTokens: number | undefined;
  width: number;
  heads: number;
  out: string;
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = { quick: false, maxTokens: undefined, width: 192, heads: 6, out: 'bench-results/kernels.json' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') flags.quick = true;
    else if (a === '--max-tokens') flags.maxTokens = Number(value());
    else if (a === '--width') flags.width = Number(value());
    else if (a === '--heads') flags.heads = Number(value());
    else if (a === '--out') flags.out = value();
    else throw new Error(`Unknown flag ${a}. Flags: --kernels-only, --model-only, --quick, --max-tokens N, --width d, --heads h, --out path; model: ${MODEL_FLAG_HELP}.`);
  }
  return flags;
}

function filled(rt: KernelRuntime, shape: number[], value = 0.01): GpuTensor {
  const t = rt.tensor(shape);
  rt.fill(t, value);
  return t;
}

interface Row {
  kernel: string;
  shape: string;
  ms: number;
  gflops?: number;
  gbps?: number;
  ofCeiling?: string;
  memory?: string;
  note?: string;
  [key: string]: unknown;
}

function table(rows: Row[]): string {
  const cols: Array<[keyof Row, string]> = [
    ['kernel', 'kernel'], ['shape', 'shape'], ['ms', 'ms'], ['gflops', 'GFLOP/s'], ['gbps', 'GB/s'], ['ofCeiling', 'of ceiling'], ['memory', 'memory'], ['note', 'note'],
  ];
  const cell = (r: Row, k: keyof Row) => {
    const v = r[k];
    if (v === undefined) return '';
    if (typeof v === 'number') return v >= 10 ? v.toFixed(1) : v.toPrecision(3);
    return String(v);
  };
  const lines = [`| ${cols.map(([, h]) => h).join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cols.map(([k]) => cell(r, k)).join(' | ')} |`);
  return lines.join('\n');
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;
const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

export async function main(argv: string[]): Promise<number> {
  // --soak N: only the soak (bench-soak.ts), many videos in one page.
  const { flags: soak, rest: args } = takeSoakFlags(argv);
  if (soak) {
    await runSoak(soak);
    return 0;
  }
  const { flags: modelFlags, rest } = takeModelFlags(args);
  const kernelsOnly = rest.includes('--kernels-only');
  const modelOnly = rest.includes('--model-only');
  if (kernelsOnly && modelOnly) throw new Error('Give at most one of --kernels-only and --model-only.');
  const flags = parseFlags(rest.filter((a) => a !== '--kernels-only' && a !== '--model-only'));
  Object.assign(globalThis, globals);
  const gpu = create([]); // kept in scope for the whole run: dawn.node dies with this object
  if (!modelOnly) await kernelBench(flags, gpu);
  if (!kernelsOnly && modelFlags.compare) {
    // v2 beside v1 (or any models), in the same run on the same machine
    const reports = [];
    for (const model of modelFlags.compare) reports.push(await runModelBench({ ...modelFlags, model, out: undefined }, gpu));
    console.log(compareTable(reports as unknown as ModelReport[]));
  } else if (!kernelsOnly) await runModelBench(modelFlags, gpu);
  void gpu;
  await promptReadingBench();
  return 0;
}

async function kernelBench(flags: Flags, gpu: GPU): Promise<void> {
  const { device, facts } = await acquireGpu(gpu);
  const rt = new KernelRuntime(device);
  const cpu = facts.isFallbackAdapter;
  const adapter = `${facts.vendor} ${facts.architecture} ${facts.device || facts.description}`.trim();
  console.log(`Adapter: ${adapter}${cpu ? ' — a CPU implementation: every figure below is a CPU figure, not a GPU one.' : ''}`);
  console.log(`Features: ${facts.enabledFeatures.join(', ') || 'none'}`);
  const rows: Row[] = [];
  const timer = new KernelTimer(rt);
  // The figure each row reports: GPU timestamps when there are any, else wall clock.
  let clock = 'wall clock';
  const timeKernel = async (encode: () => void): Promise<number> => {
    const t = await timer.time(encode);
    if (t.gpuSeconds !== undefined) clock = 'GPU timestamps';
    return t.gpuSeconds ?? t.wallSeconds;
  };
  const started = performance.now();

  // Ceilings. Bandwidth: copy reads and writes each byte once.
  const copyFloats = (flags.quick ? 4 : 16) * 2 ** 20;
  const src = filled(rt, [copyFloats]);
  const dst = rt.tensor([copyFloats]);
  const copyS = await timeKernel(() => copyTensor(rt, src, dst));
  const bandwidth = (2 * copyFloats * 4) / copyS / 1e9;
  rows.push({ kernel: 'copy (ceiling)', shape: mib(copyFloats * 4), ms: copyS * 1e3, gbps: bandwidth });
  src.release();
  dst.release();

  const square = flags.quick ? 256 : 512;
  const sa = filled(rt, [1, square, square]);
  const sw = filled(rt, [square, square]);
  const so = rt.tensor([1, square, square]);
  const squareS = await timeKernel(() => matmul(rt, sa, sw, so));
  const compute = (2 * square ** 3) / squareS / 1e9;
  rows.push({ kernel: 'matmul (ceiling)', shape: `${square}×${square}×${square}`, ms: squareS * 1e3, gflops: compute });
  for (const t of [sa, sw, so]) t.release();

  // The DiT's Linear layers: 16 frames of 16:9 (8×14 latent → 28 tokens a frame), cond+uncond.
  const d = flags.width;
  const heads = flags.heads;
  const frames = 16;
  const tokens = 2 * frames * 28;
  const layers: Array<{ name: string; m: number; k: number; n: number; gelu?: boolean; f16?: boolean }> = [
    { name: 'patch embed', m: tokens, k: 16, n: d },
    { name: 'adaLN mod', m: 2 * frames, k: d, n: 6 * d },
    { name: 'attn qkv', m: tokens, k: d, n: 3 * d },
    { name: 'attn proj (+gate)', m: tokens, k: d, n: d },
    { name: 'mlp fc1 +GELU', m: tokens, k: d, n: 4 * d, gelu: true },
    { name: 'mlp fc1 +GELU f16 W', m: tokens, k: d, n: 4 * d, gelu: true, f16: true },
    { name: 'mlp fc2', m: tokens, k: 4 * d, n: d },
  ];
  for (const l of layers) {
    const x = filled(rt, [1, l.m, l.k]);
    const w = l.f16 ? rt.uploadF16(toHalfArray(new Float32Array(l.k * l.n).fill(0.01)), [l.k, l.n]) : filled(rt, [l.k, l.n]);
    const bias = filled(rt, [l.n]);
    const out = rt.tensor([1, l.m, l.n]);
    const s = await timeKernel(() => matmul(rt, x, w, out, { bias, gelu: l.gelu }));
    const gflops = (2 * l.m * l.k * l.n) / s / 1e9;
    const bytes = 4 * (l.m * l.k + l.m * l.n + l.n) + (l.f16 ? 2 : 4) * l.k * l.n;
    const gbps = bytes / s / 1e9;
    // Small-M layers are bound by reading W, large ones by arithmetic: judge each by its own ceiling.
    const intensity = (2 * l.m * l.k * l.n) / bytes;
    const ofCeiling = intensity < compute / bandwidth ? `${pct(gbps / bandwidth)} of copy BW` : `${pct(gflops / compute)} of matmul`;
    rows.push({ kernel: `matmul ${l.name}`, shape: `${l.m}×${l.k}×${l.n}`, ms: s * 1e3, gflops, gbps, ofCeiling });
    for (const t of [x, w, bias, out]) t.release();
  }

  // The memory-bound kernels of a block and a sampler step at the same shapes, against copy bandwidth.
  const latentShape = [1, 4, frames, 8, 14];
  const latentSize = 4 * frames * 8 * 14;
  const streaming: Array<{ name: string; shape: string; bytes: number; run: () => Promise<number> }> = [
    {
      name: 'layernorm + modulate', shape: `${tokens}×${d}`, bytes: 4 * (2 * tokens * d + 2 * frames * 2 * d),
      run: async () => {
        const x = filled(rt, [1, tokens, d]);
        const mod = filled(rt, [1, 2 * frames, 6 * d]);
        const y = rt.tensor([1, tokens, d]);
        const s = await timeKernel(() => layerNormModulate(rt, x, y, { mod, shiftOffset: 0, scaleOffset: d, tokensPerRow: 28 }));
        for (const t of [x, mod, y]) t.release();
        return s;
      },
    },
    {
      name: 'rope 3d (q and k in qkv)', shape: `${tokens}×${3 * d}`, bytes: 4 * 2 * 2 * tokens * d,
      run: async () => {
        const qkv = filled(rt, [2, tokens / 2, 3 * d]);
        const grid = { frames, height: 4, width: 7 };
        const split = defaultRopeSplit(d / heads);
        const table = rt.upload(ropeAngleTable(grid, split), [ropeAngleTable(grid, split).length]);
        const s = await timeKernel(() => rope3d(rt, { qk: qkv, qOffset: 0, kOffset: d, numHeads: heads, headDim: d / heads, grid, split, angleTable: table }));
        qkv.release();
        table.release();
        return s;
      },
    },
    {
      name: 'sampler step (CFG, x0 preview)', shape: latentShape.join('×'), bytes: 4 * latentSize * 6,
      run: async () => {
        const x = filled(rt, latentShape);
        const v = filled(rt, [2, ...latentShape.slice(1)]);
        const clean = filled(rt, latentShape);
        const x0 = rt.tensor(latentShape);
        const schedule = rt.upload(frameSchedule(Array(frames).fill(0.5), Array(frames).fill(0.25), Array(frames).fill(false)), [1, frames, 4]);
        const s = await timeKernel(() => flowMatchEulerStep(rt, { x, velocity: v, schedule, clean, guidance: 3, x0Estimate: x0 }));
        for (const t of [x, v, clean, x0, schedule]) t.release();
        return s;
      },
    },
    {
      name: 'gaussian noise (Philox)', shape: latentShape.join('×'), bytes: 4 * latentSize,
      run: async () => {
        const out = rt.tensor(latentShape);
        const s = await timeKernel(() => gaussianNoise(rt, out, 1));
        out.release();
        return s;
      },
    },
  ];
  for (const k of streaming) {
    const s = await k.run();
    const gbps = k.bytes / s / 1e9;
    rows.push({ kernel: k.name, shape: k.shape, ms: s * 1e3, gbps, ofCeiling: `${pct(gbps / bandwidth)} of copy BW` });
  }

  // Attention over N tokens, `heads` heads of d/heads, batch 1. Memory: what the pool handed out
  // for qkv and the output, against a materialised N×N (heads × N × N f32 scores).
  const maxTokens = flags.maxTokens ?? (flags.quick ? 512 : cpu ? 2048 : 16384);
  for (let n = 256; n <= 16384; n *= 2) {
    const nn = materialisedScoreBytes(1, heads, n, n);
    if (n > maxTokens) {
      rows.push({ kernel: 'flash attention', shape: `N=${n}, ${heads}×${d / heads}`, ms: NaN, memory: `${mib(4 * n * 4 * d)} vs N×N ${mib(nn)}`, note: `skipped; run with --max-tokens ${n}` });
      continue;
    }
    rt.pool.resetPeak();
    const before = rt.pool.getStats().inUseBytes;
    const qkv = filled(rt, [1, n, 3 * d], 0.02);
    const out = rt.tensor([1, n, d]);
    const allocated = rt.pool.getStats().peakInUseBytes - before;
    const s = await timeKernel(() =>
      flashAttention(rt, { q: { tensor: qkv, offset: 0 }, k: { tensor: qkv, offset: d }, v: { tensor: qkv, offset: 2 * d }, out, numHeads: heads, headDim: d / heads }),
    );
    const flops = 4 * n * n * d; // QKᵀ and PV, 2 flops per multiply-add each
    const gflops = flops / s / 1e9;
    rows.push({ kernel: 'flash attention', shape: `N=${n}, ${heads}×${d / heads}`, ms: s * 1e3, gflops, ofCeiling: `${pct(gflops / compute)} of matmul`, memory: `${mib(allocated)} vs N×N ${mib(nn)}`, allocatedBytes: allocated, materialisedBytes: nn });
    qkv.release();
    out.release();
    rt.submit();
  }

  const seconds = (performance.now() - started) / 1000;
  console.log('');
  console.log(table(rows.map((r) => ({ ...r, ms: Number.isNaN(r.ms) ? (undefined as unknown as number) : r.ms }))));
  console.log(`\n${cpu ? 'CPU figures (SwiftShader), not GPU figures. ' : ''}Times from ${clock}. Ran in ${seconds.toFixed(0)} s.`);
  const report = { adapter: facts satisfies AdapterFacts, cpuFigures: cpu, clock, flags, ceilings: { copyGBps: bandwidth, matmulGflops: compute }, rows, seconds, date: new Date().toISOString() };
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, JSON.stringify(report, null, 2));
  console.log(`JSON: ${flags.out}`);
  timer.destroy();
  rt.pool.trim();
  device.destroy();
}

/** What reading a prompt costs (recaption(), in the worker before every generation) and the bytes it adds to the site. */
async function promptReadingBench(): Promise<void> {
  console.log('\nPrompt reading (recaption(): parse, caption, negative prompt; Node, the same V8 as Chromium)');
  console.log(timingTable());
  console.log('\nBytes it adds to the site (bundled alone, minified)');
  console.log(await bytesTable());
}

