// Parity of the WGSL DiT with PyTorch on the committed test models' goldens (docs/model-format.md):
// one forward with per-frame noise levels and both a real and an all-padding caption, and a whole
// guided sampler run through the WGSL denoiser, as a generation runs it (text-to-video and
// image-to-video). Normalised MSE bound 1e-5
// (the goldens were computed with the same fp16-rounded weights; the remaining error is f32).
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeGpuDevice } from './node-gpu';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { KernelOps } from '../../src/gpu/ops';
import { DitGraph } from '../../src/model/dit-graph';
import { WgslDenoiser } from '../../src/model/wgsl-denoiser';
import { readFileSync } from 'node:fs';
import { parseSafetensors } from '../../src/model/loader/safetensors';
import type { ModelManifest } from '../../src/model/manifest';
import { NMSE_BOUND, modelGoldens, nmse } from '../model-goldens';

// Each test model: v1's tiny (format 1) and tiny-v2 (format 2: 2 latent frames of the causal VAE,
// pooled text added to the timestep embedding).
for (const id of ['tiny', 'tiny-v2']) {
  const model = modelGoldens(id);
  const { manifest, golden, f32 } = model;

  describe(`WGSL DiT against the PyTorch goldens of ${id} (format ${manifest.format_version})`, () => {
  let rt: KernelRuntime;
  let dit: DitGraph;
  let denoiser: WgslDenoiser;

  beforeAll(async () => {
    rt = new KernelRuntime(await nodeGpuDevice());
    dit = DitGraph.fromSafetensors(new KernelOps(rt), manifest, model.file('dit.safetensors'));
    denoiser = new WgslDenoiser(dit);
  });

    it('one forward (16:9, 3 latent frames, per-frame t, cond + empty caption)', async () => {
      const x = golden('dit.x');
      const text = golden('text.text');
      const xs = rt.upload(f32('dit.x'), x.shape);
      const ts = rt.upload(f32('dit.t'), golden('dit.t').shape);
      const tx = rt.upload(f32('text.text'), text.shape);
      const mask = rt.upload(f32('text.text_mask'), golden('text.text_mask').shape);
      const pooled = dit.pooledText(tx, f32('text.text_mask'), x.shape[2]);
      expect(!!pooled).toBe(!!manifest.architecture.dit.pooled_text);
      const v = dit.forward(xs, ts, tx, mask, pooled);
      const got = await rt.read(v);
      for (const t of [xs, ts, tx, mask, v, ...(pooled ? [pooled] : [])]) t.release();
      expect(nmse(got, f32('dit.v'))).toBeLessThan(NMSE_BOUND);
    });

    const g = manifest.goldens as unknown as { steps: number; guidance: number; shift: number };
    const text = () => ({
      text: f32('text.text'),
      mask: f32('text.text_mask'),
      batch: 2,
      length: golden('text.text').shape[1],
      width: golden('text.text').shape[2],
    });
    const shape = () => golden('sample.noise').shape.slice(1) as [number, number, number, number];

    it('a whole guided sampler run on the GPU (text-to-video)', async () => {
      const out = await denoiser.denoise({ shape: shape(), seed: 0, noise: f32('sample.noise'), steps: g.steps, shift: g.shift, guidance: g.guidance, text: text() });
      expect(nmse(out, f32('sample.latents'))).toBeLessThan(NMSE_BOUND);
    });

    it('a whole sampler run with the first (latent) frame given (image-to-video)', async () => {
      const given = [...(golden('i2v.cond_mask').data as Uint8Array)].map(Boolean);
      const estimates: number[] = [];
      const out = await denoiser.denoise({
        shape: shape(), seed: 0, noise: f32('sample.noise'), steps: g.steps, shift: g.shift, guidance: g.guidance, text: text(),
        conditionLatents: f32('i2v.cond_latents'), conditionFrames: given,
        onStep: (step) => void estimates.push(step),
      });
      expect(estimates).toEqual([...Array(g.steps).keys()]);
      expect(nmse(out, f32('i2v.latents'))).toBeLessThan(NMSE_BOUND);
    });
  });
}

describe('WGSL DiT with the patch its manifest names', () => {
  it('one forward of a format 2 DiT with patch (1, 1, 1) against its PyTorch goldens (tests/fixtures/dit-patch1)', async () => {
    const dir = 'tests/fixtures/dit-patch1';
    const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as ModelManifest;
    expect(manifest.architecture.dit.patch).toEqual([1, 1, 1]);
    const goldens = parseSafetensors(new Uint8Array(readFileSync(`${dir}/goldens.safetensors`))).tensors;
    const f32 = (n: string) => goldens.get(n)!.data as Float32Array;
    const rt = new KernelRuntime(await nodeGpuDevice());
    const graph = DitGraph.fromSafetensors(new KernelOps(rt), manifest, new Uint8Array(readFileSync(`${dir}/dit.safetensors`)));
    const [x, t, text, mask] = ['dit.x', 'dit.t', 'text.text', 'text.text_mask'].map((n) => rt.upload(f32(n), goldens.get(n)!.shape));
    const pooled = graph.pooledText(text, f32('text.text_mask'), x.shape[2])!;
    const v = graph.forward(x, t, text, mask, pooled);
    const got = await rt.read(v);
    for (const tensor of [x, t, text, mask, pooled, v]) tensor.release();
    graph.release();
    expect(nmse(got, f32('dit.v'))).toBeLessThan(NMSE_BOUND);
  });
});

describe('WGSL DiT without the pooled text of a model that has it', () => {
  it('refuses a forward without pooledText, so the caption cannot silently drop out of adaLN', async () => {
    const v2 = modelGoldens('tiny-v2');
    const rt = new KernelRuntime(await nodeGpuDevice());
    const graph = DitGraph.fromSafetensors(new KernelOps(rt), v2.manifest, v2.file('dit.safetensors'));
    const inputs = ['dit.x', 'dit.t', 'text.text', 'text.text_mask'].map((n) => rt.upload(v2.f32(n), v2.golden(n).shape));
    expect(() => graph.forward(inputs[0], inputs[1], inputs[2], inputs[3])).toThrow(/pooled text/);
    for (const t of inputs) t.release();
    graph.release();
  });
});

describe('WGSL DiT against the PyTorch goldens of the shipped default model', () => {
  it('one forward of kinora-small (width 128, 6 blocks)', async () => {
    const small = modelGoldens('kinora-small');
    const rt = new KernelRuntime(await nodeGpuDevice());
    const graph = DitGraph.fromSafetensors(new KernelOps(rt), small.manifest, small.file('dit.safetensors'));
    const inputs = ['dit.x', 'dit.t', 'text.text', 'text.text_mask'].map((n) => rt.upload(small.f32(n), small.golden(n).shape));
    const v = graph.forward(inputs[0], inputs[1], inputs[2], inputs[3]);
    const got = await rt.read(v);
    for (const t of [...inputs, v]) t.release();
    graph.release();
    expect(nmse(got, small.f32('dit.v'))).toBeLessThan(NMSE_BOUND);
  });
});
