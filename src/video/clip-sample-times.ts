// The timestamps at which to take frames from a user's clip so they match the model's frame
// rate: the first frames for extending backwards, the last ones for extending forwards.

export type ClipEnd = 'start' | 'end';

/**
 * Up to `maxFrames` timestamps (seconds), 1/fps apart, inside [first, end): from `first` onwards
 * when `from` is 'start', or finishing one frame before `end` when it is 'end'. A clip shorter
 * than one frame still gives one timestamp, its first.
 */
export function clipSampleTimes(first: number, end: number, fps: number, maxFrames: number, from: ClipEnd): number[] {
  if (!(fps > 0) || !Number.isInteger(maxFrames) || maxFrames < 1) {
    throw new RangeError(`need fps > 0 and a whole maxFrames ≥ 1, got fps ${fps}, maxFrames ${maxFrames}`);
  }
  // The epsilon keeps a 2.0 s clip at 8 fps at 16 frames despite floating-point error.
  const available = Math.max(1, Math.floor((end - first) * fps + 1e-6));
  const count = Math.min(maxFrames, available);
  const start = from === 'start' ? first : Math.max(first, end - count / fps);
  return Array.from({ length: count }, (_, i) => start + i / fps);
}
