// matmul_vec4_reg_tile: C[b] = epilogue(A[b] · W[b] + bias), for the DiT's Linear layers.
//   A [batch, M, K] activations, row-major.
//   W [K, N] weights stored [in, out] (the transpose of PyTorch's Linear.weight), so each thread
//     reads 4 output columns of one input row as one contiguous vec4; batch stride 0 = shared.
//   C [batch, M, N].
// Each thread owns a 4-row × 4-column register tile (16 accumulators) and walks K four at a time:
// per step it loads 4 vec4 of A and 4 vec4 of W and does 64 FMAs, with no workgroup memory and
// no barriers (on SwiftShader barriers dominate; on GPUs the vec4 loads are coalesced along N).
// K and N must be multiples of 4 (every DiT Linear is). FITS_TILE drops all bounds handling
// when M is a multiple of 4·WG_Y and N of 4·WG_X.

struct Params {
  m: u32,
  n_vec4: u32,
  k_vec4: u32,
  a_batch_stride: u32,    // in vec4
  w_batch_stride: u32,    // in vec4 (f32) or in 4-weight groups (f16); 0 = one W for all batches
  c_batch_stride: u32,    // in vec4
  gate_rows_per_vector: u32, // rows of C that share one gate vector (tokens per frame; 1 = per token)
  gate_batch_stride: u32, // in vec4
  gate_row_stride: u32,   // in vec4
  gate_offset: u32,       // in vec4: where the gate chunk starts inside a modulation row
}

override WG_X: u32 = 16;
override WG_Y: u32 = 4;
override FITS_TILE: bool = false;
override HAS_BIAS: bool = true;
override APPLY_GELU: bool = false;
// 0: C = result. 1: C += result (residual). 2: C += gate ⊙ result (adaLN-Zero gated residual).
override EPILOGUE: u32 = 0;
// W holds IEEE half floats, two per u32, read through unpack2x16float (no shader-f16 needed).
override WEIGHTS_F16: bool = false;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> gate: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> c: array<vec4<f32>>;

// Four consecutive weights W[k, 4·col4 .. 4·col4+3] of batch matrix at w_base.
fn load_w(w_base: u32, k: u32, col4: u32) -> vec4<f32> {
  let idx = w_base + k * params.n_vec4 + col4;
  if (WEIGHTS_F16) {
    let word = w[idx >> 1u];
    let pair = select(word.xy, word.zw, (idx & 1u) == 1u);
    return vec4<f32>(unpack2x16float(pair.x), unpack2x16float(pair.y));
  }
  return bitcast<vec4<f32>>(w[idx]);
}

@compute @workgroup_size(WG_X, WG_Y, 1)
fn matmul_vec4_reg_tile(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col4 = gid.x;
  let row0 = gid.y * 4u;
  let batch = gid.z;
  let m = params.m;
  if (!FITS_TILE && (row0 >= m || col4 >= params.n_vec4)) {
    return;
  }
  // Rows past M read row M−1 (valid memory; their results are never stored), which keeps the
  // hot loop free of branches.
  var r1 = row0 + 1u;
  var r2 = row0 + 2u;
  var r3 = row0 + 3u;
  if (!FITS_TILE) {
    r1 = min(r1, m - 1u);
    r2 = min(r2, m - 1u);
    r3 = min(r3, m - 1u);
  }
  let kv = params.k_vec4;
  let a_base = batch * params.a_batch_stride;
  let a0 = a_base + row0 * kv;
  let a1 = a_base + r1 * kv;
  let a2 = a_base + r2 * kv;
  let a3 = a_base + r3 * kv;
  let w_base = batch * params.w_batch_stride;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k4 = 0u; k4 < kv; k4++) {
    let k = k4 * 4u;
    let w0 = load_w(w_base, k, col4);
    let w1 = load_w(w_base, k + 1u, col4);
    let w2 = load_w(w_base, k + 2u, col4);
    let w3 = load_w(w_base, k + 3u, col4);
    let x0 = a[a0 + k4];
    let x1 = a[a1 + k4];
    let x2 = a[a2 + k4];
    let x3 = a[a3 + k4];
    acc0 += x0.x * w0 + x0.y * w1 + x0.z * w2 + x0.w * w3;
    acc1 += x1.x * w0 + x1.y * w1 + x1.z * w2 + x1.w * w3;
    acc2 += x2.x * w0 + x2.y * w1 + x2.z * w2 + x2.w * w3;
    acc3 += x3.x * w0 + x3.y * w1 + x3.z * w2 + x3.w * w3;
  }

  store_row(batch, row0, col4, acc0);
  if (FITS_TILE || row0 + 1u < m) { store_row(batch, row0 + 1u, col4, acc1); }
  if (FITS_TILE || row0 + 2u < m) { store_row(batch, row0 + 2u, col4, acc2); }
  if (FITS_TILE || row0 + 3u < m) { store_row(batch, row0 + 3u, col4, acc3); }
}

fn store_row(batch: u32, row: u32, col4: u32, acc: vec4<f32>) {
  var v = acc;
  if (HAS_BIAS) { v += bias[col4]; }
  if (APPLY_GELU) { v = gelu_tanh(v); }
  let idx = batch * params.c_batch_stride + row * params.n_vec4 + col4;
  if (EPILOGUE == 0u) {
    c[idx] = v;
  } else if (EPILOGUE == 1u) {
    c[idx] += v;
  } else {
    let g = gate[batch * params.gate_batch_stride + (row / params.gate_rows_per_vector) * params.gate_row_stride + params.gate_offset + col4];
    c[idx] += g * v;
  }
}
