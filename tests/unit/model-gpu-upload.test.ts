// uploadTensor on a real WebGPU (Dawn on SwiftShader): the bytes that land in the GPUBuffer,
// F16 kept or widened to F32 as the device allows, and odd F16 counts padded to whole words.
import { afterAll, describe, expect, it } from 'vitest';
import { toHalfArray } from '../../src/gpu/half-float';
import { parseSafetensors } from '../../src/model/loader/safetensors';
import { uploadTensor } from '../../src/model/loader/upload-tensor';
import { nodeGpuDevice } from '../kernels/node-gpu';
import { buildSafetensors, bytesOf } from './model-test-helpers';

const created: GPUBuffer[] = [];
afterAll(() => created.forEach((b) => b.destroy()));

/** The buffer's contents; it must have COPY_SRC (without it the copy is invalid and reads zeros). */
async function readBack(device: GPUDevice, buffer: GPUBuffer): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.destroy();
  return copy;
}

const values = [0.5, -1.25, 3, 1024, -0.0009765625];
const file = parseSafetensors(
  buildSafetensors({
    odd_half: { dtype: 'F16', shape: [5], data: bytesOf(toHalfArray(values)) },
    single: { dtype: 'F32', shape: [1, 2], data: bytesOf(new Float32Array([7, -8])) },
  }),
);

describe('uploadTensor', () => {
  it('widens F16 to F32 when the device lacks shader-f16', async () => {
    const device = await nodeGpuDevice();
    const up = uploadTensor(device, file.tensors.get('odd_half')!, { keepF16: false, usage: GPUBufferUsage.COPY_SRC });
    created.push(up.buffer);
    expect(up.dtype).toBe('f32');
    expect(up.shape).toEqual([5]);
    expect(up.buffer.size).toBe(20);
    expect([...new Float32Array(await readBack(device, up.buffer))]).toEqual(values);
  });

  it('keeps F16 as F16 when asked, padding an odd count to a whole word', async () => {
    const device = await nodeGpuDevice();
    const up = uploadTensor(device, file.tensors.get('odd_half')!, { keepF16: true, usage: GPUBufferUsage.COPY_SRC });
    created.push(up.buffer);
    expect(up.dtype).toBe('f16');
    expect(up.buffer.size).toBe(12);
    const halves = new Uint16Array(await readBack(device, up.buffer));
    expect([...halves.subarray(0, 5)]).toEqual([...toHalfArray(values)]);
    expect(halves[5]).toBe(0);
  });

  it('uploads F32 as it is, as a storage buffer', async () => {
    const device = await nodeGpuDevice();
    const up = uploadTensor(device, file.tensors.get('single')!, { keepF16: true, usage: GPUBufferUsage.COPY_SRC });
    created.push(up.buffer);
    expect(up.dtype).toBe('f32');
    expect(up.buffer.usage & GPUBufferUsage.STORAGE).toBeTruthy();
    expect([...new Float32Array(await readBack(device, up.buffer))]).toEqual([7, -8]);
  });
});
