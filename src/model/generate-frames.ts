// One text-to-video generation, prompt to RGBA frames: tokenize, encode the text (and the empty
// caption for guidance), draw seeded noise, denoise with the flow sampler, decode with the VAE.
import { sampleFlow } from '../sampling/flow-sampler';
import { seededNormals } from '../sampling/seeded-noise';
import type { KinoraModel } from './kinora-model';
import { latentPreview, type PreviewFrames } from './latent-preview';
import { latentShape, type Aspect } from './manifest';
import type { RgbaFrames } from './vae';

export interface FrameRequest {
  prompt: string;
  frames: number;
  aspect: Aspect;
  steps: number;
  guidance: number;
  seed: number;
}

export interface FrameProgress {
  phase: 'text' | 'denoise' | 'decode';
  step: number;
  steps: number;
  preview?: PreviewFrames;
}

export class PromptHasNoKnownWordsError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      unknown.length
        ? `The model knows none of these words: ${unknown.join(', ')}. Try colours, shapes and motions, like "a red ball bounces".`
        : 'The prompt is empty. Describe what should happen, like "a red ball bounces".',
    );
    this.name = 'PromptHasNoKnownWordsError';
  }
}

export async function generateFrames(
  model: KinoraModel,
  req: FrameRequest,
  onProgress: (p: FrameProgress) => void,
  signal?: AbortSignal,
): Promise<RgbaFrames & { unknownWords: string[]; knownWords: string[] }> {
  const tokens = model.tokenizer.encode(req.prompt);
  if (tokens.known.length === 0) throw new PromptHasNoKnownWordsError(tokens.unknown);
  const maxFrames = model.manifest.video.max_frames;
  if (!Number.isInteger(req.frames) || req.frames < 1 || req.frames > maxFrames) {
    throw new RangeError(`This model makes 1 to ${maxFrames} frames at a time; ${req.frames} were asked for.`);
  }

  onProgress({ phase: 'text', step: 0, steps: req.steps });
  const guided = req.guidance !== 1;
  const text = await model.textEncoder.encode(guided ? [tokens.ids, model.tokenizer.emptyPrompt()] : [tokens.ids]);
  signal?.throwIfAborted();

  const shape = latentShape(model.manifest, req.aspect, req.frames);
  const noise = seededNormals(req.seed, shape.reduce((a, b) => a * b, 1));
  const latents = await sampleFlow({
    noise,
    shape,
    steps: req.steps,
    shift: model.manifest.sampler.shift,
    guidance: req.guidance,
    signal,
    velocity: (x, t, batch) => model.denoiser.velocity(x, t, shape, batch, text),
    onStep: (step, _x, estimate) =>
      onProgress({ phase: 'denoise', step: step + 1, steps: req.steps, preview: latentPreview(estimate, shape, model.manifest.preview) }),
  });

  onProgress({ phase: 'decode', step: req.steps, steps: req.steps });
  const frames = await model.vaeDecoder.decode(latents, shape);
  return { ...frames, unknownWords: tokens.unknown, knownWords: tokens.known };
}
