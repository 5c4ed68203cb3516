// philox_gaussian: seeded standard-normal noise from a counter-based generator, so a seed gives
// the same noise on every GPU and in the CPU reference (src/gpu/reference/philox.ts).
// Philox4x32-10 (Salmon et al., SC'11; Random123) with key = (seed_lo, seed_hi) and counter
// (g, stream, 0, 0) gives four u32 for output group g = outputs 4g … 4g+3; Box–Muller turns
// (u1, u2) pairs into normals: u1 = (top 24 bits + 1)·2⁻²⁴ ∈ (0, 1], u2 = top 24 bits·2⁻²⁴ ∈ [0, 1),
// z = √(−2 ln u1)·(cos 2πu2, sin 2πu2). Both u are exact in f32, so only log and the last ulps of
// our cos/sin differ between devices.

struct Params {
  count: u32,
  seed_lo: u32,
  seed_hi: u32,
  stream: u32,    // separates independent draws from one seed (e.g. initial noise vs. others)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u;
const PHILOX_W1: u32 = 0xBB67AE85u;

// The full 64-bit product a·b as (hi, lo), from 16-bit halves (WGSL has no 64-bit integers).
fn mul_wide(a: u32, b: u32) -> vec2<u32> {
  let a_lo = a & 0xffffu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xffffu;
  let b_hi = b >> 16u;
  let lo_lo = a_lo * b_lo;
  let lo_hi = a_lo * b_hi;
  let hi_lo = a_hi * b_lo;
  let hi_hi = a_hi * b_hi;
  let mid = (lo_lo >> 16u) + (lo_hi & 0xffffu) + (hi_lo & 0xffffu);
  let hi = hi_hi + (lo_hi >> 16u) + (hi_lo >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}

fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let p0 = mul_wide(PHILOX_M0, c.x);
    let p1 = mul_wide(PHILOX_M1, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k += vec2<u32>(PHILOX_W0, PHILOX_W1);
  }
  return c;
}

fn box_muller(bits_r: u32, bits_theta: u32) -> vec2<f32> {
  let u1 = (f32(bits_r >> 8u) + 1.0) * 5.9604644775390625e-8;  // 2⁻²⁴
  let u2 = f32(bits_theta >> 8u) * 5.9604644775390625e-8;
  let r = sqrt(-2.0 * log(u1));
  // θ = 2π·u2 ∈ [0, 2π); accurate_cos_sin (trig_fns.wgsl) rather than the built-ins, whose error
  // (up to 2⁻¹¹) would make the noise differ between devices in the fourth decimal.
  return r * accurate_cos_sin(6.283185307179586 * u2);
}

@compute @workgroup_size(64, 1, 1)
fn philox_gaussian(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let group = gid.x + gid.y * groups.x * 64u;
  let first = group * 4u;
  if (first >= params.count) {
    return;
  }
  let bits = philox4x32_10(vec4<u32>(group, params.stream, 0u, 0u), vec2<u32>(params.seed_lo, params.seed_hi));
  let z = vec4<f32>(box_muller(bits.x, bits.y), box_muller(bits.z, bits.w));
  for (var lane = 0u; lane < 4u; lane++) {
    if (first + lane < params.count) {
      out[first + lane] = z[lane];
    }
  }
}
