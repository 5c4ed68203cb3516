// Model-level benchmark, the second half of `npm run bench` (scripts/bench.ts calls it; it also runs
// alone: node scripts/run-ts.mjs scripts/bench-model.ts [flags]). On one model (default: the
// default of public/models/index.json), at the shape of a 2-s 1:1 clip with guidance (batch 2,
// 16 frames, latent 8×8), it measures:
//   forward    one DiT forward on
//                wgsl-dawn      our WGSL graph (DitGraph) in Node on Dawn,
//                ort-wasm-node  onnxruntime-web's wasm provider on dit.onnx in Node, 1 and 2 threads
//                               (a child process each: scripts/bench-ort-node.ts),
//                torch          PyTorch on the same CPU, 1 and 2 threads (scripts/bench-dit.py),
//                ort-webgpu / ort-wasm / wgsl in Chromium (tests/browser/bench-ort.html, Vite dev server);
//              with GFLOP (counted in bench-dit-shared.ts: Linears and attention, 2 per multiply-add),
//              GFLOP/s, WGSL ÷ ORT-webgpu on the same adapter and ORT-wasm ÷ PyTorch (the aim: ≤ 1.5×);
//   denoise    the whole guided denoising loop of a 2-s clip (default steps) on ort-wasm-node and
//              torch (1 and 2 threads) and wgsl-dawn;
//   memory     the WGSL path's buffer pool: weight bytes, peak bytes during one forward and during
//              the denoising loop of one 2-s generation;
//   site       whole 2-s generations through the BUILT site in headless Chromium (window.kinora; a
//              snapshot of dist/ served as scripts/site-session.ts serves it, since others rebuild
//              dist/ meanwhile and a new service worker reloads the page), per backend, with the elapsed time the page reports and
//              when each phase began; cold start (fresh profile: model downloaded) against warm start
//              (same profile relaunched: model from IndexedDB), as time to the first denoising
//              progress event of a 1-step generation.
// Flags: --model ID, --compare ID,ID (each model in turn, then a side-by-side table: bench-compare.ts), --reps N (timed forwards, default 3; the CPU engines ORT-wasm and PyTorch run max(15, 5N)), --steps N (denoising steps, default the
//        model's), --only forward,denoise,memory,browser,site,start (default all), --no-torch,
//        --build (rebuild dist/ first), --out path (default bench-results/model-<id>.json).
// Prints tables and writes JSON. Not a test: nothing is asserted. On a CPU adapter (SwiftShader)
// every WebGPU figure is a CPU figure.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'vite';
import { create, globals } from 'webgpu';
import { acquireGpu, type AdapterFacts } from '../src/gpu/device';
import { KernelOps } from '../src/gpu/ops';
import { KernelRuntime } from '../src/gpu/kernel-runtime';
import { DitGraph } from '../src/model/dit-graph';
import { WgslDenoiser } from '../src/model/wgsl-denoiser';
import { conditionTokens, latentShape, type ModelManifest } from '../src/model/manifest';
import { latentFramesFor, latentLayout } from '../src/model/latent-layout';
import { launchChromium, launchChromiumWithProfile } from './chromium';
import { ditFlops, ditInputs, ditParameters, timeRuns, type ForwardShape } from './bench-dit-shared';
import { serveDir } from './site-session';
import { filesForEngine } from '../src/worker/site-model-provider';

/** Bytes of the files a generation on `engine` fetches (what the model panel shows). */
function downloadBytes(manifest: ModelManifest, engine: 'wasm' | 'webgpu'): number {
  return filesForEngine(manifest, engine).reduce((sum, name) => sum + manifest.files[name].size, 0);
}
import type { BrowserBenchResults } from '../tests/browser/bench-ort';

const PARTS = ['forward', 'denoise', 'memory', 'browser', 'site', 'takes', 'long', 'start'] as const;

/**
 * The DiT input of a 2-s 1:1 clip with guidance (batch 2), in the model's own latents: v1 16 frames
 * of 8×8 latents; v2 (format 2) 5 latent frames of 16×16 (17 frames, coded 4 to a latent frame at 64 px).
 */
export function twoSecondShape(manifest: ModelManifest): ForwardShape {
  const layout = latentLayout(manifest);
  const [, frames, height, width] = latentShape(manifest, '1:1', latentFramesFor(layout, Math.min(manifest.video.max_frames, 2 * manifest.video.fps + (layout.timeFactor > 1 ? 1 : 0))));
  return { batch: 2, frames, height, width, textTokens: conditionTokens(manifest) };
}
type Part = (typeof PARTS)[number];

