// One copy of each weight: kinora-small's dit.onnx keeps only its structure and reads its fp16
// weights from dit.safetensors as ONNX external data (models/kinora/onnx_external.py). The wasm
// engine must hand onnxruntime-web both files and still match the PyTorch goldens (NMSE bound 1e-5).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { OnnxModel, useOnnxWasmBinary } from '../../src/model/onnx-runtime';
import { OnnxDenoiser, OnnxWasmEngine } from '../../src/model/onnx-denoiser';
import { TextEncoderModel } from '../../src/model/text-encoder';
import { NMSE_BOUND, modelGoldens, nmse } from '../model-goldens';

const small = modelGoldens('kinora-small');
const read: string[] = [];
const source = { manifest: small.manifest, file: async (name: string) => (read.push(name), small.file(name)) };

beforeAll(() => {
  useOnnxWasmBinary(new Uint8Array(readFileSync('node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm')));
});

describe('dit.onnx with its weights in dit.safetensors', () => {
  it('is small: the weights are not in it twice', () => {
    const onnxBytes = statSync('public/models/kinora-small/dit.onnx').size;
    const weightBytes = statSync('public/models/kinora-small/dit.safetensors').size;
    expect(onnxBytes).toBeLessThan(weightBytes / 5);
  });

  it('the wasm engine reads both files and matches one PyTorch DiT forward', async () => {
    const dit = (await new OnnxWasmEngine().load(source)) as OnnxDenoiser;
    expect(read.sort()).toEqual(['dit.onnx', 'dit.safetensors']);
    const text = new TextEncoderModel(await OnnxModel.load('text_encoder.onnx', small.file('text_encoder.onnx')));
    const ids = small.golden('text.ids').data as BigInt64Array;
    const L = small.manifest.tokenizer!.max_tokens;
    const encoded = await text.encode([0, 1].map((b) => Int32Array.from([...ids.subarray(b * L, (b + 1) * L)].map(Number))));
    const x = small.golden('dit.x');
    const [B, C, T, h, w] = x.shape;
    const v = await dit.velocity(x.data as Float32Array, small.f32('dit.t'), [C, T, h, w], B, encoded);
    expect(nmse(v, small.f32('dit.v'))).toBeLessThan(NMSE_BOUND);
    await dit.release();
    await text.release();
  });

  it('without its external data, dit.onnx does not load (so the test above used the safetensors weights)', async () => {
    await expect(OnnxModel.load('dit.onnx', small.file('dit.onnx'))).rejects.toThrow(/could not be loaded/);
  });
});
