// flow_match_euler_step: one Euler step of the flow-matching sampler, in place on the latent,
// with classifier-free guidance and clean-frame masking fused in (docs/model-format.md, "Sampler").
//   x [batch, C, T, H, W]; velocity [2·batch, C, T, H, W] (cond rows first, then uncond) when
//   GUIDED, else [batch, …]; schedule [batch, T] of vec4 (t, t_next, clean, unused) per frame;
//   clean [batch, C, T, H, W] holds the given frames' latents.
//   v = v_u + g·(v_c − v_u);  x ← x + (t_next − t)·v;  given frames: x ← clean.
// With WRITE_X0 it also writes the current estimate of the clean latent, x0 = x − t·v, for previews.

struct Params {
  elements: u32,       // C·T·H·W per sample
  frame_size: u32,     // H·W
  frames: u32,
  guidance: f32,
  uncond_offset: u32,  // elements from a cond row to its uncond row (batch·elements)
}

override GUIDED: bool = true;
override WRITE_X0: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> velocity: array<f32>;
@group(0) @binding(3) var<storage, read> schedule: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> clean: array<f32>;
@group(0) @binding(5) var<storage, read_write> x0_estimate: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn flow_match_euler_step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = gid.x + gid.y * groups.x * 256u;
  let batch = gid.z;
  if (i >= params.elements) {
    return;
  }
  let idx = batch * params.elements + i;
  let frame = (i / params.frame_size) % params.frames;
  let sched = schedule[batch * params.frames + frame];
  if (sched.z != 0.0) {
    x[idx] = clean[idx];
    if (WRITE_X0) { x0_estimate[idx] = clean[idx]; }
    return;
  }
  var v = velocity[idx];
  if (GUIDED) {
    let v_uncond = velocity[idx + params.uncond_offset];
    v = v_uncond + params.guidance * (v - v_uncond);
  }
  let xt = x[idx];
  if (WRITE_X0) { x0_estimate[idx] = xt - sched.x * v; }
  x[idx] = xt + (sched.y - sched.x) * v;
}
