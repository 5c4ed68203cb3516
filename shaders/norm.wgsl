// layer_norm_modulate: y = LN(x)·(1 + scale) + shift, LayerNorm without affine (eps from params),
// with the adaLN modulation vectors read straight out of the modulation tensor mod [batch,
// rows, width] (e.g. [B, T, 6d] per frame): token n of a batch uses row n / tokens_per_mod_row,
// so per-frame (S tokens per row), per-token (1) and per-sample (N) modulation are one kernel.
// Without MODULATE it is a plain LayerNorm (the cross-attention's input).
// One workgroup per token row: each thread sums its vec4s, then a tree reduction in workgroup
// memory; mean and variance in two passes over the row (it is re-read from cache), which avoids
// the cancellation of E[x²] − E[x]².

struct Params {
  rows: u32,              // tokens per batch
  dim_vec4: u32,          // d / 4
  eps: f32,
  tokens_per_mod_row: u32,
  mod_batch_stride: u32,  // in vec4
  mod_row_stride: u32,    // in vec4
  shift_offset: u32,      // in vec4, inside a modulation row
  scale_offset: u32,      // in vec4
}

override WG: u32 = 16;   // threads per row (a power of two); see src/gpu/norm.ts
override MODULATE: bool = true;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> modulation: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<vec4<f32>>;

var<workgroup> partial: array<f32, WG>;

fn workgroup_sum(value: f32, lid: u32) -> f32 {
  partial[lid] = value;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      partial[lid] += partial[lid + stride];
    }
    workgroupBarrier();
  }
  let total = partial[0];
  workgroupBarrier(); // partial is reused by the next reduction
  return total;
}

@compute @workgroup_size(WG, 1, 1)
fn layer_norm_modulate(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  // Rows are spread over x and y of the grid (a grid side is at most 65535 workgroups).
  let token = wid.x + wid.y * 65535u;
  let batch = wid.z;
  let token_ok = token < params.rows;
  let t = min(token, params.rows - 1u);
  let base = (batch * params.rows + t) * params.dim_vec4;
  let n = f32(params.dim_vec4 * 4u);

  var s = 0.0;
  for (var c = lid; c < params.dim_vec4; c += WG) {
    let v = x[base + c];
    s += v.x + v.y + v.z + v.w;
  }
  let mean = workgroup_sum(s, lid) / n;
  var sq = 0.0;
  for (var c = lid; c < params.dim_vec4; c += WG) {
    let dv = x[base + c] - mean;
    sq += dot(dv, dv);
  }
  let inv_std = inverseSqrt(workgroup_sum(sq, lid) / n + params.eps);

  if (!token_ok) {
    return;
  }
  let mod_base = batch * params.mod_batch_stride + (t / params.tokens_per_mod_row) * params.mod_row_stride;
  for (var c = lid; c < params.dim_vec4; c += WG) {
    var v = (x[base + c] - mean) * inv_std;
    if (MODULATE) {
      v = v * (1.0 + modulation[mod_base + params.scale_offset + c]) + modulation[mod_base + params.shift_offset + c];
    }
    y[base + c] = v;
  }
}
