// rope_3d_interleaved: rotary position embedding over (frame, patch row, patch column), applied
// in place to q and k inside a token-major tensor (typically the fused qkv [batch, N, 3d]).
// Convention (docs/model-format.md, "3D rotary embedding"): a head's pairs are interleaved,
// pair p = dims (2p, 2p+1). The first d_t/2 pairs rotate by the frame index f, the next d_h/2 by
// the patch row i, the next d_w/2 by the patch column j, pair p' within its part with frequency
// base^(−2p'/d_part). Pairs beyond d_t+d_h+d_w (if any) are left as they are.
// Token n = (f·grid_h + i)·grid_w + j. One thread per (token, head, pair); q and k share its angle.
// cos/sin come from a small table built on the CPU in float64 (src/gpu/rope.ts, ropeAngleTable):
// WGSL only promises cos/sin to 2⁻¹¹ absolute, and SwiftShader's are off by ~1e-5 at 1 rad and
// ~2e-4 at 15 rad, which would cost parity with PyTorch. The table is tiny: one (cos, sin) per
// (axis position, pair of that axis), i.e. T·d_t/2 + H'·d_h/2 + W'·d_w/2 entries.

struct Params {
  tokens: u32,          // per batch: grid_t · grid_h · grid_w
  grid_h: u32,
  grid_w: u32,
  num_heads: u32,
  head_dim: u32,
  pairs_t: u32,         // d_t / 2
  pairs_h: u32,         // d_h / 2
  pairs_w: u32,         // d_w / 2
  token_stride: u32,    // in elements
  q_offset: u32,        // in elements: where head 0 of q starts in a token row
  k_offset: u32,
  batch_stride: u32,    // in elements
  table_h_start: u32,   // where the patch-row part of the angle table starts (= frames·pairs_t)
  table_w_start: u32,   // where the patch-column part starts
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> qk: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> angle_table: array<vec2<f32>>;  // (cos θ, sin θ)

@compute @workgroup_size(64, 1, 1)
fn rope_3d_interleaved(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let rotated_pairs = params.pairs_t + params.pairs_h + params.pairs_w;
  let per_token = params.num_heads * rotated_pairs;
  let index = gid.x + gid.y * groups.x * 64u;
  let batch = gid.z;
  if (index >= params.tokens * per_token) {
    return;
  }
  let token = index / per_token;
  let head = (index % per_token) / rotated_pairs;
  let pair = index % rotated_pairs;

  // Which axis this pair follows, and its (cos, sin) entry for this token's position on that axis.
  var entry: u32;
  if (pair < params.pairs_t) {
    let frame = token / (params.grid_h * params.grid_w);
    entry = frame * params.pairs_t + pair;
  } else if (pair < params.pairs_t + params.pairs_h) {
    let row = (token / params.grid_w) % params.grid_h;
    entry = params.table_h_start + row * params.pairs_h + (pair - params.pairs_t);
  } else {
    let column = token % params.grid_w;
    entry = params.table_w_start + column * params.pairs_w + (pair - params.pairs_t - params.pairs_h);
  }
  let rotation = angle_table[entry];
  let cs = rotation.x;
  let sn = rotation.y;

  // Element offsets are even (head_dim and offsets are), so a pair is one vec2.
  let row = batch * params.batch_stride + token * params.token_stride + head * params.head_dim + 2u * pair;
  let qi = (row + params.q_offset) / 2u;
  let ki = (row + params.k_offset) / 2u;
  let q = qk[qi];
  let k = qk[ki];
  qk[qi] = vec2<f32>(q.x * cs - q.y * sn, q.x * sn + q.y * cs);
  qk[ki] = vec2<f32>(k.x * cs - k.y * sn, k.x * sn + k.y * cs);
}
