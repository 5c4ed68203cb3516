// What both flow-matching samplers take: sampleFlow (flow-sampler.ts) on CPU arrays and
// sampleOnGpu (gpu-flow-sampler.ts) on GPU tensors run the same schedule, guidance and clean
// frames; they differ only in where the latents live, so only in their velocity callback.

export interface SamplerRun {
  /** [C, T, h, w] */
  shape: readonly [number, number, number, number];
  steps: number;
  shift: number;
  /** 1 = conditional velocity only (one forward per step); ≠ 1 batches cond and uncond. */
  guidance: number;
  /** Clean latents [C, T, h, w] for the frames marked in `conditionFrames`. */
  conditionLatents?: Float32Array;
  /** Per frame: true where the frame is given and stays fixed. */
  conditionFrames?: readonly boolean[];
  /**
   * An edit (SDEdit): start from these clean latents [C, T, h, w] noised to t = strength,
   * x = (1 − s)·x0 + s·noise, and denoise from there under the prompt.
   */
  edit?: { latents: Float32Array; strength: number };
  /** Called after each step with the model's clean estimate x0 = x_t − t·v [C, T, h, w]. */
  onStep?: (step: number, estimate: Float32Array) => void | Promise<void>;
  /** Checked before every step: cancellation stops within one step. */
  signal?: AbortSignal;
}

/** Forwards per step: 2 (conditional first, then unconditional) when guidance ≠ 1, else 1. */
export function guidanceBatch(guidance: number): 1 | 2 {
  return guidance === 1 ? 1 : 2;
}
