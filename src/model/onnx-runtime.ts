// onnxruntime-web, configured to load its WebAssembly from this site (never a CDN) and to
// run the small ONNX parts of the model (text encoder, VAE) on its wasm provider.
//
// Why wasm and not the WebGPU provider for now: these parts are small (a 2-layer text encoder,
// a per-frame conv VAE), ORT's WebGPU provider can only adopt a GPUDevice before its first
// session (so it could not follow our device after a loss), and on CPU-emulated adapters it is
// ~100× slower than wasm (docs/machines-without-gpu.md). The DiT, where the time goes, is ours in
// WGSL (or, on such adapters, dit.onnx on this same wasm provider).
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';

let configured = false;

/**
 * How many threads onnxruntime-web runs on: min(4, cores) where the page is cross-origin isolated
 * (SharedArrayBuffer exists; see src/app/isolation.ts), else 1. Once ORT has started this is the
 * count it really uses: it writes 1 back into env.wasm.numThreads if threads turn out impossible.
 */
export function onnxThreadCount(): number {
  if (configured) return ort.env.wasm.numThreads ?? 1;
  return plannedThreads();
}

function plannedThreads(): number {
  // Threads need SharedArrayBuffer, which needs cross-origin isolation; without it, one thread.
  const shared = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  return shared ? Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency || 1)) : 1;
}

/**
 * Hands ORT its WebAssembly directly, for Node (tests, command-line tools), where there is no
 * site to fetch it from. Call before the first model loads.
 */
export function useOnnxWasmBinary(bytes: Uint8Array): void {
  ort.env.wasm.wasmBinary = bytes;
}

function configure(): void {
  if (configured) return;
  const threads = plannedThreads();
  if (!ort.env.wasm.wasmBinary) {
    // With threads, ORT must load its Emscripten loader as its own file: each extra thread is a
    // Worker started from that script's own URL. Left to the copy embedded in ort's bundle, the
    // URL would be our whole generation worker's chunk (where Vite put the bundle), so every
    // thread would boot a second Kinora worker. Both files come from this site (`?url` assets,
    // precached by the service worker), never a CDN. With one thread the embedded copy serves.
    ort.env.wasm.wasmPaths =
      threads > 1
        ? { mjs: new URL(mjsUrl, import.meta.url).href, wasm: new URL(wasmUrl, import.meta.url).href }
        : { wasm: new URL(wasmUrl, import.meta.url).href };
  }
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  configured = true;
}

export type OnnxTensorData = Float32Array | BigInt64Array | Int32Array;

/** One ONNX graph, loaded from bytes the model loader verified. */
export class OnnxModel {
  private constructor(
    readonly name: string,
    private readonly session: ort.InferenceSession,
  ) {}

  /** `externalData`: the files the graph's weights point into, by the name the graph uses. */
  static async load(name: string, bytes: Uint8Array, externalData: { path: string; data: Uint8Array }[] = []): Promise<OnnxModel> {
    configure();
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', externalData });
      return new OnnxModel(name, session);
    } catch (err) {
      throw new Error(`The model part "${name}" could not be loaded by onnxruntime-web: ${(err as Error).message}`);
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs the graph; inputs are given as (data, dims) by name, outputs come back as Float32Arrays with dims. */
  async run(inputs: Record<string, { data: OnnxTensorData; dims: readonly number[] }>): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [key, { data, dims }] of Object.entries(inputs)) {
      const type = data instanceof Float32Array ? 'float32' : data instanceof BigInt64Array ? 'int64' : 'int32';
      feeds[key] = new ort.Tensor(type, data, dims);
    }
    const results = await this.session.run(feeds);
    const out: Record<string, { data: Float32Array; dims: number[] }> = {};
    for (const [key, tensor] of Object.entries(results)) {
      out[key] = { data: tensor.data as Float32Array, dims: [...tensor.dims] };
      tensor.dispose();
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
