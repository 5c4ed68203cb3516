// patchify / unpatchify between a latent video and DiT tokens. Both walk the latent index space
// (one thread per element) through one bijection, so every output element is written exactly once.
//   latent [batch, C, T, H, W]  ⇄  tokens [batch, N, C·p_t·p_h·p_w],
//   N = (T/p_t)·(H/p_h)·(W/p_w), token n = (f·(H/p_h) + i)·(W/p_w) + j,
//   feature inside a patch in order (c, dt, dy, dx): ((c·p_t + dt)·p_h + dy)·p_w + dx
//   (docs/model-format.md: index c·4 + a·2 + b for p = (1, 2, 2)).

struct Params {
  channels: u32,
  frames: u32,
  height: u32,
  width: u32,
  patch_t: u32,
  patch_h: u32,
  patch_w: u32,
  count: u32,     // elements per batch sample (the same on both sides)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

// Where latent element (c, f, y, x) of one sample sits in that sample's token tensor.
fn token_index(c: u32, f: u32, y: u32, x: u32) -> u32 {
  let grid_h = params.height / params.patch_h;
  let grid_w = params.width / params.patch_w;
  let token = ((f / params.patch_t) * grid_h + y / params.patch_h) * grid_w + x / params.patch_w;
  let patch_size = params.channels * params.patch_t * params.patch_h * params.patch_w;
  let feature = ((c * params.patch_t + f % params.patch_t) * params.patch_h + y % params.patch_h) * params.patch_w + x % params.patch_w;
  return token * patch_size + feature;
}

fn flat_index(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.x + gid.y * groups.x * 256u;
}

// Latent element → its (c, f, y, x).
fn latent_coords(i: u32) -> vec4<u32> {
  let x = i % params.width;
  let y = (i / params.width) % params.height;
  let f = (i / (params.width * params.height)) % params.frames;
  let c = i / (params.width * params.height * params.frames);
  return vec4<u32>(c, f, y, x);
}

@compute @workgroup_size(256, 1, 1)
fn unpatchify(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flat_index(gid, groups);
  if (i >= params.count) {
    return;
  }
  let base = gid.z * params.count;
  let p = latent_coords(i);
  dst[base + i] = src[base + token_index(p.x, p.y, p.z, p.w)];
}

// The inverse: each latent element goes to its token slot (a scatter through the same bijection).
@compute @workgroup_size(256, 1, 1)
fn patchify(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flat_index(gid, groups);
  if (i >= params.count) {
    return;
  }
  let base = gid.z * params.count;
  let p = latent_coords(i);
  dst[base + token_index(p.x, p.y, p.z, p.w)] = src[base + i];
}
