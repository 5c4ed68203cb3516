// Chooses where the denoiser runs for a request, and says why in words the page can show.
import { GpuUnavailableError, type GpuContext } from '../gpu/device';
import type { DenoiserEngine, Engine } from '../model/denoiser';
import { OnnxWasmEngine } from '../model/onnx-denoiser';
import { onnxThreadCount } from '../model/onnx-runtime';
import { WgslEngine } from '../model/wgsl-denoiser';
import type { BackendChoice } from './api';

export interface ChosenBackend {
  kind: Engine;
  label: string;
  reason: string;
  /** The engine that builds the model's denoiser: the same object for the same device, so the model keeps its DiT. */
  engine: DenoiserEngine;
  gpu?: GpuContext;
}

const wasmEngine = new OnnxWasmEngine();
const wgslEngines = new WeakMap<GPUDevice, WgslEngine>();

function wgslEngine(device: GPUDevice): WgslEngine {
  let engine = wgslEngines.get(device);
  if (!engine) wgslEngines.set(device, (engine = new WgslEngine(device)));
  return engine;
}

/** Names the thread count onnxruntime-web runs on (several only where the page is cross-origin isolated). */
function wasmLabel(): string {
  const threads = onnxThreadCount();
  return `WebAssembly on the CPU (onnxruntime-web, ${threads} ${threads === 1 ? 'thread' : 'threads'})`;
}
const WEBGPU_LABEL = 'WebGPU (Kinora’s WGSL kernels)';

export async function chooseBackend(choice: BackendChoice, gpu: () => Promise<GpuContext>): Promise<ChosenBackend> {
  const wasm = (reason: string): ChosenBackend => ({ kind: 'wasm', label: wasmLabel(), reason, engine: wasmEngine });
  const webgpu = (reason: string, context: GpuContext): ChosenBackend => ({ kind: 'webgpu', label: WEBGPU_LABEL, reason, engine: wgslEngine(context.device), gpu: context });
  if (choice === 'wasm') return wasm('chosen in the settings');
  let context: GpuContext;
  try {
    context = await gpu();
  } catch (err) {
    if (choice === 'webgpu') throw err;
    const why = err instanceof GpuUnavailableError ? err.message : 'WebGPU failed to start';
    return wasm(`no usable GPU (${why})`);
  }
  if (choice === 'webgpu') return webgpu('chosen in the settings', context);
  if (context.facts.isFallbackAdapter) {
    return wasm(`the only GPU adapter is a CPU emulation (${context.facts.architecture || context.facts.description || 'software'}), on which WebAssembly is much faster`);
  }
  return webgpu(`a GPU adapter is available (${context.facts.vendor} ${context.facts.architecture})`.trim(), context);
}
