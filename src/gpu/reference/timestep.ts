// CPU reference for shaders/timestep.wgsl: DiT's sinusoidal timestep features. The argument is
// rounded to f32 step by step exactly as PyTorch computes it in models/kinora/dit.py
// (freqs = exp(−ln(P)·arange/half) in f32; args = (1000·t)·freqs in f32); cos and sin in float64.

const f = Math.fround;

/** freq_k = exp(−ln(maxPeriod)·k/half), each operation rounded to f32 as torch does. */
export function timestepFrequencies(half: number, maxPeriod = 10000): Float32Array {
  const out = new Float32Array(half);
  const negLog = f(-Math.log(maxPeriod));
  for (let k = 0; k < half; k++) out[k] = f(Math.exp(f(f(negLog * k) / half)));
  return out;
}

export function timestepEmbeddingReference(t: ArrayLike<number>, dim: number, timeScale = 1000, maxPeriod = 10000): Float64Array {
  const half = dim / 2;
  const freqs = timestepFrequencies(half, maxPeriod);
  const out = new Float64Array(t.length * dim);
  for (let i = 0; i < t.length; i++) {
    const u = f(f(timeScale) * f(t[i]));
    for (let k = 0; k < half; k++) {
      const arg = f(u * freqs[k]);
      out[i * dim + k] = Math.cos(arg);
      out[i * dim + half + k] = Math.sin(arg);
    }
  }
  return out;
}
