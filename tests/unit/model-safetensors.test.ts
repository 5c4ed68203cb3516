// The safetensors reader: views into the file's one buffer (no copies unless misaligned),
// every dtype Kinora reads, clear errors for broken headers, and F16/BF16 widening to F32.
import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfArray } from '../../src/gpu/half-float';
import { SafetensorsFormatError } from '../../src/model/loader/errors';
import { parseSafetensors } from '../../src/model/loader/safetensors';
import { bfloat16BitsToFloat32, halfBitsToFloat32, tensorToFloat32 } from '../../src/model/loader/to-float32';
import { buildSafetensors, bytesOf, rawSafetensors } from './model-test-helpers';

const weights = new Float32Array([1.5, -2, 0.25, 3, 4, -5]);
const halves = toHalfArray([1, -2, 0.5, 65504, 2 ** -24]);
const bf16 = new Uint16Array([0x3f80, 0xc000, 0x4049]); // 1, -2, 3.140625

function sample(pad = 0) {
  return buildSafetensors(
    {
      'blocks.0.attn.qkv.weight': { dtype: 'F32', shape: [2, 3], data: bytesOf(weights) },
      'blocks.0.norm.weight': { dtype: 'F16', shape: [5], data: bytesOf(halves) },
      'embed.scale': { dtype: 'BF16', shape: [3], data: bytesOf(bf16) },
      'mask': { dtype: 'BOOL', shape: [1, 2], data: new Uint8Array([1, 0]) },
    },
    { metadata: { format: 'kinora-dit' }, pad },
  );
}

describe('parseSafetensors', () => {
  it('reads names, dtypes, shapes, metadata and values', () => {
    const file = parseSafetensors(sample());
    expect([...file.tensors.keys()]).toEqual(['blocks.0.attn.qkv.weight', 'blocks.0.norm.weight', 'embed.scale', 'mask']);
    expect(file.metadata).toEqual({ format: 'kinora-dit' });
    const w = file.tensors.get('blocks.0.attn.qkv.weight')!;
    expect(w.dtype).toBe('F32');
    expect(w.shape).toEqual([2, 3]);
    expect(w.data).toBeInstanceOf(Float32Array);
    expect([...w.data]).toEqual([...weights]);
    expect([...file.tensors.get('blocks.0.norm.weight')!.data]).toEqual([...halves]);
    expect([...file.tensors.get('mask')!.data]).toEqual([1, 0]);
  });

  it('returns views on the file buffer, not copies, when offsets are aligned', () => {
    const bytes = sample();
    const file = parseSafetensors(bytes.buffer);
    for (const t of file.tensors.values()) {
      expect(t.bytes.buffer).toBe(bytes.buffer);
      expect(t.data.buffer).toBe(bytes.buffer);
    }
    // Writing through the view changes the file: proof that no copy was made.
    (file.tensors.get('blocks.0.attn.qkv.weight')!.data as Float32Array)[0] = 42;
    expect(parseSafetensors(bytes).tensors.get('blocks.0.attn.qkv.weight')!.data[0]).toBe(42);
  });

  it('copies only a tensor whose offset is misaligned for its element type', () => {
    // Two pad bytes: the F32 tensor starts 2 bytes past an 8-aligned data section.
    const bytes = sample(2);
    const file = parseSafetensors(bytes);
    const w = file.tensors.get('blocks.0.attn.qkv.weight')!;
    expect(w.bytes.buffer).toBe(bytes.buffer);
    expect(w.data.buffer).not.toBe(bytes.buffer);
    expect([...w.data]).toEqual([...weights]);
    // The F16 tensor after 24 bytes of F32 is at an even offset again: still a view.
    expect(file.tensors.get('blocks.0.norm.weight')!.data.buffer).toBe(bytes.buffer);
  });

  it('reads a file that is a view into a larger buffer', () => {
    const inner = sample();
    const outer = new Uint8Array(inner.byteLength + 16);
    outer.set(inner, 8);
    const file = parseSafetensors(outer.subarray(8, 8 + inner.byteLength));
    expect([...file.tensors.get('blocks.0.attn.qkv.weight')!.data]).toEqual([...weights]);
  });

  const malformed: [string, () => Uint8Array<ArrayBuffer>, RegExp][] = [
    ['shorter than 8 bytes', () => new Uint8Array(5), /shorter than the 8-byte header length/],
    ['a header length past the end', () => rawSafetensors('{}', 0, undefined, 1000n), /header claims 1000 bytes/],
    ['a header length of 2^63', () => rawSafetensors('{}', 0, undefined, 2n ** 63n), /header claims/],
    ['a header that is not JSON', () => rawSafetensors('{"a": ', 0), /not UTF-8 JSON/],
    [
      'a header that is not UTF-8',
      () => {
        const file = rawSafetensors('{"a":{}}', 0);
        file[10] = 0xff; // the "a": a byte that never occurs in UTF-8
        return file;
      },
      /not UTF-8 JSON/,
    ],
    ['a header that is a list', () => rawSafetensors('[1,2]', 0), /not a JSON object/],
    ['an unknown dtype', () => rawSafetensors('{"x":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', 1), /dtype "F8_E4M3"/],
    ['a negative dimension', () => rawSafetensors('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4), /shape \[-1\]/],
    ['missing data_offsets', () => rawSafetensors('{"x":{"dtype":"F32","shape":[1]}}', 4), /data_offsets undefined/],
    ['offsets past the data', () => rawSafetensors('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 4), /spans bytes 0..8 but the data section has 4/],
    ['a size that does not match the shape', () => rawSafetensors('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8), /needs 12 bytes, but spans 8/],
    [
      'overlapping tensors',
      () => rawSafetensors('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8),
      /tensors a and b overlap/,
    ],
    ['metadata that is not strings', () => rawSafetensors('{"__metadata__":{"n":1}}', 0), /__metadata__ is not an object of strings/],
  ];
  for (const [what, file, message] of malformed) {
    it(`rejects ${what} with a clear error`, () => {
      const attempt = () => parseSafetensors(file());
      expect(attempt).toThrow(SafetensorsFormatError);
      expect(attempt).toThrow(message);
    });
  }
});

describe('widening to float32', () => {
  it('F16: every one of the 65,536 bit patterns matches the reference decoder', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const wide = halfBitsToFloat32(all);
    for (let h = 0; h < 65536; h++) {
      const want = fromHalfBits(h);
      if (Number.isNaN(want)) expect(wide[h]).toBeNaN();
      else expect(wide[h]).toBe(want);
    }
    expect([...halfBitsToFloat32(halves)]).toEqual([1, -2, 0.5, 65504, 2 ** -24]);
  });

  it('BF16: the top half of a float32', () => {
    expect([...bfloat16BitsToFloat32(bf16)]).toEqual([1, -2, 3.140625]);
  });

  it('tensorToFloat32 returns F32 as the same view and widens F16/BF16', () => {
    const bytes = sample();
    const file = parseSafetensors(bytes);
    const f32 = tensorToFloat32(file.tensors.get('blocks.0.attn.qkv.weight')!);
    expect(f32.buffer).toBe(bytes.buffer);
    expect([...tensorToFloat32(file.tensors.get('blocks.0.norm.weight')!)]).toEqual([1, -2, 0.5, 65504, 2 ** -24]);
    expect([...tensorToFloat32(file.tensors.get('embed.scale')!)]).toEqual([1, -2, 3.140625]);
    expect(() => tensorToFloat32(file.tensors.get('mask')!)).toThrow(/BOOL, not a floating-point type/);
  });
});
