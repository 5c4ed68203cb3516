// cos and sin accurate to ~1e-7, for kernels whose results are compared with PyTorch: WGSL
// promises its built-in cos/sin only to 2⁻¹¹ absolute even in [−π, π], and SwiftShader's are
// off by ~2e-4 everywhere. Composed in front of a kernel's source by its host module.

// π/2 split Cody–Waite style: HALF_PI_HI has 8 significant bits, so quadrant·HALF_PI_HI is exact
// for every argument the embedding meets (|arg| ≤ 1000).
const HALF_PI_HI: f32 = 1.5703125;
const HALF_PI_LO: f32 = 4.8382679489661923e-4;
const TWO_OVER_PI: f32 = 0.6366197723675814;

// (cos x, sin x) to ~1e-7: reduce to r ∈ [−π/4, π/4] and a quadrant, then Taylor polynomials
// (the first omitted terms, r¹¹/11! and r¹⁰/10!, are below 3e-8 there).
fn accurate_cos_sin(x: f32) -> vec2<f32> {
  let quadrant = round(x * TWO_OVER_PI);
  let r = (x - quadrant * HALF_PI_HI) - quadrant * HALF_PI_LO;
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0)))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0))));
  // x = r + q·π/2: rotate (cos r, sin r) by q quarter turns.
  let q = i32(quadrant) & 3;
  if (q == 0) { return vec2<f32>(c, s); }
  if (q == 1) { return vec2<f32>(-s, c); }
  if (q == 2) { return vec2<f32>(-c, -s); }
  return vec2<f32>(s, -c);
}