export interface ModelFlags {
  model: string | undefined;
  /** --compare a,b: the model bench on each, then one side-by-side table (scripts/bench-compare.ts). */
  compare: string[] | undefined;
  reps: number;
  steps: number | undefined;
  /** Steps of the Node WGSL sampler run (memory and ms/step): 3 by default, since SwiftShader takes ~1 s a step and the pool creates no buffer after step 1. */
  wgslSteps: number | undefined;
  only: Set<Part>;
  torch: boolean;
  build: boolean;
  out: string | undefined;
}

export const MODEL_FLAG_HELP = '--model ID, --compare ID,ID, --reps N, --steps N, --wgsl-steps N, --only forward,denoise,memory,browser,site,takes,long,start, --no-torch, --build, --model-out path';

/** Takes the model flags out of `args` (so bench.ts can pass the rest to the kernel part); returns them and what is left. */
export function takeModelFlags(args: string[]): { flags: ModelFlags; rest: string[] } {
  const flags: ModelFlags = { model: undefined, compare: undefined, reps: 3, steps: undefined, wgslSteps: undefined, only: new Set(PARTS), torch: true, build: false, out: undefined };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--model') flags.model = value();
    else if (a === '--compare') flags.compare = value().split(',').filter(Boolean);
    else if (a === '--reps') flags.reps = Math.max(1, Number(value()));
    else if (a === '--steps') flags.steps = Number(value());
    else if (a === '--wgsl-steps') flags.wgslSteps = Number(value());
    else if (a === '--only') {
      const parts = value().split(',');
      for (const p of parts) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part ${p} (parts: ${PARTS.join(', ')})`);
      flags.only = new Set(parts as Part[]);
    } else if (a === '--no-torch') flags.torch = false;
    else if (a === '--build') flags.build = true;
    else if (a === '--model-out') flags.out = value();
    else rest.push(a);
  }
  return { flags, rest };
}

// ---------------------------------------------------------------------------------------------

interface ForwardRow {
  engine: string;
  where: string;
  threads?: number | string;
  ms?: number;
  /** Fastest timed run: on a shared machine other processes only ever slow a run down. */
  minMs?: number;
  gflop: number;
  gflops?: number;
  note?: string;
  allMs?: number[];
}

interface DenoiseRow {
  engine: string;
  where: string;
  threads?: number | string;
  ms?: number;
  minMs?: number;
  perStepMs?: number;
  note?: string;
}

interface SiteRow {
  backend: string;
  label?: string;
  elapsedMs?: number;
  textAtMs?: number;
  firstStepAtMs?: number;
  decodeAtMs?: number;
  encodeAtMs?: number;
  wallMs?: number;
  perStepMs?: number;
  note?: string;
}

interface StartRow {
  kind: 'cold' | 'warm';
  readyMs?: number;
  /** From the generate call to the 'text' phase: the model is loaded (downloaded or read from IndexedDB) and its ONNX sessions made. */
  modelReadyMs?: number;
  firstStepMs?: number;
  totalMs?: number;
  downloadEvents?: number;
  note?: string;
}

function fmt(v: unknown): string {
  if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) return '';
  if (typeof v === 'number') return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(3);
  return String(v);
}

function mdTable<R>(rows: R[], cols: Array<[string, (r: R) => unknown]>): string {
  const lines = [`| ${cols.map(([h]) => h).join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cols.map(([, f]) => fmt(f(r))).join(' | ')} |`);
  return lines.join('\n');
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

function lastJsonLine(text: string): unknown {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON in output:\n${text.slice(-2000)}`);
  return JSON.parse(line);
}

function run(cmd: string, args: string[], timeoutMs: number): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 26 });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** The CPU engines (ORT-wasm, PyTorch) take 10–100 ms a forward and the machine is shared: time more runs of them. */
const cpuReps = (reps: number) => Math.max(15, 5 * reps);

const log = (s: string) => process.stderr.write(`[bench-model] ${s}\n`);

// dawn.node lives as long as the object create() returned: keep it for the whole process.
let dawn: GPU | undefined;

