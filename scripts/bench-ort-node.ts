// Child process of the model benchmark (scripts/bench-model.ts): onnxruntime-web's wasm provider
// in Node on a model's dit.onnx, with a given thread count. A separate process per thread count
// because ORT reads env.wasm.numThreads once, when its WebAssembly starts.
//   node scripts/run-ts.mjs scripts/bench-ort-node.ts --dir tests/fixtures/models/tiny --threads 2 \
//        --shape 2,4,16,8,8 --text 64,64 --reps 5 --steps 16 --guidance 3
// Prints one JSON line: forward median and all times (ms, after a warm-up of ≥ 10 runs and ≥ 2 s), and a whole guided
// Euler denoising loop of --steps steps (same sampler as the site's wasm path: cond + uncond
// batched, one ORT run per step, the CFG/Euler arithmetic in JS).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { seeded, timeRuns, median } from './bench-dit-shared';

function arg(args: string[], name: string, fallback?: string): string {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? args[i + 1] : fallback;
  if (v === undefined) throw new Error(`bench-ort-node: --${name} is required`);
  return v;
}

export async function main(args: string[]): Promise<number> {
  const dir = arg(args, 'dir');
  const threads = Number(arg(args, 'threads', '1'));
  const [B, C, T, H, W] = arg(args, 'shape').split(',').map(Number);
  const [L, dText] = arg(args, 'text').split(',').map(Number);
  const reps = Number(arg(args, 'reps', '5'));
  const steps = Number(arg(args, 'steps', '16'));
  const guidance = Number(arg(args, 'guidance', '3'));

  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  const t0 = performance.now();
  // dit.onnx may read its weights from other files of the model (ONNX external data; the manifest lists them)
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const externalData = ((manifest.files['dit.onnx']?.external_data ?? []) as string[]).map((path) => ({ path, data: new Uint8Array(readFileSync(join(dir, path))) }));
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir, 'dit.onnx'))), { executionProviders: ['wasm'], graphOptimizationLevel: 'all', externalData });
  const loadMs = performance.now() - t0;

  const mask = new Float32Array(B * L);
  mask.fill(1, 0, 6); // a 6-word prompt, then the empty caption
  const text = new ort.Tensor('float32', seeded(B * L * dText, 3), [B, L, dText]);
  const textMask = new ort.Tensor('float32', mask, [B, L]);
  const feeds = {
    x: new ort.Tensor('float32', seeded(B * C * T * H * W, 1), [B, C, T, H, W]),
    t: new ort.Tensor('float32', seeded(B * T, 2).map((v) => 0.5 + 0.5 * v), [B, T]),
    text,
    text_mask: textMask,
  };
  const run = async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose();
  };
  const forward = await timeRuns(run, reps, 10, 2000);

  // The denoising loop, batch 2 (cond, uncond) as the site runs it.
  const n = C * T * H * W;
  const denoise = async () => {
    const z = seeded(n, 9);
    for (let i = 0; i < steps; i++) {
      const t = 1 - i / steps;
      const tNext = 1 - (i + 1) / steps;
      const xb = new Float32Array(2 * n);
      xb.set(z, 0);
      xb.set(z, n);
      const out = await session.run({ x: new ort.Tensor('float32', xb, [2, C, T, H, W]), t: new ort.Tensor('float32', new Float32Array(2 * T).fill(t), [2, T]), text, text_mask: textMask });
      const v = out.v.data as Float32Array;
      for (let k = 0; k < n; k++) z[k] += (tNext - t) * (v[n + k] + guidance * (v[k] - v[n + k]));
      for (const o of Object.values(out)) o.dispose();
    }
  };
  const denoiseAll: number[] = [];
  if (B === 2 && steps > 0) {
    // (warm already from the forwards)
    for (let i = 0; i < 2; i++) {
      const s = performance.now();
      await denoise();
      denoiseAll.push(performance.now() - s);
    }
  }
  await session.release();
  console.log(JSON.stringify({ threads, requestedThreads: threads, effectiveThreads: ort.env.wasm.numThreads, loadMs, forwardMs: forward.medianMs, forwardAll: forward.allMs, warmups: forward.warmups, denoiseMs: denoiseAll.length ? median(denoiseAll) : undefined, denoiseAll }));
  return 0;
}
