// Parity of the onnxruntime-web pipeline with PyTorch, on the committed test models' goldens
// (docs/model-format.md): v1's tiny (format 1) and tiny-v2 (format 2, the causal spacetime VAE):
// text encoder, one DiT forward, a whole guided sampler run through our TypeScript flow sampler as
// the ONNX denoiser drives it (text-to-video and image-to-video), and the VAE decoder. Measured by
// normalised mean squared error; bound 1e-5 (f32 with the same fp16-rounded weights). For format 2
// also: a window decoded with the layout's decoder context joins a decode of the whole clip.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { OnnxModel, useOnnxWasmBinary } from '../../src/model/onnx-runtime';
import { OnnxDenoiser, OnnxWasmEngine } from '../../src/model/onnx-denoiser';
import { TextEncoderModel } from '../../src/model/text-encoder';
import { VaeDecoder } from '../../src/model/vae';
import { Tokenizer } from '../../src/model/tokenizer';
import { latentLayout } from '../../src/model/latent-layout';
import { ENCODER_CONTEXT } from '../../src/model/latent-plan';
import { seededNormals } from '../../src/sampling/seeded-noise';
import { NMSE_BOUND, modelGoldens, nmse } from '../model-goldens';

beforeAll(() => {
  useOnnxWasmBinary(new Uint8Array(readFileSync('node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm')));
});

