// The in-browser half of the model benchmark (scripts/bench-model.ts opens tests/browser/bench-ort.html
// through a Vite dev server): one DiT forward at the same shape and inputs on
//   ort-webgpu  onnxruntime-web's WebGPU provider (the default 'onnxruntime-web' bundle, JSEP) on dit.onnx,
//   ort-wasm    the same bundle's wasm provider (threads only under cross-origin isolation, which the
//               dev server does not give: one thread),
//   wgsl        our WGSL graph (DitGraph) on dit.safetensors, with the buffer pool's peaks,
// each timed as the median of `reps` after a warm-up, the output read back to the CPU in all three.
// ORT's WebAssembly comes from this server (wasmPaths), never a CDN. Results: window.__benchResults.
import * as ort from 'onnxruntime-web';
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import { acquireGpu } from '../../src/gpu/device';
import { KernelOps } from '../../src/gpu/ops';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { DitGraph } from '../../src/model/dit-graph';
import { conditionTokens, type ModelManifest } from '../../src/model/manifest';
import { ditInputs, timeRuns, type ForwardShape } from '../../scripts/bench-dit-shared';

export interface BrowserBenchRow {
  engine: 'ort-webgpu' | 'ort-wasm' | 'wgsl';
  ok: boolean;
  error?: string;
  loadMs?: number;
  medianMs?: number;
  allMs?: number[];
  warmups?: number;
  threads?: number;
  /** WGSL only: buffer pool bytes after loading the weights, and peaks during one forward. */
  weightBytes?: number;
  peakAllocatedBytes?: number;
  peakInUseBytes?: number;
  /** Largest |difference| of this engine's output from ort-wasm's (a sanity check that all ran the same model). */
  maxAbsDiffFromWasm?: number;
}

export interface BrowserBenchResults {
  done: boolean;
  adapter?: string;
  isFallbackAdapter?: boolean;
  crossOriginIsolated: boolean;
  userAgent: string;
  rows: BrowserBenchRow[];
}

const results: BrowserBenchResults = { done: false, crossOriginIsolated: globalThis.crossOriginIsolated === true, userAgent: navigator.userAgent, rows: [] };
(globalThis as { __benchResults?: BrowserBenchResults }).__benchResults = results;

const status = (text: string) => {
  document.getElementById('status')!.textContent = text;
  document.getElementById('results')!.textContent = JSON.stringify(results, null, 1);
};

