// The whole flow-matching sampler on the GPU: seeded noise, the DiT forward (cond and uncond
// batched), the fused Euler/CFG/clean-frame step. Latents stay on the GPU between steps; only
// the small clean-estimate previews and the final latents are read back.
import { copyTensor } from '../gpu/copy';
import { frameSchedule } from '../gpu/sampler-step';
import type { GpuTensor } from '../gpu/tensor';
import { yieldToEventLoop } from '../sampling/yield-to-event-loop';
import { timeSchedule } from '../sampling/schedule';
import { mixForEdit } from '../sampling/flow-sampler';
import type { DitGraph } from './dit-graph';
import type { EncodedText } from './text-encoder';

export interface GpuSampleOptions {
  /** [C, T, h, w] */
  shape: readonly [number, number, number, number];
  seed: number;
  /** Noise stream: each chunk of a long video draws its own. */
  stream?: number;
  steps: number;
  shift: number;
  guidance: number;
  /** B prompts: [cond] or [cond, uncond] when guidance ≠ 1. */
  text: EncodedText;
  /** Start noise [C, T, h, w]; drawn on the GPU from `seed` when omitted (tests pass PyTorch's). */
  noise?: Float32Array;
  conditionLatents?: Float32Array;
  conditionFrames?: readonly boolean[];
  /** Called after each step with the clean estimate x0 = x − t·v, read back for a preview. */
  onStep?: (step: number, estimate: Float32Array) => void | Promise<void>;
  signal?: AbortSignal;
  /** An edit (SDEdit): start from these clean latents noised to t = strength. */
  edit?: { latents: Float32Array; strength: number };
}

export async function sampleOnGpu(dit: DitGraph, o: GpuSampleOptions): Promise<Float32Array> {
  const { rt } = dit.ops;
  const [C, T, h, w] = o.shape;
  const shape5 = [1, C, T, h, w];
  const n = C * T * h * w;
  const guided = o.guidance !== 1;
  const batch = guided ? 2 : 1;
  if (o.text.batch !== batch) throw new Error(`sampleOnGpu: ${o.text.batch} prompts for guidance ${o.guidance}.`);
  const given = o.conditionFrames ?? new Array<boolean>(T).fill(false);
  const ts = timeSchedule(o.steps, o.shift, o.edit?.strength ?? 1);

  const live: GpuTensor[] = [];
  const keep = <X extends GpuTensor>(t: X) => (live.push(t), t);
  try {
    const x = keep(o.noise ? rt.upload(o.noise, shape5, 'x') : dit.ops.noise(shape5, o.seed, o.stream ?? 0));
    const clean = keep(o.conditionLatents ? rt.upload(o.conditionLatents, shape5, 'clean') : rt.tensor(shape5, 'f32', 'clean'));
    if (!o.conditionLatents) rt.fill(clean, 0);
    const text = keep(rt.upload(o.text.text, [batch, o.text.length, o.text.width], 'text'));
    const mask = keep(rt.upload(o.text.mask, [batch, o.text.length], 'text_mask'));
    // The text's keys and values are the same at every step: once per run, not once per step.
    const textKeysValues = dit.crossKeysValues(text).map(keep);
    const xBatch = keep(rt.tensor([batch, C, T, h, w], 'f32', 'x_batch'));
    const tBatch = keep(rt.tensor([batch, T], 'f32', 't_batch'));
    const schedule = keep(rt.tensor([1, T, 4], 'f32', 'schedule'));
    const estimate = keep(rt.tensor(shape5, 'f32', 'x0_estimate'));

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
      const v = dit.forward(xBatch, tBatch, textKeysValues, mask);
      dit.ops.eulerStep({ x, velocity: v, schedule, clean, guidance: guided ? o.guidance : undefined, x0Estimate: estimate });
      v.release();
      if (o.onStep) await o.onStep(step, await rt.read(estimate));
      else rt.submit();
    }
    return await rt.read(x);
  } finally {
    for (const t of live) t.release();
    rt.submit();
  }
}
