// A cheap preview of latents, for progress: one RGB pixel per latent pixel by the manifest's
// linear map (a 3×C least-squares fit of the VAE made at export), no decoder run.

export interface PreviewFrames {
  width: number;
  height: number;
  /** RGBA, one image per frame. */
  frames: Uint8ClampedArray[];
}

export function latentPreview(
  latents: Float32Array,
  shape: readonly [number, number, number, number],
  map: { matrix: number[][]; bias: number[] },
): PreviewFrames {
  const [C, T, h, w] = shape;
  const plane = h * w;
  const frames: Uint8ClampedArray[] = [];
  for (let f = 0; f < T; f++) {
    const rgba = new Uint8ClampedArray(plane * 4);
    for (let p = 0; p < plane; p++) {
      for (let ch = 0; ch < 3; ch++) {
        let v = map.bias[ch];
        for (let c = 0; c < C; c++) v += map.matrix[ch][c] * latents[(c * T + f) * plane + p];
        rgba[p * 4 + ch] = Math.round(Math.max(0, Math.min(1, v)) * 255);
      }
      rgba[p * 4 + 3] = 255;
    }
    frames.push(rgba);
  }
  return { width: w, height: h, frames };
}
