// The flow-matching sampler on the GPU, step for step the same run as sampleFlow: seeded noise,
// the velocity callback (cond and uncond batched), the fused Euler/CFG/clean-frame step. Latents
// stay on the GPU between steps; only the small clean-estimate previews and the final latents are
// read back.
import { copyTensor } from '../gpu/copy';
import type { KernelOps } from '../gpu/ops';
import { frameSchedule } from '../gpu/sampler-step';
import type { GpuTensor } from '../gpu/tensor';
import { TensorScope } from '../gpu/tensor-scope';
import { mixForEdit } from './flow-sampler';
import { guidanceBatch, type SamplerRun } from './sampler-run';
import { timeSchedule } from './schedule';
import { yieldToEventLoop } from './yield-to-event-loop';

export interface GpuSamplerOptions extends SamplerRun {
  /** The kernels the sampler runs on (the device the velocity callback's tensors live on). */
  ops: KernelOps;
  seed: number;
  /** Noise stream: each chunk of a long video draws its own. */
  stream?: number;
  /** Start noise [C, T, h, w]; drawn on the GPU from `seed` when omitted (tests pass PyTorch's). */
  noise?: Float32Array;
  /**
   * The model: x [B, C, T, h, w] and t [B, T] → v [B, C, T, h, w], a tensor the sampler releases.
   * B is 2 when guidance ≠ 1 (batch 0 conditional, batch 1 unconditional), else 1.
   */
  velocity: (x: GpuTensor, t: GpuTensor, batch: number) => GpuTensor;
}

export async function sampleOnGpu(o: GpuSamplerOptions): Promise<Float32Array> {
  const { ops } = o;
  const { rt } = ops;
  const [C, T, h, w] = o.shape;
  const shape5 = [1, C, T, h, w];
  const n = C * T * h * w;
  const batch = guidanceBatch(o.guidance);
  const guided = batch === 2;
  const given = o.conditionFrames ?? new Array<boolean>(T).fill(false);
  const ts = timeSchedule(o.steps, o.shift, o.edit?.strength ?? 1);

  const scope = new TensorScope();
  try {
    const x = scope.track(o.noise ? rt.upload(o.noise, shape5, 'x') : ops.noise(shape5, o.seed, o.stream ?? 0));
    const clean = scope.track(o.conditionLatents ? rt.upload(o.conditionLatents, shape5, 'clean') : rt.tensor(shape5, 'f32', 'clean'));
    if (!o.conditionLatents) rt.fill(clean, 0);
    const xBatch = scope.track(rt.tensor([batch, C, T, h, w], 'f32', 'x_batch'));
    const tBatch = scope.track(rt.tensor([batch, T], 'f32', 't_batch'));
    const schedule = scope.track(rt.tensor([1, T, 4], 'f32', 'schedule'));
    const estimate = scope.track(rt.tensor(shape5, 'f32', 'x0_estimate'));

    if (o.edit) rt.device.queue.writeBuffer(x.buffer, 0, mixForEdit(o.edit.latents, await rt.read(x), o.edit.strength));

    // Given frames start (and stay) clean: the step kernel resets them, and the noise must too.
    if (o.conditionLatents) {
      const start = await rt.read(x);
      for (let i = 0; i < n; i++) if (given[Math.floor(i / (h * w)) % T]) start[i] = o.conditionLatents[i];
      rt.device.queue.writeBuffer(x.buffer, 0, start);
    }

    for (let step = 0; step < o.steps; step++) {
      await yieldToEventLoop();
      o.signal?.throwIfAborted();
      const t = ts[step];
      const perFrameT = given.map((g) => (g ? 0 : t));
      rt.device.queue.writeBuffer(tBatch.buffer, 0, Float32Array.from({ length: batch * T }, (_, i) => perFrameT[i % T]));
      rt.device.queue.writeBuffer(schedule.buffer, 0, frameSchedule(perFrameT, given.map((g) => (g ? 0 : ts[step + 1])), given));
      // x_batch = [x, x]: the conditional and unconditional halves see the same latents.
      if (guided) {
        const encoder = rt.commandEncoder();
        encoder.copyBufferToBuffer(x.buffer, 0, xBatch.buffer, 0, n * 4);
        encoder.copyBufferToBuffer(x.buffer, 0, xBatch.buffer, n * 4, n * 4);
      } else {
        copyTensor(rt, x, xBatch);
      }
      const v = o.velocity(xBatch, tBatch, batch);
      ops.eulerStep({ x, velocity: v, schedule, clean, guidance: guided ? o.guidance : undefined, x0Estimate: estimate });
      v.release();
      if (o.onStep) await o.onStep(step, await rt.read(estimate));
      else rt.submit();
    }
    return await rt.read(x);
  } finally {
    scope.end();
    rt.submit();
  }
}
