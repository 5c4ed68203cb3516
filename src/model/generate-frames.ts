// One text-to-video generation, prompt to RGBA frames: tokenize, encode the text (and the empty
// caption for guidance), draw seeded noise, denoise with the flow sampler, decode with the VAE.
import { sampleFlow } from '../sampling/flow-sampler';
import { seededNormals } from '../sampling/seeded-noise';
import type { KinoraModel } from './kinora-model';
import { latentPreview, type PreviewFrames } from './latent-preview';
import { latentShape, type Aspect } from './manifest';
import { sampleOnGpu } from './gpu-sampler';
import type { RgbaFrames } from './vae';

export interface FrameRequest {
  prompt: string;
  frames: number;
  aspect: Aspect;
  steps: number;
  guidance: number;
  seed: number;
}

/** Where the DiT runs: our WGSL on a GPU device, or onnxruntime-web's wasm on the CPU. */
export type DenoiserBackend = { kind: 'webgpu'; device: GPUDevice } | { kind: 'wasm' };

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
  signal: AbortSignal | undefined,
  backend: DenoiserBackend,
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
  const reportStep = (step: number, estimate: Float32Array) =>
    onProgress({ phase: 'denoise', step: step + 1, steps: req.steps, preview: latentPreview(estimate, shape, model.manifest.preview) });
  const shift = model.manifest.sampler.shift;
  let latents: Float32Array;
  if (backend.kind === 'webgpu') {
    const dit = await model.wgslDit(backend.device);
    latents = await sampleOnGpu(dit, { shape, seed: req.seed, steps: req.steps, shift, guidance: req.guidance, text, signal, onStep: reportStep });
  } else {
    const denoiser = await model.onnxDenoiser();
    latents = await sampleFlow({
      noise: seededNormals(req.seed, shape.reduce((a, b) => a * b, 1)),
      shape,
      steps: req.steps,
      shift,
      guidance: req.guidance,
      signal,
      velocity: (x, t, batch) => denoiser.velocity(x, t, shape, batch, text),
      onStep: (step, _x, estimate) => reportStep(step, estimate),
    });
  }

  onProgress({ phase: 'decode', step: req.steps, steps: req.steps });
  const frames = await model.vaeDecoder.decode(latents, shape);
  return { ...frames, unknownWords: tokens.unknown, knownWords: tokens.known };
}
