// The runtime every kernel host module dispatches through: one GPUDevice, its buffer pool, its
// pipeline cache, and one open command encoder that collects dispatches until submit().
// Binding 0 of every kernel is its uniform `Params`; storage buffers follow from binding 1.

import { BufferPool } from './buffer-pool';
import { PipelineCache, type PipelineKey } from './pipeline-cache';
import { BYTES_PER_ELEMENT, GpuTensor, elementCount, type DType } from './tensor';

// STORAGE | COPY_SRC | COPY_DST, spelled as numbers: in Node the GPUBufferUsage global only
// exists once the WebGPU harness has installed it, after this module is evaluated.
export const STORAGE_USAGE = 0x80 | 0x04 | 0x08;

export interface Dispatch extends PipelineKey {
  /** Packed uniform params (binding 0). */
  params: ArrayBuffer;
  /** Storage buffers by binding number (1, 2, …), exactly those the entry point uses. */
  bindings: Record<number, GPUBuffer>;
  workgroups: readonly [number, number?, number?];
}

export class KernelRuntime {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  private encoder: GPUCommandEncoder | undefined;
  private placeholderBuffer: GPUBuffer | undefined;
  private pendingUniforms: GPUBuffer[] = [];
  /** Set by the bench: each dispatch then runs in its own compute pass with timestamps. */
  timestampWrites: ((label: string) => GPUComputePassTimestampWrites | undefined) | undefined;

  constructor(readonly device: GPUDevice) {
    this.pool = new BufferPool(device);
    this.pipelines = new PipelineCache(device);
  }

  get hasF16(): boolean {
    return this.device.features.has('shader-f16');
  }

  /** A pooled tensor with undefined contents. */
  tensor(shape: readonly number[], dtype: DType = 'f32', label?: string): GpuTensor {
    // Round up to 16 bytes: kernels read in vec4 (or packed f16 quads).
    const bytes = Math.max(16, Math.ceil((elementCount(shape) * BYTES_PER_ELEMENT[dtype]) / 16) * 16);
    const buffer = this.pool.acquire(bytes, STORAGE_USAGE, label);
    return new GpuTensor(buffer, shape, dtype, (b) => this.pool.release(b));
  }

  /** A pooled f32 tensor filled from `data`. */
  upload(data: Float32Array, shape: readonly number[], label?: string): GpuTensor {
    if (data.length !== elementCount(shape)) throw new Error(`upload: ${data.length} values for shape [${shape.join(', ')}].`);
    const t = this.tensor(shape, 'f32', label);
    this.device.queue.writeBuffer(t.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return t;
  }

  /** A pooled f16 tensor from raw half-float bits (see half-float.ts). */
  uploadF16(bits: Uint16Array, shape: readonly number[], label?: string): GpuTensor {
    if (bits.length !== elementCount(shape)) throw new Error(`uploadF16: ${bits.length} values for shape [${shape.join(', ')}].`);
    const t = this.tensor(shape, 'f16', label);
    const padded = new Uint16Array(Math.ceil(bits.length / 8) * 8);
    padded.set(bits);
    this.device.queue.writeBuffer(t.buffer, 0, padded.buffer, 0, padded.byteLength);
    return t;
  }

  /** Fills a tensor with one value (tests poison outputs with NaN). */
  fill(t: GpuTensor, value: number): void {
    if (t.dtype !== 'f32') throw new Error('fill: only f32 tensors.');
    this.device.queue.writeBuffer(t.buffer, 0, new Float32Array(t.size).fill(value));
  }

  /** A 16-byte buffer bound where a kernel's optional input is switched off. */
  get placeholder(): GPUBuffer {
    this.placeholderBuffer ??= this.device.createBuffer({ size: 16, usage: STORAGE_USAGE, label: 'placeholder' });
    return this.placeholderBuffer;
  }

  dispatch(d: Dispatch): void {
    const pipeline = this.pipelines.get(d);
    const uniform = this.pool.acquire(d.params.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 'params');
    this.device.queue.writeBuffer(uniform, 0, d.params);
    this.pendingUniforms.push(uniform);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: uniform, size: d.params.byteLength } }];
    for (const [binding, buffer] of Object.entries(d.bindings)) entries.push({ binding: Number(binding), resource: { buffer } });
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries, label: d.label });
    const [x, y = 1, z = 1] = d.workgroups;
    const max = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (x > max || y > max || z > max) {
      throw new Error(`${d.label}: ${x}×${y}×${z} workgroups exceed this GPU's limit of ${max} per dimension.`);
    }
    if (x === 0 || y === 0 || z === 0) return;
    this.encoder ??= this.device.createCommandEncoder({ label: 'kinora-kernels' });
    const pass = this.encoder.beginComputePass({ label: d.label, timestampWrites: this.timestampWrites?.(d.label) });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
  }

  /** The open encoder, for copies and timestamp resolves that go between dispatches. */
  commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'kinora-kernels' });
    return this.encoder;
  }

  /** Submits what was encoded; buffers released so far become reusable. */
  submit(): void {
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = undefined;
    }
    for (const u of this.pendingUniforms) this.pool.release(u);
    this.pendingUniforms = [];
    this.pool.recycle();
  }

  /** Submits pending work and waits for the GPU to finish it. */
  async finish(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Copies a tensor back to the CPU (submits pending work first). */
  async read(t: GpuTensor): Promise<Float32Array> {
    if (t.dtype !== 'f32') throw new Error('read: only f32 tensors.');
    const bytes = Math.ceil(t.byteLength / 4) * 4;
    const staging = this.device.createBuffer({ size: Math.max(4, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.commandEncoder().copyBufferToBuffer(t.buffer, 0, staging, 0, bytes);
    this.submit();
    try {
      await staging.mapAsync(GPUMapMode.READ);
      return new Float32Array(staging.getMappedRange().slice(0));
    } finally {
      staging.destroy();
    }
  }
}

/**
 * A 1-D range of `count` threads in workgroups of `workgroupSize`, folded into x and y because one
 * grid side is capped at 65535 workgroups. Kernels recover the index as gid.x + gid.y·groups.x·size.
 */
export function linearWorkgroups(count: number, workgroupSize: number): [number, number] {
  const groups = Math.ceil(count / workgroupSize);
  if (groups <= 65535) return [groups, 1];
  const x = 65535;
  return [x, Math.ceil(groups / x)];
}
