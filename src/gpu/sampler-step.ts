// Host side of shaders/sampler.wgsl: one flow-matching Euler step with classifier-free guidance
// and clean-frame masking, in place on the latent (docs/model-format.md, "Sampler").

import samplerWgsl from '../../shaders/sampler.wgsl?raw';
import { linearWorkgroups, type KernelRuntime } from './kernel-runtime';
import type { GpuTensor } from './tensor';
import { UniformLayout } from './uniform-params';

export const SAMPLER_PARAMS = new UniformLayout('Params', [
  ['elements', 'u32'],
  ['frame_size', 'u32'],
  ['frames', 'u32'],
  ['guidance', 'f32'],
  ['uncond_offset', 'u32'],
] as const);

/** Per-frame (t, t_next, clean, 0) rows for the `schedule` tensor [batch, T, 4]. */
export function frameSchedule(t: readonly number[], tNext: readonly number[], clean: readonly boolean[]): Float32Array {
  if (t.length !== tNext.length || t.length !== clean.length) throw new Error('frameSchedule: t, tNext and clean must have one entry per frame.');
  const out = new Float32Array(t.length * 4);
  t.forEach((ti, f) => out.set([ti, tNext[f], clean[f] ? 1 : 0, 0], f * 4));
  return out;
}

export interface SamplerStepArgs {
  /** [batch, C, T, H, W], updated in place. */
  x: GpuTensor;
  /** [2·batch, C, T, H, W] (cond rows, then uncond) with guidance, or [batch, …] without. */
  velocity: GpuTensor;
  /** [batch, T, 4]: (t, t_next, clean flag, unused) per frame; see frameSchedule. */
  schedule: GpuTensor;
  /** [batch, C, T, H, W]: latents of the given frames (others ignored). */
  clean: GpuTensor;
  /** v = v_u + g·(v_c − v_u); undefined: the velocity is used as it is (one forward per step). */
  guidance?: number;
  /** Receives x0 = x − t·v (the current estimate of the clean latent) for previews. */
  x0Estimate?: GpuTensor;
}

export function flowMatchEulerStep(rt: KernelRuntime, a: SamplerStepArgs): void {
  const { x, velocity, schedule, clean } = a;
  if (x.shape.length !== 5) throw new Error(`flowMatchEulerStep: x must be [batch, C, T, H, W], got [${x.shape.join(', ')}].`);
  const [batch, channels, frames, height, width] = x.shape;
  const elements = channels * frames * height * width;
  const guided = a.guidance !== undefined;
  if (velocity.size !== (guided ? 2 : 1) * x.size) {
    throw new Error(`flowMatchEulerStep: velocity must be [${guided ? 2 * batch : batch}, ${channels}, ${frames}, ${height}, ${width}] (cond then uncond when guided).`);
  }
  if (schedule.size !== batch * frames * 4) throw new Error(`flowMatchEulerStep: schedule must be [${batch}, ${frames}, 4].`);
  if (clean.size !== x.size) throw new Error('flowMatchEulerStep: clean must have the shape of x.');
  if (a.x0Estimate && a.x0Estimate.size !== x.size) throw new Error('flowMatchEulerStep: x0Estimate must have the shape of x.');
  const x0 = a.x0Estimate?.buffer ?? rt.placeholder;
  if (x0 === x.buffer) throw new Error('flowMatchEulerStep: x0Estimate must not be x.');
  rt.dispatch({
    label: 'flowMatchEulerStep',
    code: samplerWgsl,
    entryPoint: 'flow_match_euler_step',
    constants: { GUIDED: guided, WRITE_X0: !!a.x0Estimate },
    params: SAMPLER_PARAMS.pack({
      elements,
      frame_size: height * width,
      frames,
      guidance: a.guidance ?? 1,
      uncond_offset: guided ? batch * elements : 0,
    }),
    bindings: { 1: x.buffer, 2: velocity.buffer, 3: schedule.buffer, 4: clean.buffer, 5: x0 },
    workgroups: [...linearWorkgroups(elements, 256), batch],
  });
}
