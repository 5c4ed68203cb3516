// Which frames of the output a generation must invent and which are given, and the windows the
// model denoises them in. The model takes at most `maxFrames` frames at once; longer videos are
// made window by window, each window starting `context` frames before the first frame still
// missing, so those frames (already made or given) condition it clean and the motion carries on.

export interface FramePlan {
  /** Frames in the output. */
  total: number;
  /** Output index → the RGBA frame given by the user (an image, a clip's frames). */
  given: ReadonlyMap<number, Uint8ClampedArray>;
  /** Re-imagine these frames (one per output frame) rather than start from pure noise (SDEdit). */
  edit?: { frames: readonly Uint8ClampedArray[]; strength: number };
  /**
   * Clean latents [C, h, w] by latent frame, from an earlier pass that made the given frames (a
   * storyboard's earlier shots): used as they are for the latent frames the given frames code,
   * instead of encoding the decoded frames again.
   */
  givenLatents?: ReadonlyMap<number, Float32Array>;
}

export interface PlanWindow {
  /** First output frame of the window. */
  start: number;
  /** Frames in the window. */
  length: number;
  /** Per window frame: true where it is known (given or made before) and conditions the rest. */
  known: boolean[];
}

/** Frames of context a window carries over from what came before it. */
export const WINDOW_CONTEXT = 4;

/**
 * The windows that make every missing frame, in order (each counts on what those before it made).
 * The units are the model's: frames for format 1, latent frames for format 2 (latent-plan.ts).
 */
export function planWindows(plan: { total: number; given: { has(i: number): boolean } }, maxFrames: number, context = WINDOW_CONTEXT): PlanWindow[] {
  if (!Number.isInteger(plan.total) || plan.total < 1) throw new RangeError(`A video needs at least one frame, not ${plan.total}.`);
  if (maxFrames < 2 && plan.total > 1) throw new RangeError('The model must take at least two frames to make a video longer than one frame.');
  const carry = Math.min(context, maxFrames - 1);
  const known = Array.from({ length: plan.total }, (_, i) => plan.given.has(i));
  const windows: PlanWindow[] = [];
  for (;;) {
    const missing = known.indexOf(false);
    if (missing < 0) return windows;
    const length = Math.min(maxFrames, plan.total);
    const start = Math.max(0, Math.min(missing - carry, plan.total - length));
    const window: PlanWindow = { start, length, known: known.slice(start, start + length) };
    windows.push(window);
    for (let i = start; i < start + length; i++) known[i] = true;
  }
}
