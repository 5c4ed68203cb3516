// flash_attention_tile: O = softmax(Q·Kᵀ·scale + mask)·V per (batch, head), never forming N×N.
// Layouts (token-major, heads side by side, as a Linear's output lays them out):
//   Q [batch, q_len, *] where head h of token i starts at q_offset + i·q_token_stride + h·HEAD_DIM;
//   K, V likewise with their own strides and offsets, so Q, K, V can sit inside one fused
//   qkv buffer [batch, N, 3d] with no split; O [batch, q_len, heads·HEAD_DIM] (feeds the out Linear).
//   key_mask [batch, kv_len] (1 = attend, 0 = padding), for cross-attention to text tokens.
// Each workgroup takes QUERY_TILE queries of one head; each thread owns one query: q and its
// output accumulator live in registers. K/V are streamed through workgroup memory KEY_TILE keys
// at a time (loaded cooperatively by the whole workgroup), and the softmax is computed online:
// a running max and denominator, with the accumulator rescaled whenever the max grows.
// Exponentials are taken base 2 with log2(e) folded into the query scale.

struct Params {
  q_len: u32,
  kv_len: u32,
  num_heads: u32,
  scale_log2e: f32,       // 1/√head_dim · log2(e)
  q_token_stride: u32,    // all strides and offsets in vec4
  q_offset: u32,
  q_batch_stride: u32,
  k_token_stride: u32,
  k_offset: u32,
  k_batch_stride: u32,
  v_token_stride: u32,
  v_offset: u32,
  v_batch_stride: u32,
  o_token_stride: u32,
  o_offset: u32,
  o_batch_stride: u32,
  mask_batch_stride: u32, // in elements
}

override HEAD_DIM_VEC4: u32 = 16;   // head_dim / 4; at most MAX_HEAD_DIM_VEC4
override KEY_TILE: u32 = 32;        // keys per workgroup-memory tile; at most MAX_KEY_TILE
override QUERY_TILE: u32 = 64;      // queries (threads) per workgroup
override HAS_KEY_MASK: bool = false;

const MAX_HEAD_DIM_VEC4: u32 = 32;  // head_dim 128
const MAX_KEY_TILE: u32 = 64;
const NEG_BIG: f32 = -3.0e38;       // "minus infinity" that keeps exp2(m_old − m_new) finite

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> k: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> v: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> key_mask: array<f32>;
@group(0) @binding(5) var<storage, read_write> o: array<vec4<f32>>;

var<workgroup> k_tile: array<vec4<f32>, KEY_TILE * HEAD_DIM_VEC4>;
var<workgroup> v_tile: array<vec4<f32>, KEY_TILE * HEAD_DIM_VEC4>;
var<workgroup> key_valid: array<f32, KEY_TILE>;

@compute @workgroup_size(QUERY_TILE, 1, 1)
fn flash_attention_tile(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let head = wid.y;
  let batch = wid.z;
  let query = wid.x * QUERY_TILE + lid;
  let has_query = query < params.q_len;
  let head_off = head * HEAD_DIM_VEC4;

  // The query, pre-scaled so that scores come out in log2 units.
  var q_reg: array<vec4<f32>, MAX_HEAD_DIM_VEC4>;
  var acc: array<vec4<f32>, MAX_HEAD_DIM_VEC4>;
  let q_base = batch * params.q_batch_stride + min(query, params.q_len - 1u) * params.q_token_stride + params.q_offset + head_off;
  for (var c = 0u; c < HEAD_DIM_VEC4; c++) {
    q_reg[c] = q[q_base + c] * params.scale_log2e;
    acc[c] = vec4<f32>(0.0);
  }
  var row_max = NEG_BIG;
  var exp_sum = 0.0;
  var scores: array<f32, MAX_KEY_TILE>;

  let k_batch = batch * params.k_batch_stride + params.k_offset + head_off;
  let v_batch = batch * params.v_batch_stride + params.v_offset + head_off;
  let tile_elems = KEY_TILE * HEAD_DIM_VEC4;
  for (var tile_start = 0u; tile_start < params.kv_len; tile_start += KEY_TILE) {
    // Everyone is done reading the previous tile before it is overwritten.
    workgroupBarrier();
    for (var i = lid; i < tile_elems; i += QUERY_TILE) {
      let key = tile_start + i / HEAD_DIM_VEC4;
      let c = i % HEAD_DIM_VEC4;
      if (key < params.kv_len) {
        k_tile[i] = k[k_batch + key * params.k_token_stride + c];
        v_tile[i] = v[v_batch + key * params.v_token_stride + c];
      } else {
        k_tile[i] = vec4<f32>(0.0);
        v_tile[i] = vec4<f32>(0.0);
      }
    }
    for (var j = lid; j < KEY_TILE; j += QUERY_TILE) {
      let key = tile_start + j;
      var valid = key < params.kv_len;
      if (HAS_KEY_MASK && valid) {
        valid = key_mask[batch * params.mask_batch_stride + key] != 0.0;
      }
      key_valid[j] = select(0.0, 1.0, valid);
    }
    workgroupBarrier();

    // Scores for this tile, and the tile's max over valid keys.
    var tile_max = NEG_BIG;
    for (var j = 0u; j < KEY_TILE; j++) {
      var s = 0.0;
      let base = j * HEAD_DIM_VEC4;
      for (var c = 0u; c < HEAD_DIM_VEC4; c++) {
        s += dot(q_reg[c], k_tile[base + c]);
      }
      s = select(NEG_BIG, s, key_valid[j] != 0.0);
      scores[j] = s;
      tile_max = max(tile_max, s);
    }
    // A tile of nothing but padding changes nothing. (An `if`, not `continue`: the loop must
    // stay uniform for the barriers at its top.)
    if (tile_max > NEG_BIG) {
      // Online softmax: rescale what was accumulated under the old max.
      let new_max = max(row_max, tile_max);
      let correction = exp2(row_max - new_max);
      row_max = new_max;
      // Probabilities replace the scores in place; then each output vec4 is accumulated over the
      // tile in a local, so the accumulator array is touched once per tile, not once per key
      // (it lives in memory on SwiftShader; on GPUs both forms sit in registers).
      var tile_sum = 0.0;
      for (var j = 0u; j < KEY_TILE; j++) {
        let p = select(0.0, exp2(scores[j] - new_max), key_valid[j] != 0.0);
        scores[j] = p;
        tile_sum += p;
      }
      exp_sum = exp_sum * correction + tile_sum;
      for (var c = 0u; c < HEAD_DIM_VEC4; c++) {
        var out_c = acc[c] * correction;
        for (var j = 0u; j < KEY_TILE; j++) {
          out_c += scores[j] * v_tile[j * HEAD_DIM_VEC4 + c];
        }
        acc[c] = out_c;
      }
    }
  }

  if (has_query) {
    // A query whose keys are all padding gets zeros rather than 0/0.
    let inv = select(0.0, 1.0 / exp_sum, exp_sum > 0.0);
    let o_base = batch * params.o_batch_stride + query * params.o_token_stride + params.o_offset + head_off;
    for (var c = 0u; c < HEAD_DIM_VEC4; c++) {
      o[o_base + c] = acc[c] * inv;
    }
  }
}
