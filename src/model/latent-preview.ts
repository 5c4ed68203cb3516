// A cheap preview of latents, for progress: one RGB pixel per latent pixel by the manifest's
// linear map (a 3×C least-squares fit of the VAE made at export), no decoder run. Format 2's
// latent frame j ≥ 1 codes 4 frames, so its picture is shown 4 times: the preview plays at the
// video's pace.

export interface PreviewFrames {
  width: number;
  height: number;
  /** RGBA, one image per frame. */
  frames: Uint8ClampedArray[];
}

export interface PreviewTiming {
  /** Video frames per latent frame (1 for format 1, 4 for format 2). */
  timeFactor: number;
  /** Whether the first latent frame is the clip's frame 0, which codes one frame alone. */
  startsClip: boolean;
}

export function latentPreview(
  latents: Float32Array,
  shape: readonly [number, number, number, number],
  map: { matrix: number[][]; bias: number[] },
  timing: PreviewTiming = { timeFactor: 1, startsClip: true },
): PreviewFrames {
  const [C, T, h, w] = shape;
  if (map.matrix.length !== 3 || map.matrix.some((row) => row.length !== C)) {
    throw new Error(`The preview map is not 3×${C} for latents of ${C} channels.`);
  }
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
    const repeats = f === 0 && timing.startsClip ? 1 : timing.timeFactor;
    for (let r = 0; r < repeats; r++) frames.push(rgba);
  }
  return { width: w, height: h, frames };
}
