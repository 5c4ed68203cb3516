// CPU reference for shaders/sampler.wgsl: flow-matching Euler step with CFG and clean frames, float64.

export interface SamplerReferenceInput {
  x: ArrayLike<number>;
  /** [2·batch, …] (cond, then uncond) when guidance is set, else [batch, …]. */
  velocity: ArrayLike<number>;
  /** [batch, T, 4]: (t, t_next, clean, unused). */
  schedule: ArrayLike<number>;
  clean: ArrayLike<number>;
  batch: number;
  channels: number;
  frames: number;
  frameSize: number;
  guidance?: number;
}

export function flowMatchEulerStepReference(p: SamplerReferenceInput): { x: Float64Array; x0: Float64Array } {
  const elements = p.channels * p.frames * p.frameSize;
  const x = new Float64Array(p.batch * elements);
  const x0 = new Float64Array(p.batch * elements);
  for (let b = 0; b < p.batch; b++) {
    for (let i = 0; i < elements; i++) {
      const idx = b * elements + i;
      const frame = Math.floor(i / p.frameSize) % p.frames;
      const s = (b * p.frames + frame) * 4;
      const [t, tNext, clean] = [p.schedule[s], p.schedule[s + 1], p.schedule[s + 2]];
      if (clean !== 0) {
        x[idx] = x0[idx] = p.clean[idx];
        continue;
      }
      let v = p.velocity[idx];
      if (p.guidance !== undefined) {
        const vu = p.velocity[idx + p.batch * elements];
        v = vu + p.guidance * (v - vu);
      }
      x0[idx] = p.x[idx] - t * v;
      x[idx] = p.x[idx] + (tNext - t) * v;
    }
  }
  return { x, x0 };
}
