// Puts one parsed tensor into a new GPUBuffer with queue.writeBuffer. F16 weights stay F16
// when the device has `shader-f16` (half the memory and bandwidth); otherwise they are widened
// to F32 on the CPU first. The GPU tensor runtime (src/gpu/) owns what happens next.
import type { SafeTensor } from './safetensors';
import { tensorToFloat32 } from './to-float32';

export interface UploadedTensor {
  buffer: GPUBuffer;
  shape: readonly number[];
  /** How the elements sit in `buffer`. */
  dtype: 'f16' | 'f32';
}

export interface UploadOptions {
  /** Keep F16 weights as F16: only when the device was created with `shader-f16`. */
  keepF16: boolean;
  /** Extra usages beyond STORAGE | COPY_DST. */
  usage?: GPUBufferUsageFlags;
}

export function uploadTensor(device: GPUDevice, tensor: SafeTensor, options: UploadOptions): UploadedTensor {
  const keepHalf = tensor.dtype === 'F16' && options.keepF16;
  const bytes = keepHalf ? tensor.bytes : asBytes(tensorToFloat32(tensor));
  // writeBuffer moves whole 4-byte words: an odd count of halves needs two bytes of padding.
  const size = Math.ceil(bytes.byteLength / 4) * 4;
  const buffer = device.createBuffer({
    label: tensor.name,
    size: Math.max(size, 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | (options.usage ?? 0),
  });
  const source = size === bytes.byteLength ? bytes : padded(bytes, size);
  device.queue.writeBuffer(buffer, 0, source.buffer, source.byteOffset, source.byteLength);
  return { buffer, shape: tensor.shape, dtype: keepHalf ? 'f16' : 'f32' };
}

function asBytes(values: Float32Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
}

function padded(bytes: Uint8Array<ArrayBuffer>, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}
