// patchify / unpatchify (shaders/patchify.wgsl): pure data movement, so exact equality with the
// reference, and unpatchify ∘ patchify = identity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { patchify, tokenShape, unpatchify, type PatchSize } from '../../src/gpu/patchify';
import { patchifyReference, unpatchifyReference } from '../../src/gpu/reference/patchify';
import { poisoned, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

async function roundTrip(batch: number, channels: number, frames: number, height: number, width: number, patch: PatchSize, seed: number) {
  const shape = [batch, channels, frames, height, width];
  const geometry = { batch, channels, frames, height, width, patch };
  const data = randomArray(batch * channels * frames * height * width, seed);
  const latent = rt.upload(data, shape);
  const tokens = poisoned(rt, tokenShape(shape, patch));
  patchify(rt, latent, tokens, patch);
  const back = poisoned(rt, shape);
  unpatchify(rt, tokens, back, patch);
  const gotTokens = await rt.read(tokens);
  const gotBack = await rt.read(back);
  expect(Array.from(gotTokens.subarray(0, data.length))).toEqual(Array.from(patchifyReference(data, geometry)));
  expect(Array.from(gotBack.subarray(0, data.length))).toEqual(Array.from(data));
  expect(Array.from(unpatchifyReference(patchifyReference(data, geometry), geometry))).toEqual(Array.from(data));
  for (const t of [latent, tokens, back]) t.release();
}

describe('patchify / unpatchify', () => {
  it("Kinora's patch (1, 2, 2): C 4, 3 frames of 8×14 (the goldens' 16:9 shape), batch 2", async () => {
    await roundTrip(2, 4, 3, 8, 14, { t: 1, h: 2, w: 2 }, 1);
  });
  it('a temporal patch (2, 2, 2) with odd channel count and non-square frames', async () => {
    await roundTrip(1, 3, 4, 6, 4, { t: 2, h: 2, w: 2 }, 2);
  });
  it('places element (c, f, y, x) at feature c·4 + a·2 + b of token (f, i, j) (docs/model-format.md)', async () => {
    const [C, T, H, W] = [2, 2, 4, 4];
    const data = new Float32Array(C * T * H * W).map((_, i) => i);
    const latent = rt.upload(data, [1, C, T, H, W]);
    const tokens = poisoned(rt, [1, T * 4, 4 * C]);
    patchify(rt, latent, tokens);
    const got = await rt.read(tokens);
    // c = 1, f = 1, y = 3, x = 2 → token (1, 1, 1) = (1·2 + 1)·2 + 1 = 7, feature 1·4 + 1·2 + 0 = 6.
    expect(got[7 * 4 * C + 6]).toBe(((1 * T + 1) * H + 3) * W + 2);
    latent.release();
    tokens.release();
  });
  it('rejects frames not divisible by the patch', () => {
    const latent = rt.tensor([1, 4, 2, 6, 5]);
    const tokens = rt.tensor([1, 1, 1]);
    expect(() => patchify(rt, latent, tokens)).toThrow(/not divisible/);
    latent.release();
    tokens.release();
  });
});
