// timestep_embedding: DiT's TimestepEmbedder frequency features, one row per timestep.
//   t [count] (one per frame per sample) → emb [count, 2·half]:
//   u = time_scale·t; arg_k = u·freq_k;  emb = [cos(arg_0 … arg_{half−1}), sin(arg_0 … arg_{half−1})]
//   (cos first), freq_k = exp(−ln(max_period)·k/half) given as a table.
// To match PyTorch (which computes freq and arg in f32 and then takes an accurate cos), the
// frequencies come from the CPU rounded to f32 exactly as PyTorch rounds them (WGSL's exp may be
// off by ~20 ulp at −9, i.e. 1e-3 rad once multiplied by 1000), and cos/sin are our own
// (trig_fns.wgsl), accurate to ~1e-7 for any argument the embedding meets.
// The MLP that follows (Linear, SiLU, Linear) is matmul + activation.

struct Params {
  count: u32,
  half_dim: u32,
  time_scale: f32,      // 1000 for Kinora (t ∈ [0, 1])
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> timesteps: array<f32>;
@group(0) @binding(2) var<storage, read> frequencies: array<f32>;
@group(0) @binding(3) var<storage, read_write> emb: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn timestep_embedding(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  let row = gid.y + gid.z * 65535u;
  if (k >= params.half_dim || row >= params.count) {
    return;
  }
  let arg = (params.time_scale * timesteps[row]) * frequencies[k];
  let cs = accurate_cos_sin(arg);
  let base = row * 2u * params.half_dim;
  emb[base + k] = cs.x;
  emb[base + params.half_dim + k] = cs.y;
}
