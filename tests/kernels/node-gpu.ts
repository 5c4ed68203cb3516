// The Node WebGPU harness: one GPUDevice from Dawn (the `webgpu` package) per test file.
// On machines without a GPU, Dawn runs on Chromium's SwiftShader Vulkan driver
// (VK_ICD_FILENAMES, set in vitest.config.ts); see docs/machines-without-gpu.md.
import { create, globals } from 'webgpu';

let devicePromise: Promise<GPUDevice> | undefined;
// dawn.node lives only as long as the object create() returned is reachable: once it is
// garbage-collected the instance is torn down under a live device, and mapAsync then hangs
// or SwiftShader's threads abort ("futex facility returned an unexpected error code").
// Holding it here for the life of the process keeps the device usable.
let dawnInstance: GPU | undefined;

export function nodeGpuDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    Object.assign(globalThis, globals);
    const gpu = create([]);
    dawnInstance = gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('No WebGPU adapter in Node: is Debian chromium (SwiftShader ICD) installed?');
    const wanted: GPUFeatureName[] = ['shader-f16', 'subgroups', 'timestamp-query'];
    const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
    return adapter.requestDevice({
      requiredFeatures,
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      },
    });
  })();
  return devicePromise;
}
