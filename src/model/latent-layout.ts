// How a model's video frames map to its latent frames (docs/model-format.md). Format 1's VAE codes
// each frame alone: latent frame j is video frame j. Format 2's causal spacetime VAE codes a clip
// of 1 + f·k frames (f = time_factor, 4) as 1 + k latent frames: latent frame 0 is frame 0 alone,
// latent frame j ≥ 1 is frames f(j−1)+1 … f·j, and reads nothing after them (but everything
// before them). Its decoder draws `upsample`× the size its encoder reads. Everything that counts
// frames for the DiT — windows, given frames, the frame mask — counts latent frames through this.
import type { Aspect, ModelManifest } from './manifest';

export interface LatentLayout {
  /** Video frames per latent frame after the first (1 for a per-frame VAE). */
  readonly timeFactor: number;
  /** True where a latent frame depends on the frames before it (format 2): encoding needs context. */
  readonly causal: boolean;
  /** Output (decoder) pixels per encoder pixel: 2 for format 2, 1 for format 1. */
  readonly upsample: number;
  /** The most latent frames the DiT takes at once (manifest.video.max_frames in latent frames). */
  readonly maxLatentFrames: number;
  /**
   * Latent frames before a window's first new latent frame that its decode must include, so that
   * the causal decoder draws that window's frames exactly as one decode of the whole video would
   * (no seam). 0 for a per-frame VAE.
   */
  readonly decoderContext: number;
}

/**
 * The causal decoder's reach into the past, in latent frames (models/kinora/video_vae.py, Decoder):
 * its mid ResBlock's kernel-3 causal time conv reaches 2 latent frames back; each of the two
 * time levels adds a TimeUp (kernel 3 at the rate it reads: 2, then 1 latent frame) and a ResBlock
 * (kernel 3 at the doubled rate: 1, then ½). 2 + (2 + 1) + (1 + ½) = 6.5, so 7 latent frames of
 * context make a window's frames independent of where its decode started
 * (tests/unit/onnx-pipeline.test.ts checks a windowed decode against a whole one).
 */
const CAUSAL_DECODER_CONTEXT = 7;

export function latentLayout(m: Pick<ModelManifest, 'architecture' | 'video'>): LatentLayout {
  const vae = m.architecture.vae;
  if (vae.kind !== undefined && vae.kind !== 'causal_spacetime') {
    throw new Error(`This model's VAE is of a kind this version of Kinora cannot run ("${String(vae.kind)}"); reload for the newest app, or choose another model.`);
  }
  if (vae.kind === 'causal_spacetime') {
    const timeFactor = vae.time_factor ?? 4;
    const upsample = vae.upsample ?? 1;
    return {
      timeFactor,
      causal: true,
      upsample,
      maxLatentFrames: 1 + Math.floor((m.video.max_frames - 1) / timeFactor),
      decoderContext: timeFactor > 1 ? CAUSAL_DECODER_CONTEXT : 0,
    };
  }
  return { timeFactor: 1, causal: false, upsample: 1, maxLatentFrames: m.video.max_frames, decoderContext: 0 };
}

/** Latent frames that code (at least) the first `frames` video frames: 1 + ⌈(frames − 1)/f⌉. */
export function latentFramesFor(layout: LatentLayout, frames: number): number {
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`A clip needs at least one frame, not ${frames}.`);
  return 1 + Math.ceil((frames - 1) / layout.timeFactor);
}

/** Video frames that `latentFrames` latent frames decode to: 1 + f·(latentFrames − 1). */
export function framesOfLatents(layout: LatentLayout, latentFrames: number): number {
  return 1 + layout.timeFactor * (latentFrames - 1);
}

/** The video frames latent frame j codes, [first, last] inclusive. */
export function framesOfLatent(layout: LatentLayout, j: number): [number, number] {
  return j === 0 ? [0, 0] : [layout.timeFactor * (j - 1) + 1, layout.timeFactor * j];
}

/** The latent frame that codes video frame i. */
export function latentOfFrame(layout: LatentLayout, i: number): number {
  return Math.ceil(i / layout.timeFactor);
}

/** The encoder's input size at `aspect`: the output size over `upsample` (format 2: 64 px on the short side). */
export function encoderSize(m: Pick<ModelManifest, 'video'>, aspect: Aspect): { width: number; height: number } {
  return (m.video.encoder_sizes ?? m.video.sizes)[aspect];
}