async function fetchBytes(url: string): Promise<Uint8Array<ArrayBuffer>> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const maxAbsDiff = (a: Float32Array, b: Float32Array | undefined) => {
  if (!b || a.length !== b.length) return undefined;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const model = q.get('model') ?? 'tiny';
  const reps = Number(q.get('reps') ?? 3);
  const cpuReps = Number(q.get('cpuReps') ?? 15); // ort-wasm: 10–100 ms a run
  const engines = (q.get('engines') ?? 'ort-wasm,ort-webgpu,wgsl').split(',');
  const base = `/models/${model}/`;
  const manifest = (await (await fetch(`${base}manifest.json`)).json()) as ModelManifest;
  const arch = manifest.architecture.dit;
  const shape: ForwardShape = {
    batch: Number(q.get('batch') ?? 2),
    frames: Number(q.get('frames') ?? 16),
    height: Number(q.get('height') ?? 8),
    width: Number(q.get('width') ?? 8),
    textTokens: conditionTokens(manifest),
  };
  const inputs = ditInputs(arch, shape);
  const onnxBytes = await fetchBytes(`${base}dit.onnx`);
  // its weights may be in dit.safetensors (ONNX external data, listed by the manifest)
  const externalData = await Promise.all((manifest.files['dit.onnx']?.external_data ?? []).map(async (path) => ({ path, data: await fetchBytes(`${base}${path}`) })));

  ort.env.wasm.wasmPaths = { wasm: jsepWasmUrl };
  ort.env.wasm.numThreads = results.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  let reference: Float32Array | undefined;

  for (const engine of ['ort-wasm', 'ort-webgpu'] as const) {
    if (!engines.includes(engine)) continue;
    status(`${engine}…`);
    const row: BrowserBenchRow = { engine, ok: false, threads: engine === 'ort-wasm' ? ort.env.wasm.numThreads as number : undefined };
    results.rows.push(row);
    try {
      const t0 = performance.now();
      const session = await ort.InferenceSession.create(onnxBytes, { executionProviders: [engine === 'ort-wasm' ? 'wasm' : 'webgpu'], graphOptimizationLevel: 'all', externalData });
      row.loadMs = performance.now() - t0;
      const feeds = {
        x: new ort.Tensor('float32', inputs.x, inputs.xDims),
        t: new ort.Tensor('float32', inputs.t, inputs.tDims),
        text: new ort.Tensor('float32', inputs.text, inputs.textDims),
        text_mask: new ort.Tensor('float32', inputs.mask, inputs.maskDims),
      };
      let last: Float32Array | undefined;
      const timing = await timeRuns(async () => {
        const out = await session.run(feeds);
        last = (await out.v.getData()) as Float32Array;
        for (const t of Object.values(out)) t.dispose();
      }, engine === 'ort-wasm' ? cpuReps : reps, engine === 'ort-wasm' ? 10 : 1, engine === 'ort-wasm' ? 2000 : 0);
      Object.assign(row, { ok: true, medianMs: timing.medianMs, allMs: timing.allMs, warmups: timing.warmups });
      if (engine === 'ort-wasm') reference = last;
      else row.maxAbsDiffFromWasm = maxAbsDiff(last!, reference);
      await session.release();
    } catch (err) {
      row.error = (err as Error).message;
    }
  }

  if (engines.includes('wgsl')) {
    status('wgsl…');
    const row: BrowserBenchRow = { engine: 'wgsl', ok: false };
    results.rows.push(row);
    try {
      const { device, facts } = await acquireGpu(navigator.gpu);
      results.adapter = `${facts.vendor} ${facts.architecture} ${facts.device || facts.description}`.trim();
      results.isFallbackAdapter = facts.isFallbackAdapter;
      const rt = new KernelRuntime(device);
      const t0 = performance.now();
      const dit = DitGraph.fromSafetensors(new KernelOps(rt), manifest, await fetchBytes(`${base}dit.safetensors`));
      await rt.finish();
      row.loadMs = performance.now() - t0;
      row.weightBytes = rt.pool.getStats().allocatedBytes;
      const xs = rt.upload(inputs.x, inputs.xDims);
      const ts = rt.upload(inputs.t, inputs.tDims);
      const tx = rt.upload(inputs.text, inputs.textDims);
      const mask = rt.upload(inputs.mask, inputs.maskDims);
      const pooled = dit.pooledText(tx, inputs.mask, inputs.xDims[2]); // format 2's pooled text, once
      let last: Float32Array | undefined;
      const forward = async () => {
        const v = dit.forward(xs, ts, tx, mask, pooled);
        last = await rt.read(v);
        v.release();
      };
      await forward(); // compiles the pipelines
      rt.pool.resetPeak();
      const timing = await timeRuns(forward, reps, 1, 0);
      const stats = rt.pool.getStats();
      Object.assign(row, { ok: true, medianMs: timing.medianMs, allMs: timing.allMs, warmups: timing.warmups + 1, peakAllocatedBytes: stats.peakAllocatedBytes, peakInUseBytes: stats.peakInUseBytes });
      row.maxAbsDiffFromWasm = maxAbsDiff(last!, reference);
      for (const t of [xs, ts, tx, mask]) t.release();
      dit.release();
      device.destroy();
    } catch (err) {
      row.error = (err as Error).message;
    }
  }
  if (!results.adapter && navigator.gpu) {
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter) results.adapter = `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.device || adapter.info.description}`.trim();
  }
  results.done = true;
  status('done');
}

main().catch((err) => {
  results.rows.push({ engine: 'wgsl', ok: false, error: `page: ${(err as Error).message}` });
  results.done = true;
  status(`failed: ${(err as Error).message}`);
});
