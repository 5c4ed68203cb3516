// Chooses where the denoiser runs for a request, and says why in words the page can show.
import { GpuUnavailableError, type GpuContext } from '../gpu/device';
import type { BackendChoice } from './api';
import { onnxThreadCount } from '../model/onnx-runtime';

export interface ChosenBackend {
  kind: 'webgpu' | 'wasm';
  label: string;
  reason: string;
  gpu?: GpuContext;
}

/** Names the thread count onnxruntime-web runs on (several only where the page is cross-origin isolated). */
function wasmLabel(): string {
  const threads = onnxThreadCount();
  return `WebAssembly on the CPU (onnxruntime-web, ${threads} ${threads === 1 ? 'thread' : 'threads'})`;
}
const WEBGPU_LABEL = 'WebGPU (Kinora’s WGSL kernels)';

export async function chooseBackend(choice: BackendChoice, gpu: () => Promise<GpuContext>): Promise<ChosenBackend> {
  if (choice === 'wasm') return { kind: 'wasm', label: wasmLabel(), reason: 'chosen in the settings' };
  let context: GpuContext;
  try {
    context = await gpu();
  } catch (err) {
    if (choice === 'webgpu') throw err;
    const why = err instanceof GpuUnavailableError ? err.message : 'WebGPU failed to start';
    return { kind: 'wasm', label: wasmLabel(), reason: `no usable GPU (${why})` };
  }
  if (choice === 'webgpu') return { kind: 'webgpu', label: WEBGPU_LABEL, reason: 'chosen in the settings', gpu: context };
  if (context.facts.isFallbackAdapter) {
    return {
      kind: 'wasm',
      label: wasmLabel(),
      reason: `the only GPU adapter is a CPU emulation (${context.facts.architecture || context.facts.description || 'software'}), on which WebAssembly is much faster`,
    };
  }
  return { kind: 'webgpu', label: WEBGPU_LABEL, reason: `a GPU adapter is available (${context.facts.vendor} ${context.facts.architecture})`.trim(), gpu: context };
}
