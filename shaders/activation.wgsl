// Elementwise SiLU and GELU(tanh) over vec4s: y = f(x). The functions live in activation_fns.wgsl,
// shared with the matmul epilogue. (Both entry points use the same bindings.)

struct Params {
  count_vec4: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<f32>>;

fn flat_index(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
  return gid.x + gid.y * groups.x * 256u;
}

@compute @workgroup_size(256, 1, 1)
fn silu_vec4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flat_index(gid, groups);
  if (i < params.count_vec4) {
    y[i] = silu(x[i]);
  }
}

@compute @workgroup_size(256, 1, 1)
fn gelu_tanh_vec4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = flat_index(gid, groups);
  if (i < params.count_vec4) {
    y[i] = gelu_tanh(x[i]);
  }
}
