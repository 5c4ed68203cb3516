// Widens stored weights to float32 on the CPU, for adapters without `shader-f16`: F16 through
// a 65,536-entry table built once from the one half-float decoder (src/gpu/half-float.ts), so
// a weight costs one lookup; BF16 is the top half of a float32, so a shift suffices.
import { fromHalfBits } from '../../gpu/half-float';
import type { SafeTensor } from './safetensors';

let halfTable: Float32Array | undefined;

/** F16 bit patterns → float32 values, exact (every half is a float). */
export function halfBitsToFloat32(bits: Uint16Array): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = fromHalfBits(h);
  }
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfTable[bits[i]];
  return out;
}

/** BF16 bit patterns → float32 values, exact. */
export function bfloat16BitsToFloat32(bits: Uint16Array): Float32Array {
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = bits[i] << 16;
  return new Float32Array(out.buffer);
}

/** A floating-point tensor's values as float32: F32 as the view it already is, F16/BF16 widened (a new array). */
export function tensorToFloat32(tensor: SafeTensor): Float32Array {
  switch (tensor.dtype) {
    case 'F32':
      return tensor.data as Float32Array;
    case 'F16':
      return halfBitsToFloat32(tensor.data as Uint16Array);
    case 'BF16':
      return bfloat16BitsToFloat32(tensor.data as Uint16Array);
    default:
      throw new TypeError(`Tensor ${tensor.name} is ${tensor.dtype}, not a floating-point type that widens to float32.`);
  }
}