/** `gpu`: a Dawn instance to reuse (bench.ts passes its own, so one process holds one); else one is created. */
export async function runModelBench(flags: ModelFlags, gpu?: GPU): Promise<Record<string, unknown>> {
  const started = performance.now();
  const index = JSON.parse(readFileSync('public/models/index.json', 'utf8')) as { default: string; models: string[] };
  const modelId = flags.model ?? index.default;
  const dir = `public/models/${modelId}`;
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as ModelManifest;
  const arch = manifest.architecture.dit;
  const shape = twoSecondShape(manifest);
  const steps = flags.steps ?? manifest.sampler.default_steps;
  let wgslSteps = steps; // set once the Node adapter is known
  const guidance = manifest.sampler.default_guidance;
  const gflop = ditFlops(arch, shape) / 1e9;
  const params = ditParameters(arch);
  const shapeText = `B ${shape.batch} × C ${arch.latent_channels} × T ${shape.frames} × ${shape.height}×${shape.width} (${shape.frames * (shape.height / 2) * (shape.width / 2)} tokens a sample), text ${shape.textTokens}`;
  const load = loadavg();
  log(`model ${modelId} (width ${arch.width}, depth ${arch.depth}, ${(params / 1e6).toFixed(2)} M parameters); forward ${shapeText}; ${gflop.toFixed(3)} GFLOP; load average ${load.map((l) => l.toFixed(1)).join(' ')}`);

  const forwardRows: ForwardRow[] = [];
  const denoiseRows: DenoiseRow[] = [];
  const siteRows: SiteRow[] = [];
  const longRows: SiteRow[] = [];
  const takeRows: TakeRow[] = [];
  const startRows: StartRow[] = [];
  const memory: Record<string, number> = {};
  let nodeAdapter: AdapterFacts | undefined;
  let browser: BrowserBenchResults | undefined;
  const inputs = ditInputs(arch, shape);
  const wantForward = flags.only.has('forward');
  const wantDenoise = flags.only.has('denoise');

  // ---- (a) our WGSL graph in Node on Dawn: forward, denoising loop, pool peaks -----------------
  if (wantForward || wantDenoise || flags.only.has('memory')) {
    log('WGSL graph on Dawn…');
    Object.assign(globalThis, globals);
    dawn ??= gpu ?? create([]);
    const { device, facts } = await acquireGpu(dawn);
    nodeAdapter = facts;
    wgslSteps = Math.max(1, Math.min(steps, flags.wgslSteps ?? (facts.isFallbackAdapter ? 3 : steps)));
    const rt = new KernelRuntime(device);
    const before = rt.pool.getStats().allocatedBytes;
    const dit = DitGraph.fromSafetensors(new KernelOps(rt), manifest, new Uint8Array(readFileSync(`${dir}/dit.safetensors`)));
    await rt.finish();
    memory.weightBytes = rt.pool.getStats().allocatedBytes - before;
    const xs = rt.upload(inputs.x, inputs.xDims);
    const ts = rt.upload(inputs.t, inputs.tDims);
    const tx = rt.upload(inputs.text, inputs.textDims);
    const mask = rt.upload(inputs.mask, inputs.maskDims);
    const pooled = dit.pooledText(tx, inputs.mask, inputs.xDims[2]); // format 2's pooled text, once
    const forward = async () => {
      const v = dit.forward(xs, ts, tx, mask, pooled);
      await rt.read(v);
      v.release();
    };
    await forward(); // compiles
    rt.pool.resetPeak();
    const baseAllocated = rt.pool.getStats().allocatedBytes;
    const timing = await timeRuns(forward, wantForward ? flags.reps : 1, 0, 0);
    const fs = rt.pool.getStats();
    memory.forwardPeakAllocatedBytes = fs.peakAllocatedBytes;
    memory.forwardPeakInUseBytes = fs.peakInUseBytes;
    memory.forwardInputsBytes = baseAllocated - memory.weightBytes;
    if (wantForward) forwardRows.push({ engine: 'wgsl (ours)', where: 'Node, Dawn', ms: timing.medianMs, minMs: Math.min(...timing.allMs), gflop, gflops: gflop / (timing.medianMs / 1e3), allMs: timing.allMs });
    for (const t of [xs, ts, tx, mask]) t.release();
    rt.submit();
    if (wantDenoise || flags.only.has('memory')) {
      // The generation's denoising loop as the worker runs it (WgslDenoiser), previews read back each step.
      rt.pool.trim();
      rt.pool.resetPeak();
      const [C, T, h, w] = [arch.latent_channels, shape.frames, shape.height, shape.width];
      const t0 = performance.now();
      await new WgslDenoiser(dit).denoise({
        shape: [C, T, h, w], seed: 1, steps: wgslSteps, shift: manifest.sampler.shift, guidance,
        text: { text: inputs.text, mask: inputs.mask, batch: 2, length: shape.textTokens, width: arch.text_width },
        onStep: () => undefined,
      });
      const ms = ((performance.now() - t0) * steps) / wgslSteps;
      const gs = rt.pool.getStats();
      memory.generationPeakAllocatedBytes = gs.peakAllocatedBytes;
      memory.generationPeakInUseBytes = gs.peakInUseBytes;
      if (wantDenoise) denoiseRows.push({ engine: 'wgsl (ours)', where: 'Node, Dawn', ms, perStepMs: ms / steps, note: wgslSteps === steps ? 'one run, pipelines warm' : `one run of ${wgslSteps} of the ${steps} steps (--wgsl-steps ${steps} for all); ms is ×${steps}/${wgslSteps}` });
    }
    dit.release();
    rt.pool.trim();
    device.destroy();
  }

  // ---- (b) onnxruntime-web's wasm provider in Node, 1 and 2 threads ------------------------------
  if (wantForward || wantDenoise) {
    for (const threads of [1, 2]) {
      log(`onnxruntime-web wasm in Node, ${threads} thread(s)…`);
      const r = run(process.execPath, ['scripts/run-ts.mjs', 'scripts/bench-ort-node.ts', '--dir', dir, '--threads', String(threads), '--shape', inputs.xDims.join(','), '--text', `${shape.textTokens},${arch.text_width}`, '--reps', String(cpuReps(flags.reps)), '--steps', wantDenoise ? String(steps) : '0', '--guidance', String(guidance)], 300_000);
      try {
        const j = lastJsonLine(r.stdout) as { effectiveThreads: number; forwardMs: number; forwardAll: number[]; denoiseMs?: number; denoiseAll: number[]; warmups: number };
        const note = `${j.warmups} warm-up runs`;
        if (wantForward) forwardRows.push({ engine: 'onnxruntime-web wasm', where: 'Node', threads, ms: j.forwardMs, minMs: Math.min(...j.forwardAll), gflop, gflops: gflop / (j.forwardMs / 1e3), note, allMs: j.forwardAll });
        if (wantDenoise && j.denoiseMs !== undefined) denoiseRows.push({ engine: 'onnxruntime-web wasm', where: 'Node', threads, ms: j.denoiseMs, minMs: Math.min(...j.denoiseAll), perStepMs: j.denoiseMs / steps, note: 'median of 2' });
      } catch (err) {
        forwardRows.push({ engine: 'onnxruntime-web wasm', where: 'Node', threads, gflop, note: `failed: ${(err as Error).message.slice(0, 200)} ${r.stderr.slice(-300)}` });
      }
    }
  }

  // ---- (c) PyTorch on the same CPU, 1 and 2 threads ----------------------------------------------
  if ((wantForward || wantDenoise) && flags.torch) {
    log('PyTorch (/usr/bin/python3)…');
    const r = run('/usr/bin/python3', ['scripts/bench-dit.py', '--model-dir', dir, '--threads', '1,2', '--reps', String(cpuReps(flags.reps)), '--batch', String(shape.batch), '--frames', String(shape.frames), '--height', String(shape.height), '--width', String(shape.width), '--steps', String(steps), '--guidance', String(guidance)], 300_000);
    try {
      const j = lastJsonLine(r.stdout) as { torch: string; blas: string; results: Array<{ threads: number; forward_ms: number; forward_all_ms: number[]; denoise_ms: number; denoise_all_ms: number[] }> };
      for (const x of j.results) {
        if (wantForward) forwardRows.push({ engine: `PyTorch ${j.torch}`, where: 'CPython', threads: x.threads, ms: x.forward_ms, minMs: Math.min(...x.forward_all_ms), gflop, gflops: gflop / (x.forward_ms / 1e3), note: j.blas, allMs: x.forward_all_ms });
        if (wantDenoise) denoiseRows.push({ engine: `PyTorch ${j.torch}`, where: 'CPython', threads: x.threads, ms: x.denoise_ms, minMs: Math.min(...x.denoise_all_ms), perStepMs: x.denoise_ms / steps, note: 'median of 2' });
      }
    } catch (err) {
      forwardRows.push({ engine: 'PyTorch', where: 'CPython', gflop, note: `failed: ${(err as Error).message.slice(0, 200)} ${r.stderr.slice(-300)}` });
    }
  }

  // ---- (d) Chromium: ORT's WebGPU and wasm providers and our WGSL on one page ------------------
  if (flags.only.has('browser')) {
    log('Chromium page (Vite dev server): ort-wasm, ort-webgpu, wgsl…');
    try {
      browser = await runBrowserPage(modelId, shape, flags.reps);
      for (const row of browser.rows) {
        const engine = { 'ort-webgpu': 'onnxruntime-web webgpu', 'ort-wasm': 'onnxruntime-web wasm', wgsl: 'wgsl (ours)' }[row.engine];
        const diff = row.maxAbsDiffFromWasm === undefined ? '' : `; max abs diff vs ort-wasm ${row.maxAbsDiffFromWasm.toExponential(1)}`;
        forwardRows.push(
          row.ok
            ? { engine, where: 'Chromium', threads: row.threads, ms: row.medianMs, minMs: Math.min(...row.allMs!), gflop, gflops: gflop / (row.medianMs! / 1e3), note: `load ${Math.round(row.loadMs ?? 0)} ms${diff}`, allMs: row.allMs }
            : { engine, where: 'Chromium', gflop, note: `failed: ${row.error}` },
        );
        if (row.engine === 'wgsl' && row.ok) {
          memory.browserWeightBytes = row.weightBytes!;
          memory.browserForwardPeakAllocatedBytes = row.peakAllocatedBytes!;
        }
      }
    } catch (err) {
      forwardRows.push({ engine: 'Chromium page', where: 'Chromium', gflop, note: `failed: ${(err as Error).message.split('\n')[0]}` });
    }
  }

  // ---- 2. whole 2-s generations through the built site ------------------------------------------
  if (flags.only.has('site') || flags.only.has('takes') || flags.only.has('start') || flags.only.has('long')) {
    // A snapshot of dist/: others rebuild dist/ while we run, and a new service worker reloads the page.
    if (flags.build || !existsSync('dist/index.html')) {
      log('building the site (dist/)…');
      execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    }
    const snapshot = mkdtempSync(join(tmpdir(), 'kinora-bench-dist-'));
    cpSync('dist', snapshot, { recursive: true });
    const served = await serveDir(snapshot);
    try {
      if (flags.only.has('site')) {
        log('2-s generations through the built site…');
        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          page.on('pageerror', (err) => log(`page error: ${err.message}`));
          await page.goto(served.url);
          await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
          for (const backend of ['wasm', 'webgpu'] as const) {
            log(`  site, ${backend}: warm-up (1 step), then ${steps} steps…`);
            try {
              await siteGenerate(page, { backend, steps: 1, modelId });
              const r = await siteGenerate(page, { backend, steps, modelId });
              siteRows.push({
                backend, label: r.label, elapsedMs: r.elapsedMs, wallMs: r.wallMs, textAtMs: r.phases.text, firstStepAtMs: r.phases.denoise, decodeAtMs: r.phases.decode, encodeAtMs: r.phases.encode,
                perStepMs: r.phases.decode !== undefined && r.phases.denoise !== undefined ? (r.phases.decode - r.phases.denoise) / Math.max(1, steps - 1) : undefined,
              });
            } catch (err) {
              siteRows.push({ backend, note: `failed: ${(err as Error).message.split('\n')[0]}` });
            }
          }
        } finally {
          await browser.close();
        }
      }
      if (flags.only.has('takes')) {
        log('takes: one alone, then a batch of 4, through the built site…');
        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          await page.goto(served.url);
          await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
          for (const backend of ['wasm', 'webgpu'] as const) {
            try {
              await siteGenerate(page, { backend, steps: 1, modelId });
              takeRows.push(await siteTakes(page, { backend, steps, modelId }));
            } catch (err) {
              takeRows.push({ backend, note: `failed: ${(err as Error).message.split('\n')[0]}` });
            }
          }
        } finally {
          await browser.close();
        }
      }
      if (flags.only.has('long')) {
        log('a 60-s video through the built site (wasm)…');
        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          await page.goto(served.url);
          await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
          await siteGenerate(page, { backend: 'wasm', steps: 1, modelId });
          const r = await siteGenerate(page, { backend: 'wasm', steps, modelId, seconds: 60 });
          longRows.push({ backend: 'wasm', label: r.label, elapsedMs: r.elapsedMs, wallMs: r.wallMs, note: `${(r.elapsedMs! / 60_000).toFixed(2)}× real time` });
        } catch (err) {
          longRows.push({ backend: 'wasm', note: `failed: ${(err as Error).message.split('\n')[0]}` });
        } finally {
          await browser.close();
        }
      }
      if (flags.only.has('start')) {
        log('cold and warm start…');
        try {
          startRows.push(...(await coldWarmStart(served.url, modelId)));
        } catch (err) {
          startRows.push({ kind: 'cold', note: `failed: ${(err as Error).message.split('\n')[0]}` });
        }
      }
    } finally {
      served.close();
      rmSync(snapshot, { recursive: true, force: true });
    }
  }

  // ---- report -----------------------------------------------------------------------------------
  const find = (engine: string, where: string, threads?: number) => forwardRows.find((r) => r.engine.startsWith(engine) && r.where === where && (threads === undefined || r.threads === threads) && r.ms !== undefined);
  const ratio = (a: ForwardRow | DenoiseRow | undefined, b: ForwardRow | DenoiseRow | undefined) =>
    a?.ms && b?.ms ? { ratio: a.ms / b.ms, ratioOfFastest: a.minMs && b.minMs ? a.minMs / b.minMs : undefined } : { ratio: undefined, ratioOfFastest: undefined };
  const ratios: Array<{ what: string; ratio: number | undefined; ratioOfFastest: number | undefined }> = [
    { what: 'WGSL ÷ ORT-webgpu, Chromium, same adapter (forward)', ...ratio(find('wgsl', 'Chromium'), find('onnxruntime-web webgpu', 'Chromium')) },
    { what: 'ORT-wasm ÷ PyTorch, Node, 1 thread each (forward)', ...ratio(find('onnxruntime-web wasm', 'Node', 1), find('PyTorch', 'CPython', 1)) },
    { what: 'ORT-wasm ÷ PyTorch, Node, 2 threads each (forward)', ...ratio(find('onnxruntime-web wasm', 'Node', 2), find('PyTorch', 'CPython', 2)) },
    { what: 'ORT-wasm 2 threads ÷ PyTorch 1 thread (best of each, forward)', ...ratio(find('onnxruntime-web wasm', 'Node', 2), find('PyTorch', 'CPython', 1)) },
    { what: 'ORT-wasm Chromium (1 thread) ÷ PyTorch 1 thread (forward)', ...ratio(find('onnxruntime-web wasm', 'Chromium'), find('PyTorch', 'CPython', 1)) },
  ];
  const dfind = (engine: string, threads: number) => denoiseRows.find((r) => r.engine.startsWith(engine) && r.threads === threads);
  ratios.push(
    { what: `ORT-wasm ÷ PyTorch, 1 thread each (${steps}-step denoising loop)`, ...ratio(dfind('onnxruntime-web wasm', 1), dfind('PyTorch', 1)) },
    { what: `ORT-wasm ÷ PyTorch, 2 threads each (${steps}-step denoising loop)`, ...ratio(dfind('onnxruntime-web wasm', 2), dfind('PyTorch', 2)) },
  );
  const wallMs = performance.now() - started;
  const cpuAdapter = nodeAdapter?.isFallbackAdapter ?? true;
  const adapterText = nodeAdapter ? `${nodeAdapter.vendor} ${nodeAdapter.architecture} ${nodeAdapter.device || nodeAdapter.description}`.trim() : 'not opened';
  const out: string[] = [];
  out.push(`\nModel ${modelId}: width ${arch.width}, depth ${arch.depth}, heads ${arch.heads}, ${(params / 1e6).toFixed(3)} M DiT parameters (${mib(2 * params)} as fp16).`);
  out.push(`Forward: ${shapeText}; ${gflop.toFixed(3)} GFLOP (Linears + attention, multiply-add = 2).`);
  out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; load average at start ${load.map((l) => l.toFixed(1)).join(', ')} (other jobs, e.g. PyTorch training, share these cores). Node adapter: ${adapterText}; Chromium adapter: ${browser?.adapter ?? 'not opened'}.`);
  if (cpuAdapter) out.push('WebGPU here is a CPU emulation (SwiftShader): every WebGPU figure below is a CPU figure, not a GPU one.');
  if (forwardRows.length) {
    out.push('\nOne DiT forward (median after warm-up; output read back to the CPU):\n');
    out.push(mdTable(forwardRows, [['engine', (r) => r.engine], ['where', (r) => r.where], ['threads', (r) => (r.threads === undefined ? '' : String(r.threads))], ['median ms', (r) => r.ms], ['fastest ms', (r) => r.minMs], ['GFLOP', (r) => r.gflop], ['GFLOP/s (median)', (r) => r.gflops], ['note', (r) => r.note]]));
  }
  if (denoiseRows.length) {
    out.push(`\nDenoising loop of a 2-s 1:1 clip (${steps} guided steps, batch 2 a step):\n`);
    out.push(mdTable(denoiseRows, [['engine', (r) => r.engine], ['where', (r) => r.where], ['threads', (r) => (r.threads === undefined ? '' : String(r.threads))], ['median ms', (r) => r.ms], ['fastest ms', (r) => r.minMs], ['ms/step (median)', (r) => r.perStepMs], ['note', (r) => r.note]]));
  }
  const shownRatios = ratios.filter((r) => r.ratio !== undefined);
  if (shownRatios.length) {
    out.push('\nRatios (time ÷ time; < 1 means the first is faster):\n');
    out.push(mdTable(shownRatios, [['ratio', (r) => r.what], ['× (medians)', (r) => r.ratio], ['× (fastest runs)', (r) => r.ratioOfFastest]]));
  }
  if (Object.keys(memory).length) {
    out.push('\nWGSL path, buffer pool (bytes the pool created; weights are pool buffers too):\n');
    const rows: Array<[string, number | undefined]> = [
      ['DiT weights on the GPU (f16 linear weights, f32 biases)', memory.weightBytes],
      ['peak during one forward (weights included)', memory.forwardPeakAllocatedBytes],
      ['  of which activations and inputs', memory.forwardPeakAllocatedBytes !== undefined ? memory.forwardPeakAllocatedBytes - memory.weightBytes : undefined],
      [`peak during one 2-s generation's denoising loop (${wgslSteps} steps run${wgslSteps < steps ? '; the pool creates no buffer after step 1' : ''}; weights included)`, memory.generationPeakAllocatedBytes],
      ['  of which activations, latents, text', memory.generationPeakAllocatedBytes !== undefined ? memory.generationPeakAllocatedBytes - memory.weightBytes : undefined],
      ['Chromium page: peak during one forward (weights included)', memory.browserForwardPeakAllocatedBytes],
    ];
    out.push(mdTable(rows.filter(([, v]) => v !== undefined), [['what', (r) => r[0]], ['bytes', (r) => r[1]], ['MiB', (r) => (r[1]! / 2 ** 20).toFixed(3)]]));
  }
  if (siteRows.length) {
    out.push(`\nWhole 2-s 1:1 generation through the built site, headless Chromium (${steps} steps, guidance ${guidance}; model already loaded by a 1-step warm-up; times from the call, ms):\n`);
    out.push(mdTable(siteRows, [['backend', (r) => r.backend], ['denoiser', (r) => r.label], ['elapsed (page)', (r) => r.elapsedMs], ['text at', (r) => r.textAtMs], ['1st step at', (r) => r.firstStepAtMs], ['decode at', (r) => r.decodeAtMs], ['encode at', (r) => r.encodeAtMs], ['wall', (r) => r.wallMs], ['ms/step', (r) => r.perStepMs], ['note', (r) => r.note]]));
  }
  if (takeRows.length) {
    out.push(`\nTakes of one 2-s 1:1 prompt (Make N), built site, headless Chromium (${steps} steps; model loaded by a warm-up; s per take):\n`);
    out.push(mdTable(takeRows, [['backend', (r) => r.backend], ['denoiser', (r) => r.label], ['alone (1 take)', (r) => r.aloneS], ['in a batch of 4 (wall ÷ 4)', (r) => r.batchPerTakeS], ['batch ÷ alone', (r) => (r.aloneS && r.batchPerTakeS ? r.batchPerTakeS / r.aloneS : undefined)], ['note', (r) => r.note]]));
  }
  if (longRows.length) {
    out.push(`\nA 60-s 1:1 video through the built site, wasm (${steps} steps, window by window; model loaded by a warm-up; ms):\n`);
    out.push(mdTable(longRows, [['backend', (r) => r.backend], ['denoiser', (r) => r.label], ['elapsed (page)', (r) => r.elapsedMs], ['wall', (r) => r.wallMs], ['note', (r) => r.note]]));
  }
  const download = { wasm: downloadBytes(manifest, 'wasm'), webgpu: downloadBytes(manifest, 'webgpu') };
  out.push(`\nDownload a visitor needs: ${mib(download.webgpu)} on WebGPU, ${mib(download.wasm)} on wasm (the files of filesForEngine; once, then IndexedDB).`);
  if (startRows.length) {
    out.push('\nStart-up (built site, wasm backend, 1-step 2-s generation; ms):\n');
    out.push(mdTable(startRows, [['start', (r) => r.kind], ['page → automation ready', (r) => r.readyMs], ['generate → model ready', (r) => r.modelReadyMs], ['generate → 1st step', (r) => r.firstStepMs], ['page → 1st step', (r) => r.totalMs], ['model progress events', (r) => (r.downloadEvents === undefined ? '' : String(r.downloadEvents))], ['note', (r) => r.note]]));
  }
  out.push(`\nModel benchmark ran in ${(wallMs / 1000).toFixed(0)} s.`);
  console.log(out.join('\n'));

  const report = {
    date: new Date().toISOString(), model: modelId, parameters: params, shape, gflop, steps, guidance,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageAtStart: load },
    nodeAdapter, chromium: browser ? { adapter: browser.adapter, isFallbackAdapter: browser.isFallbackAdapter, crossOriginIsolated: browser.crossOriginIsolated, userAgent: browser.userAgent } : undefined,
    cpuFigures: cpuAdapter, forward: forwardRows, denoise: denoiseRows, ratios, memory, site: siteRows, takes: takeRows, long: longRows, start: startRows, download, seconds: wallMs / 1000,
  };
  const path = flags.out ?? `bench-results/model-${modelId}.json`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2));
  console.log(`JSON: ${path}`);
  return report;
}

