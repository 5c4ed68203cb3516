// Flow-matching Euler step (shaders/sampler.wgsl) against the float64 reference:
// |gpu − ref| ≤ 1e-5 (one multiply-add per element); given frames equal their clean latents exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelRuntime } from '../../src/gpu/kernel-runtime';
import { flowMatchEulerStepReference } from '../../src/gpu/reference/sampler';
import { flowMatchEulerStep, frameSchedule } from '../../src/gpu/sampler-step';
import { compare, poisoned, randomArray } from './check';
import { nodeGpuDevice } from './node-gpu';

let rt: KernelRuntime;
beforeAll(async () => {
  rt = new KernelRuntime(await nodeGpuDevice());
});
afterAll(() => rt.pool.trim());

async function check(batch: number, guidance: number | undefined, seed: number) {
  const [C, T, H, W] = [4, 3, 4, 6];
  const n = C * T * H * W;
  const xs = randomArray(batch * n, seed);
  const vs = randomArray((guidance === undefined ? 1 : 2) * batch * n, seed + 1);
  const cleanData = randomArray(batch * n, seed + 2);
  // Frame 0 is given (image-to-video); frames 1 and 2 sit at different noise levels.
  const sched = new Float32Array(batch * T * 4);
  for (let b = 0; b < batch; b++) sched.set(frameSchedule([0, 0.75, 0.8 + 0.1 * b], [0, 0.5, 0.6], [true, false, false]), b * T * 4);
  const x = rt.upload(xs, [batch, C, T, H, W]);
  const v = rt.upload(vs, [vs.length / n, C, T, H, W]);
  const schedule = rt.upload(sched, [batch, T, 4]);
  const clean = rt.upload(cleanData, [batch, C, T, H, W]);
  const x0 = poisoned(rt, [batch, C, T, H, W]);
  flowMatchEulerStep(rt, { x, velocity: v, schedule, clean, guidance, x0Estimate: x0 });
  const [gotX, gotX0] = [await rt.read(x), await rt.read(x0)];
  const want = flowMatchEulerStepReference({ x: xs, velocity: vs, schedule: sched, clean: cleanData, batch, channels: C, frames: T, frameSize: H * W, guidance });
  for (const [got, ref] of [[gotX, want.x], [gotX0, want.x0]] as const) {
    const s = compare(got, ref);
    expect(s.nonFinite).toBe(0);
    expect(s.maxAbs).toBeLessThanOrEqual(1e-5);
  }
  // Given frame 0 of every channel equals its clean latent bit for bit.
  for (let b = 0; b < batch; b++) for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) {
    const idx = ((b * C + c) * T) * H * W + i;
    if (gotX[idx] !== cleanData[idx]) throw new Error(`given frame changed at ${idx}`);
  }
  for (const t of [x, v, schedule, clean, x0]) t.release();
}

describe('flow_match_euler_step', () => {
  it('with classifier-free guidance 3 (cond and uncond batched), batch 2', async () => {
    await check(2, 3, 1);
  });
  it('without guidance (one forward per step)', async () => {
    await check(1, undefined, 2);
  });
});