for (const id of ['tiny', 'tiny-v2']) {
const model = modelGoldens(id);
const manifest = model.manifest;
const goldens = model.tensors;
const f32 = model.f32;
const layout = latentLayout(manifest);
const load = async (file: string) => OnnxModel.load(file, model.file(file));

describe(`onnxruntime-web pipeline against the PyTorch goldens of ${id} (format ${manifest.format_version})`, () => {
  let text: TextEncoderModel;
  let dit: OnnxDenoiser;
  let vae: VaeDecoder;

  beforeAll(async () => {
    text = new TextEncoderModel(await load('text_encoder.onnx'));
    // as a generation loads it: dit.onnx with the external data its manifest names (dit.safetensors)
    dit = (await new OnnxWasmEngine().load({ manifest, file: async (name) => model.file(name) })) as OnnxDenoiser;
    vae = new VaeDecoder(await load('vae_decoder.onnx'), layout.causal);
  });

  it('tokenizes the golden prompt to the golden ids', () => {
    const tok = new Tokenizer(manifest.tokenizer!.vocab, manifest.tokenizer!.max_tokens);
    const ids = goldens.get('text.ids')!.data as BigInt64Array;
    const prompt = String(manifest.goldens?.prompt);
    expect([...tok.encode(prompt).ids]).toEqual([...ids.subarray(0, manifest.tokenizer!.max_tokens)].map(Number));
  });

  async function goldenText() {
    const ids = goldens.get('text.ids')!.data as BigInt64Array;
    const L = manifest.tokenizer!.max_tokens;
    const rows = [0, 1].map((b) => Int32Array.from([...ids.subarray(b * L, (b + 1) * L)].map(Number)));
    return text.encode(rows);
  }

  it('text encoder', async () => {
    const out = await goldenText();
    expect(nmse(out.text, f32('text.text'))).toBeLessThan(NMSE_BOUND);
    expect([...out.mask]).toEqual([...f32('text.text_mask')]);
  });

  it('one DiT forward with per-frame noise levels', async () => {
    const x = goldens.get('dit.x')!;
    const [B, C, T, h, w] = x.shape;
    const v = await dit.velocity(x.data as Float32Array, f32('dit.t'), [C, T, h, w], B, await goldenText());
    expect(nmse(v, f32('dit.v'))).toBeLessThan(NMSE_BOUND);
  });

  async function sample(cond?: { latents: Float32Array; mask: boolean[] }) {
    const noise = goldens.get('sample.noise')!;
    const [, C, T, h, w] = noise.shape;
    const g = manifest.goldens as unknown as { steps: number; guidance: number; shift: number };
    const prompts = await goldenText(); // [cond, uncond]
    return dit.denoise({
      seed: 0,
      noise: noise.data as Float32Array,
      shape: [C, T, h, w],
      steps: g.steps,
      shift: g.shift,
      guidance: g.guidance,
      text: prompts,
      ...(cond ? { conditionLatents: cond.latents, conditionFrames: cond.mask } : {}),
    });
  }

  it('a whole guided sampler run (text-to-video)', async () => {
    expect(nmse(await sample(), f32('sample.latents'))).toBeLessThan(NMSE_BOUND);
  });

  it('a whole sampler run with the first frame given (image-to-video)', async () => {
    const mask = [...(goldens.get('i2v.cond_mask')!.data as Uint8Array)].map(Boolean);
    const out = await sample({ latents: f32('i2v.cond_latents'), mask });
    expect(nmse(out, f32('i2v.latents'))).toBeLessThan(NMSE_BOUND);
  });

  it('VAE decoder', async () => {
    const lat = goldens.get('sample.latents')!;
    const [, C, T, h, w] = lat.shape;
    const frames = await vae.decode(lat.data as Float32Array, [C, T, h, w]);
    const want = f32('sample.frames'); // [F, 3, H, W] in [-1, 1]
    expect(frames.frames.length).toBe(goldens.get('sample.frames')!.shape[0]); // format 2: 1 + 4(T − 1)
    const plane = frames.width * frames.height;
    const got = new Float32Array(want.length);
    frames.frames.forEach((rgba, f) => {
      for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) got[(f * 3 + c) * plane + p] = rgba[p * 4 + c] / 127.5 - 1;
    });
    // 8-bit quantisation: at most half a step (1/255) per value after clamping.
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - Math.max(-1, Math.min(1, want[i]))));
    expect(worst).toBeLessThanOrEqual(1 / 255 + 1e-4);
  });

  it.runIf(layout.causal)('given frames encoded from a lead frame with the encoder context code their latent frames as the whole clip does', async () => {
    // 45 frames of 16×16 (1 + 4·11: latent frames 0–11) through vae_encoder.onnx, frames first [1, F, 3, H, W];
    // latent frames 10–11 encoded from the lead frame ENCODER_CONTEXT latent frames before them.
    const onnx = await load('vae_encoder.onnx');
    const [F, H, W] = [45, 16, 16];
    const frames = seededNormals(8, F * 3 * H * W).map((v) => Math.max(-1, Math.min(1, v / 2)));
    const frameSize = 3 * H * W;
    const encode = async (from: number) => {
      const out = await onnx.run({ frames: { data: frames.subarray(from * frameSize), dims: [1, F - from, 3, H, W] } });
      const latentSize = out.latents.dims.slice(2).reduce((a, b) => a * b, 1);
      return out.latents.data.subarray(out.latents.data.length - 2 * latentSize); // latent frames 10–11
    };
    const want = await encode(0);
    const worst = (got: Float32Array) => got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
    const lead = (context: number) => layout.timeFactor * (10 - context - 1); // the last frame of latent frame 10 − context − 1
    // Measured on tiny-v2: 0 from 4 latent frames of context on (the lead frame reaches one frame further), 0.04 with none.
    expect(worst(await encode(lead(ENCODER_CONTEXT)))).toBeLessThan(1e-6);
    expect(worst(await encode(lead(0)))).toBeGreaterThan(1e-4); // a lead right before them is not enough: the check can fail
    onnx.release();
  });

  it.runIf(layout.causal)('a window decoded with the decoder context joins the whole clip: no seam, no frame twice', async () => {
    // 12 latent frames of 4×4 (random, as a sampler's would be) through vae_decoder.onnx, frames
    // first [1, t, C, h, w] → [1, 1 + 4(t − 1), 3, H, W]; the second window makes latent frames 9–11.
    const [C, T, h, w] = [manifest.architecture.dit.latent_channels, 12, 4, 4];
    const onnx = await load('vae_decoder.onnx');
    const latents = seededNormals(7, T * C * h * w); // [T, C, h, w]
    const decode = async (from: number) => {
      const out = await onnx.run({ latents: { data: latents.subarray(from * C * h * w), dims: [1, T - from, C, h, w] } });
      const frameSize = out.frames.dims.slice(2).reduce((a, b) => a * b, 1);
      expect(out.frames.dims[1]).toBe(1 + layout.timeFactor * (T - from - 1));
      return out.frames.data.subarray(out.frames.data.length - layout.timeFactor * (T - 9) * frameSize); // the frames of latent frames 9–11
    };
    const want = await decode(0);
    const worst = (got: Float32Array) => got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
    // Measured on tiny-v2: 0 from 7 latent frames of context on (the decoder's reach, latent-layout.ts), 3e-3 with 1.
    expect(worst(await decode(9 - layout.decoderContext))).toBeLessThan(1e-6);
    expect(worst(await decode(9 - 1))).toBeGreaterThan(1e-4); // too little context shows: the check can fail
    onnx.release();
  });
});
}