// ---- the Chromium page ---------------------------------------------------------------------------

async function runBrowserPage(modelId: string, shape: ForwardShape, reps: number): Promise<BrowserBenchResults> {
  const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}/tests/browser/bench-ort.html?model=${encodeURIComponent(modelId)}&reps=${reps}&cpuReps=${cpuReps(reps)}&batch=${shape.batch}&frames=${shape.frames}&height=${shape.height}&width=${shape.width}`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { __benchResults?: { done: boolean } }).__benchResults?.done === true, undefined, { timeout: 480_000, polling: 1000 });
    return (await page.evaluate(() => (globalThis as unknown as { __benchResults: BrowserBenchResults }).__benchResults));
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---- the built site ------------------------------------------------------------------------------

interface SiteRun {
  elapsedMs: number;
  wallMs: number;
  label: string;
  phases: Partial<Record<'model' | 'text' | 'denoise' | 'decode' | 'encode', number>>;
  downloadEvents: number;
}

type ProgressLike = { phase: 'model' | 'text' | 'denoise' | 'decode' | 'encode'; download?: unknown };

async function siteGenerate(page: import('@playwright/test').Page, o: { backend: 'wasm' | 'webgpu'; steps: number; modelId: string; seconds?: number }): Promise<SiteRun> {
  try {
    return await siteGenerateOnce(page, o);
  } catch (err) {
    // The service worker may reload the page once (cross-origin isolation, src/app/isolation.ts): wait and retry once.
    if (!/Execution context was destroyed|navigation/i.test((err as Error).message)) throw err;
    log('  the page navigated (service worker reload); retrying once');
    await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
    return siteGenerateOnce(page, o);
  }
}

async function siteGenerateOnce(page: import('@playwright/test').Page, o: { backend: 'wasm' | 'webgpu'; steps: number; modelId: string; seconds?: number }): Promise<SiteRun> {
  // Progress is timed in the page (performance.now at the event), relative to the call.
  const result = await page.evaluate(async (o) => {
    const k = (globalThis as unknown as { kinora: { generate(r: unknown, p: (x: ProgressLike) => void): Promise<{ elapsedMs: number; backend: { label: string } }> } }).kinora;
    const phases: Record<string, number> = {};
    let downloadEvents = 0;
    const t0 = performance.now();
    const r = await k.generate({ prompt: 'a red ball bounces on the grass', seconds: o.seconds ?? 2, aspect: '1:1', seed: 7, steps: o.steps, modelId: o.modelId, backend: o.backend }, (p) => {
      phases[p.phase] ??= performance.now() - t0;
      if (p.download) downloadEvents++;
    });
    return { elapsedMs: r.elapsedMs, wallMs: performance.now() - t0, label: r.backend.label, phases, downloadEvents };
  }, o);
  return result as SiteRun;
}

interface TakeRow {
  backend: 'wasm' | 'webgpu';
  label?: string;
  aloneS?: number;
  batchPerTakeS?: number;
  note?: string;
}

/** Seconds of one take made alone, and per take of 4 made as one batch (generateTakes), on `backend`. */
async function siteTakes(page: import('@playwright/test').Page, o: { backend: 'wasm' | 'webgpu'; steps: number; modelId: string }): Promise<TakeRow> {
  const times = await page.evaluate(async (o) => {
    const k = (globalThis as unknown as { kinora: { generate(r: unknown): Promise<{ backend: { label: string } }>; generateTakes(r: unknown, n: number): Promise<unknown[]> } }).kinora;
    const request = { prompt: 'a red ball bounces on the grass', seconds: 2, aspect: '1:1', seed: 7, steps: o.steps, modelId: o.modelId, backend: o.backend };
    let t0 = performance.now();
    const alone = await k.generate(request);
    const aloneMs = performance.now() - t0;
    t0 = performance.now();
    await k.generateTakes(request, 4);
    return { label: alone.backend.label, aloneMs, batchMs: performance.now() - t0 };
  }, o);
  return { backend: o.backend, label: times.label, aloneS: times.aloneMs / 1000, batchPerTakeS: times.batchMs / 4000 };
}

async function coldWarmStart(url: string, modelId: string): Promise<StartRow[]> {
  const profile = mkdtempSync(join(tmpdir(), 'kinora-bench-profile-'));
  const rows: StartRow[] = [];
  try {
    for (const kind of ['cold', 'warm', 'warm'] as const) {
      const context = await launchChromiumWithProfile(profile);
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        const t0 = Date.now();
        await page.goto(url);
        await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
        const readyMs = Date.now() - t0;
        const r = await siteGenerate(page, { backend: 'wasm', steps: 1, modelId });
        rows.push({ kind, readyMs, modelReadyMs: r.phases.text, firstStepMs: r.phases.denoise, totalMs: readyMs + (r.phases.denoise ?? NaN), downloadEvents: r.downloadEvents, note: kind === 'warm' ? 'same profile, browser relaunched' : 'fresh profile' });
      } finally {
        await context.close();
      }
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return rows;
}

export async function main(args: string[]): Promise<number> {
  const { flags, rest } = takeModelFlags(args);
  if (rest.length) throw new Error(`Unknown flag ${rest[0]}. Flags: ${MODEL_FLAG_HELP}.`);
  await runModelBench(flags);
  return 0;
}
