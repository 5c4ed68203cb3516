// generateFrames hands each window's frames out as soon as the window is decoded: every output
// frame exactly once, given frames as given, and the same pixels as the frames it returns. With
// the test models on onnxruntime-web's wasm provider (Node): v1's tiny (a window is 16 frames) and
// tiny-v2 (format 2: a window is 5 latent frames, 17 frames, decoded with the causal decoder's context).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateFrames } from '../../src/model/generate-frames';
import { KinoraModel } from '../../src/model/kinora-model';
import { OnnxWasmEngine } from '../../src/model/onnx-denoiser';
import { useOnnxWasmBinary } from '../../src/model/onnx-runtime';
import { modelGoldens } from '../model-goldens';

beforeAll(() => {
  useOnnxWasmBinary(new Uint8Array(readFileSync('node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm')));
});

for (const id of ['tiny', 'tiny-v2']) {
describe(`generateFrames streams its frames (${id})`, () => {
  let model: KinoraModel;
  beforeAll(async () => {
    const files = modelGoldens(id);
    model = await KinoraModel.load({ manifest: files.manifest, file: async (name) => files.file(name) });
  });

  it('hands out every frame once, window by window, equal to what it returns', async () => {
    const { width, height } = model.manifest.video.sizes['1:1'];
    const given = new Uint8ClampedArray(width * height * 4).fill(200);
    const handed = new Map<number, Uint8ClampedArray>();
    const batches: number[][] = [];
    const out = await generateFrames({
      model,
      denoiser: await model.denoiser(new OnnxWasmEngine()),
      request: { caption: 'a red ball bounces', aspect: '1:1', steps: 2, guidance: 3, seed: 5, plan: { total: 40, given: new Map([[0, given]]) } },
      onFrames: (frames) => {
        batches.push([...frames.keys()]);
        for (const [i, f] of frames) {
          expect(handed.has(i)).toBe(false);
          handed.set(i, f);
        }
      },
    });
    expect(batches[0]).toEqual([0]); // the given frame first
    expect(batches.length).toBeGreaterThan(2); // then each window's new frames
    expect(handed.size).toBe(40);
    expect(out.frames).toHaveLength(40);
    out.frames.forEach((f, i) => expect(handed.get(i)).toBe(f));
    expect(out.frames[0]).toBe(given);
  });
});
}
