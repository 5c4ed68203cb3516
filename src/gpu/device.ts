// Acquires the one GPUDevice a worker owns: asks for an adapter, raises the limits the
// kernels need up to what the adapter allows, turns on the optional features we use,
// and describes the result in plain data the UI can show.

/** Optional features Kinora uses when the adapter has them (each has an f32/plain fallback). */
export const WANTED_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'] as const satisfies readonly GPUFeatureName[];

/** Limits raised to the adapter's maximum: long clips need big storage bindings and workgroup memory. */
export const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
] as const;

export type RaisedLimit = (typeof RAISED_LIMITS)[number];

/** What the UI shows about the GPU; plain data so it crosses the worker boundary. */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (SwiftShader, WARP, llvmpipe): correct but about 100× slower than a GPU. */
  isFallbackAdapter: boolean;
  /** Every feature the adapter offers. */
  adapterFeatures: string[];
  /** The features we turned on for our device. */
  enabledFeatures: string[];
  /** Each raised limit: the WebGPU default and what our device got. */
  limits: Record<RaisedLimit, { default: number; granted: number }>;
}

export type DeviceLossCause = 'destroyed' | 'unknown';

export interface GpuContext {
  device: GPUDevice;
  facts: AdapterFacts;
  /** Resolves when the device is lost, for whatever reason. */
  lost: Promise<{ reason: DeviceLossCause; message: string }>;
}

/** Why no device could be had; each has its own message for the user. */
export class GpuUnavailableError extends Error {
  constructor(
    readonly kind: 'no-webgpu' | 'no-adapter' | 'device-refused',
    message: string,
  ) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

// WebGPU's spec defaults, so the UI can show what was raised above them.
const SPEC_DEFAULTS: Record<RaisedLimit, number> = {
  maxBufferSize: 268_435_456,
  maxStorageBufferBindingSize: 134_217_728,
  maxComputeWorkgroupStorageSize: 16_384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxStorageBuffersPerShaderStage: 8,
};

function isFallback(adapter: GPUAdapter, info: GPUAdapterInfo): boolean {
  // `isFallbackAdapter` moved from the adapter to its info in the spec; browsers differ.
  const flag = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return flag === true || /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info.architecture} ${info.description} ${info.device}`);
}

/** Requests an adapter and a device from `gpu` (navigator.gpu, or Dawn's in Node). */
export async function acquireGpu(gpu: GPU | undefined): Promise<GpuContext> {
  if (!gpu) {
    throw new GpuUnavailableError('no-webgpu', 'This browser has no WebGPU.');
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new GpuUnavailableError('no-adapter', 'The browser has WebGPU but gave no GPU adapter (the GPU or its driver may be blocklisted, or WebGPU is switched off).');
  }
  const enabledFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];

  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures: enabledFeatures, requiredLimits, label: 'kinora' });
  } catch (err) {
    throw new GpuUnavailableError('device-refused', `The GPU adapter refused to create a device: ${(err as Error).message}`);
  }

  const info = adapter.info;
  const limits = {} as AdapterFacts['limits'];
  for (const name of RAISED_LIMITS) limits[name] = { default: SPEC_DEFAULTS[name], granted: device.limits[name] };

  const facts: AdapterFacts = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: isFallback(adapter, info),
    adapterFeatures: [...adapter.features].map(String).sort(),
    enabledFeatures: [...enabledFeatures],
    limits,
  };
  const lost = device.lost.then((l) => ({ reason: l.reason as DeviceLossCause, message: l.message }));
  return { device, facts, lost };
}
