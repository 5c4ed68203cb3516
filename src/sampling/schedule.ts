// The flow-matching time grid (models/kinora/sampling.py): for n steps, s_i = 1 − i/n and
// t_i = shift·s_i / (1 + (shift − 1)·s_i), from t = 1 (pure noise) down to t = 0 (clean).
// A shift above 1 spends more of the steps at high noise, where the layout is decided.

/**
 * `strength` < 1 starts part of the way (an edit of an existing clip, SDEdit): every time is
 * scaled by it, so the run goes from t = strength to 0.
 */
export function timeSchedule(steps: number, shift = 1, strength = 1): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  if (!(shift > 0)) throw new RangeError(`shift must be positive, got ${shift}`);
  if (!(strength > 0 && strength <= 1)) throw new RangeError(`strength must be in (0, 1], got ${strength}`);
  const t = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const s = 1 - i / steps;
    t[i] = (strength * shift * s) / (1 + (shift - 1) * s);
  }
  return t;
}
