// The flow-matching sampler on CPU arrays (models/kinora/sampling.py, step for step):
// Euler on the velocity field from t = 1 (noise) to t = 0, classifier-free guidance with the
// conditional and unconditional halves batched in one forward, and frames given as conditions
// held clean (t = 0) at every step.
import { yieldToEventLoop } from './yield-to-event-loop';
import { timeSchedule } from './schedule';
import { guidanceBatch, type SamplerRun } from './sampler-run';

export interface FlowSamplerOptions extends SamplerRun {
  /** Seeded start [C, T, h, w]. */
  noise: Float32Array;
  /**
   * The model: x [B, C, T, h, w] and t [B, T] → v [B, C, T, h, w]. B is 2 when guidance ≠ 1
   * (batch 0 conditional, batch 1 unconditional), else 1.
   */
  velocity: (x: Float32Array, t: Float32Array, batch: number) => Promise<Float32Array>;
}

export async function sampleFlow(o: FlowSamplerOptions): Promise<Float32Array> {
  const [C, T, h, w] = o.shape;
  const frameSize = h * w;
  const n = C * T * frameSize;
  if (o.noise.length !== n) throw new Error(`sampleFlow: noise has ${o.noise.length} values for shape [${o.shape.join(', ')}].`);
  const given = o.conditionFrames ?? new Array<boolean>(T).fill(false);
  if (given.length !== T) throw new Error(`sampleFlow: ${given.length} condition flags for ${T} frames.`);
  if (given.some(Boolean) && o.conditionLatents?.length !== n) throw new Error('sampleFlow: condition frames need condition latents of the same shape.');
  const batch = guidanceBatch(o.guidance);
  const ts = timeSchedule(o.steps, o.shift, o.edit?.strength ?? 1);

  // Index i of [C, T, h, w] belongs to frame (i / frameSize) % T.
  const frameOf = (i: number) => Math.floor(i / frameSize) % T;
  const x = o.edit ? mixForEdit(o.edit.latents, o.noise, o.edit.strength) : Float32Array.from(o.noise);
  const hold = () => {
    if (!o.conditionLatents) return;
    for (let i = 0; i < n; i++) if (given[frameOf(i)]) x[i] = o.conditionLatents[i];
  };
  hold();

  const xBatch = new Float32Array(batch * n);
  const tBatch = new Float32Array(batch * T);
  const estimate = new Float32Array(n);
  for (let step = 0; step < o.steps; step++) {
    await yieldToEventLoop();
    o.signal?.throwIfAborted();
    const t = ts[step];
    for (let b = 0; b < batch; b++) {
      xBatch.set(x, b * n);
      for (let f = 0; f < T; f++) tBatch[b * T + f] = given[f] ? 0 : t;
    }
    const v = await o.velocity(xBatch, tBatch, batch);
    const dt = ts[step + 1] - t;
    for (let i = 0; i < n; i++) {
      // v = v_uncond + g·(v_cond − v_uncond)
      const vi = batch === 1 ? v[i] : v[n + i] + o.guidance * (v[i] - v[n + i]);
      estimate[i] = x[i] - t * vi;
      x[i] += dt * vi;
    }
    hold();
    if (o.conditionLatents) for (let i = 0; i < n; i++) if (given[frameOf(i)]) estimate[i] = x[i];
    await o.onStep?.(step, estimate);
  }
  return x;
}

/** x_t = (1 − t)·x0 + t·noise at t = strength: the flow-matching path, part of the way to noise. */
export function mixForEdit(clean: Float32Array, noise: Float32Array, strength: number): Float32Array {
  if (clean.length !== noise.length) throw new Error(`An edit needs latents of the noise's shape (${clean.length} ≠ ${noise.length}).`);
  return clean.map((c, i) => (1 - strength) * c + strength * noise[i]);
}
