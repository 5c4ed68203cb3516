// CPU reference for shaders/patchify.wgsl: latent [batch, C, T, H, W] ⇄ tokens [batch, N, C·p_t·p_h·p_w],
// token n = (f'·H' + i)·W' + j, feature ((c·p_t + dt)·p_h + dy)·p_w + dx (docs/model-format.md).

export interface PatchGeometry {
  batch: number;
  channels: number;
  frames: number;
  height: number;
  width: number;
  patch: { t: number; h: number; w: number };
}

/** For each latent element (in [batch, C, T, H, W] order), its index in the token tensor. */
export function latentToTokenIndex(g: PatchGeometry): Uint32Array {
  const { batch, channels: C, frames: T, height: H, width: W, patch: p } = g;
  const gh = H / p.h;
  const gw = W / p.w;
  const patchSize = C * p.t * p.h * p.w;
  const perSample = C * T * H * W;
  const map = new Uint32Array(batch * perSample);
  let i = 0;
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < C; c++)
      for (let f = 0; f < T; f++)
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) {
            const token = (Math.floor(f / p.t) * gh + Math.floor(y / p.h)) * gw + Math.floor(x / p.w);
            const feature = ((c * p.t + (f % p.t)) * p.h + (y % p.h)) * p.w + (x % p.w);
            map[i++] = b * perSample + token * patchSize + feature;
          }
  return map;
}

export function patchifyReference(latent: ArrayLike<number>, g: PatchGeometry): Float32Array {
  const map = latentToTokenIndex(g);
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) out[map[i]] = latent[i];
  return out;
}

export function unpatchifyReference(tokens: ArrayLike<number>, g: PatchGeometry): Float32Array {
  const map = latentToTokenIndex(g);
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = tokens[map[i]];
  return out;
}
