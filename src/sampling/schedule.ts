// The flow-matching time grid (models/kinora/sampling.py): for n steps, s_i = 1 − i/n and
// t_i = shift·s_i / (1 + (shift − 1)·s_i), from t = 1 (pure noise) down to t = 0 (clean).
// A shift above 1 spends more of the steps at high noise, where the layout is decided.

export function timeSchedule(steps: number, shift = 1): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  if (!(shift > 0)) throw new RangeError(`shift must be positive, got ${shift}`);
  const t = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const s = 1 - i / steps;
    t[i] = (shift * s) / (1 + (shift - 1) * s);
  }
  return t;
}
