// generateFrames on format 2 (tiny-v2's causal VAE on onnxruntime-web, Node), with a stand-in
// denoiser that "makes" each window's latent frames by copying them out of one fixed latent clip:
// then the video must be exactly that clip decoded in one piece (window joins without a seam, no
// frame twice or missing, the frames past the asked count cut), each window must be conditioned on
// the latent frames the one before made (reused, not re-encoded), and given frames stay as given.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateFrames } from '../../src/model/generate-frames';
import { KinoraModel } from '../../src/model/kinora-model';
import { latentLayout } from '../../src/model/latent-layout';
import { latentShape } from '../../src/model/manifest';
import type { Denoiser, DenoiseRequest } from '../../src/model/denoiser';
import { useOnnxWasmBinary } from '../../src/model/onnx-runtime';
import { seededNormals } from '../../src/sampling/seeded-noise';
import { modelGoldens } from '../model-goldens';

let model: KinoraModel;

beforeAll(async () => {
  useOnnxWasmBinary(new Uint8Array(readFileSync('node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm')));
  const v2 = modelGoldens('tiny-v2');
  model = await KinoraModel.load({ manifest: v2.manifest, file: async (name) => v2.file(name) });
});

/** A denoiser whose window k is the next stretch of `clip` [C, T, h, w], starting where planLatents puts it. */
function clipDenoiser(clip: Float32Array, shape: readonly [number, number, number, number], starts: number[]) {
  const [C, T, h, w] = shape;
  const plane = h * w;
  const requests: DenoiseRequest[] = [];
  const denoiser: Denoiser = {
    engine: 'wasm',
    async denoise(request) {
      requests.push(request);
      const [, n] = request.shape;
      const start = starts[requests.length - 1];
      const out = new Float32Array(C * n * plane);
      for (let c = 0; c < C; c++) out.set(clip.subarray((c * T + start) * plane, (c * T + start + n) * plane), c * n * plane);
      return out;
    },
    async release() {},
  };
  return { denoiser, requests };
}

describe('generateFrames in latent frames (format 2)', () => {
  it('a 40-frame video in 3 windows is its 11 latent frames decoded in one piece, each window reusing the last made latent frame', async () => {
    const shape = latentShape(model.manifest, '1:1', 11);
    const [C, T, h, w] = shape;
    const plane = h * w;
    const clip = seededNormals(3, C * T * plane);
    const { denoiser, requests } = clipDenoiser(clip, shape, [0, 4, 6]);
    const streamed: number[] = [];
    const out = await generateFrames({
      model, denoiser,
      request: { caption: 'a red ball bounces', aspect: '1:1', steps: 1, guidance: 1, seed: 1, plan: { total: 40, given: new Map() } },
      onFrames: (frames) => void streamed.push(...frames.keys()),
    });
    expect(requests.map((r) => r.shape[1])).toEqual([5, 5, 5]);
    expect(requests.map((r) => r.conditionFrames)).toEqual([undefined, [true, false, false, false, false], [true, true, true, false, false]]);
    // the second window's condition is latent frame 4 as the first window made it
    const condition = requests[1].conditionLatents!;
    for (let c = 0; c < C; c++) expect(condition.subarray(c * 5 * plane, c * 5 * plane + plane)).toEqual(clip.subarray((c * T + 4) * plane, (c * T + 5) * plane));

    const whole = await model.vaeDecoder.decode(clip, shape);
    expect(whole.frames).toHaveLength(41);
    expect(out.frames).toHaveLength(40);
    expect(streamed).toEqual(Array.from({ length: 40 }, (_, i) => i)); // each frame once, in order
    let worst = 0;
    out.frames.forEach((f, i) => f.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - whole.frames[i][j])))));
    expect(worst).toBeLessThanOrEqual(1); // f32 rounding at most one 8-bit step: no seam at frames 17 and 33
  });

  it('image-to-video: the image (at 128 px) conditions latent frame 0 through the 64-px encoder, and is the first frame as given', async () => {
    const { width, height } = model.manifest.video.sizes['1:1'];
    expect([width, height]).toEqual([128, 128]);
    const image = new Uint8ClampedArray(width * height * 4);
    for (let p = 0; p < width * height; p++) image.set([p % 128 < 64 ? 230 : 20, 40, 200, 255], p * 4); // left red, right blue
    const shape = latentShape(model.manifest, '1:1', 5);
    const { denoiser, requests } = clipDenoiser(seededNormals(4, shape.reduce((a, b) => a * b, 1)), shape, [0]);
    const out = await generateFrames({
      model, denoiser,
      request: { caption: 'a red ball bounces', aspect: '1:1', steps: 1, guidance: 1, seed: 1, plan: { total: 17, given: new Map([[0, image]]) } },
    });
    expect(requests[0].conditionFrames).toEqual([true, false, false, false, false]);
    const encoder = await model.vaeEncoder();
    const small = new Uint8ClampedArray(64 * 64 * 4);
    for (let p = 0; p < 64 * 64; p++) small.set([p % 64 < 32 ? 230 : 20, 40, 200, 255], p * 4);
    const alone = await encoder.encode([small], 64, 64); // [C, 1, 16, 16]
    const [C, , h, w] = shape;
    const got = requests[0].conditionLatents!;
    for (let c = 0; c < C; c++) expect(got.subarray(c * 5 * h * w, c * 5 * h * w + h * w)).toEqual(alone.subarray(c * h * w, (c + 1) * h * w));
    expect(out.frames[0]).toBe(image);
    expect(out.frames).toHaveLength(17);
    expect(latentLayout(model.manifest).upsample).toBe(2);
  });

  it('a pass that continues another (a storyboard shot) reuses its latents instead of encoding its frames again', async () => {
    const shape = latentShape(model.manifest, '1:1', 9); // shot 1: 17 frames (5 latent frames), shot 2: 16 more
    const [C, , h, w] = shape;
    const plane = h * w;
    const clip = seededNormals(5, shape.reduce((a, b) => a * b, 1));
    const first = clipDenoiser(clip, shape, [0]);
    const request = { caption: 'a red ball bounces', aspect: '1:1', steps: 1, guidance: 1, seed: 1 } as const;
    const shot1 = await generateFrames({ model, denoiser: first.denoiser, request: { ...request, plan: { total: 17, given: new Map() } } });
    expect([...shot1.latents.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    let encoderCalls = 0;
    const counting = { manifest: model.manifest, condition: model.condition, vaeDecoder: model.vaeDecoder,
      vaeEncoder: () => { encoderCalls++; return model.vaeEncoder(); } };
    const second = clipDenoiser(clip, shape, [4]);
    const shot2 = await generateFrames({
      model: counting, denoiser: second.denoiser,
      request: { ...request, plan: { total: 33, given: new Map(shot1.frames.map((f, i) => [i, f])), givenLatents: shot1.latents } },
    });
    expect(encoderCalls).toBe(0);
    expect(second.requests[0].conditionFrames).toEqual([true, false, false, false, false]);
    const condition = second.requests[0].conditionLatents!;
    for (let c = 0; c < C; c++) expect(condition.subarray(c * 5 * plane, c * 5 * plane + plane)).toEqual(shot1.latents.get(4)!.subarray(c * plane, (c + 1) * plane));
    expect(shot2.frames.slice(0, 17)).toEqual(shot1.frames); // the first shot as it was
    expect(shot2.frames).toHaveLength(33);
  });
});
