// One generation, caption (and any given frames) to RGBA frames: tokenize, encode the caption (and,
// for guidance, the negative prompt's caption or else the empty one), then denoise window by window (frame-plan.ts) — frames given by the
// user or made by an earlier window condition each window clean — and decode each window's new
// frames as soon as it is done (the VAE decodes frame by frame), so a long video can be watched
// and encoded while later windows are still being made. Where the DiT runs is the Denoiser's
// business (denoiser.ts): this file never asks.
import type { Denoiser } from './denoiser';
import type { KinoraModel } from './kinora-model';
import { latentPreview, type PreviewFrames } from './latent-preview';
import { latentShape, type Aspect } from './manifest';
import { planWindows, type FramePlan } from './frame-plan';
import type { RgbaFrames } from './vae';

export interface FrameRequest {
  /** What the model reads: the caption recaption() wrote from the prompt (src/worker/prompt-reading.ts). */
  caption: string;
  /**
   * The unconditional side of classifier-free guidance: the negative prompt's caption, so each step
   * is pushed away from it; the empty caption when absent. Unused without guidance (guidance 1).
   */
  negativeCaption?: string;
  aspect: Aspect;
  steps: number;
  guidance: number;
  seed: number;
  /** The output frames, and those of them the user gave (at the model's size for `aspect`). */
  plan: FramePlan;
}

export interface FrameProgress {
  phase: 'text' | 'denoise' | 'decode';
  /** Steps done and planned over all windows. */
  step: number;
  steps: number;
  preview?: PreviewFrames;
}

/** Output frames that are final, by output index: the given ones first, then each window's. */
export type FramesReady = (frames: ReadonlyMap<number, Uint8ClampedArray>) => void | Promise<void>;

export class PromptHasNoKnownWordsError extends Error {
  /** The user's to fix: another wording, not another try. */
  readonly userError = true;
  constructor(readonly unknown: string[]) {
    super(
      unknown.length
        ? `The model knows none of these words: ${unknown.join(', ')}. Try colours, shapes and motions, like "a red ball bounces".`
        : 'The prompt is empty. Describe what should happen, like "a red ball bounces".',
    );
    this.name = 'PromptHasNoKnownWordsError';
  }
}

export interface GenerateFramesOptions {
  /** The model's text encoder, VAE and manifest (the DiT comes as `denoiser`). */
  model: Pick<KinoraModel, 'manifest' | 'tokenizer' | 'textEncoder' | 'vaeEncoder' | 'vaeDecoder'>;
  denoiser: Denoiser;
  request: FrameRequest;
  onProgress?: (p: FrameProgress) => void;
  /** Told of frames as they become final, each once (given frames first). */
  onFrames?: FramesReady;
  /** Checked between windows and before every step. */
  signal?: AbortSignal;
}

/** The frames of the whole plan, with the words the model read and those it ignored. */
export type GeneratedFrames = RgbaFrames & { unknownWords: string[]; knownWords: string[] };

export async function generateFrames(options: GenerateFramesOptions): Promise<GeneratedFrames> {
  const { model, denoiser, request: req, signal, onFrames } = options;
  const onProgress = options.onProgress ?? (() => undefined);
  const tokens = model.tokenizer.encode(req.caption);
  if (tokens.known.length === 0) throw new PromptHasNoKnownWordsError(tokens.unknown);
  const windows = planWindows(req.plan, model.manifest.video.max_frames);
  const edit = req.plan.edit;
  if (edit && (windows.length !== 1 || edit.frames.length !== req.plan.total)) {
    throw new RangeError(`An edit re-imagines up to ${model.manifest.video.max_frames} frames at once, one source frame per output frame.`);
  }
  const totalSteps = windows.length * req.steps;

  onProgress({ phase: 'text', step: 0, steps: totalSteps });
  const guided = req.guidance !== 1;
  const unconditional = req.negativeCaption ? model.tokenizer.encode(req.negativeCaption).ids : model.tokenizer.emptyPrompt();
  const text = await model.textEncoder.encode(guided ? [tokens.ids, unconditional] : [tokens.ids]);
  signal?.throwIfAborted();

  const [C, , h, w] = latentShape(model.manifest, req.aspect, 1);
  const frameLatent = C * h * w;
  const { width, height } = model.manifest.video.sizes[req.aspect];
  /** Latent [C, h, w] of each output frame once known (given frames are encoded when first needed). */
  const latents = new Map<number, Float32Array>();
  /** RGBA of each output frame made so far. */
  const decodedAt = new Map<number, Uint8ClampedArray>();
  if (req.plan.given.size > 0) await onFrames?.(req.plan.given);

  for (const [index, window] of windows.entries()) {
    const shape = [C, window.length, h, w] as const;
    const condition = new Float32Array(C * window.length * h * w);
    const needEncoding = window.known.flatMap((k, f) => (k && !latents.has(window.start + f) ? [window.start + f] : []));
    if (needEncoding.length > 0) {
      const encoder = await model.vaeEncoder();
      const encoded = await encoder.encode(needEncoding.map((i) => req.plan.given.get(i)!), width, height); // [C, n, h, w]
      needEncoding.forEach((i, n) => latents.set(i, frameOf(encoded, C, needEncoding.length, h * w, n)));
    }
    window.known.forEach((k, f) => {
      if (k) placeFrame(condition, latents.get(window.start + f)!, C, window.length, h * w, f);
    });

    const stepBase = index * req.steps;
    const reportStep = (step: number, estimate: Float32Array) =>
      onProgress({ phase: 'denoise', step: stepBase + step + 1, steps: totalSteps, preview: latentPreview(estimate, shape, model.manifest.preview) });
    const editStart = edit ? { latents: await (await model.vaeEncoder()).encode(edit.frames, width, height), strength: edit.strength } : undefined;
    const anyKnown = window.known.some(Boolean);
    const out = await denoiser.denoise({
      shape, seed: req.seed, stream: index, steps: req.steps, shift: model.manifest.sampler.shift, guidance: req.guidance, text,
      ...(anyKnown ? { conditionLatents: condition, conditionFrames: window.known } : {}),
      ...(editStart ? { edit: editStart } : {}),
      signal, onStep: reportStep,
    });
    const made = window.known.flatMap((k, f) => (k ? [] : [window.start + f]));
    made.forEach((i) => latents.set(i, frameOf(out, C, window.length, h * w, i - window.start)));

    if (index === windows.length - 1) onProgress({ phase: 'decode', step: totalSteps, steps: totalSteps });
    const stacked = new Float32Array(frameLatent * made.length); // [C, n, h, w]
    made.forEach((i, n) => placeFrame(stacked, latents.get(i)!, C, made.length, h * w, n));
    const decoded = await model.vaeDecoder.decode(stacked, [C, made.length, h, w]);
    made.forEach((i, n) => decodedAt.set(i, decoded.frames[n]));
    signal?.throwIfAborted();
    await onFrames?.(new Map(made.map((i, n) => [i, decoded.frames[n]])));
  }

  // Given frames are shown as the user gave them; made frames as decoded.
  const frames = Array.from({ length: req.plan.total }, (_, i) => req.plan.given.get(i) ?? decodedAt.get(i)!);
  return { width, height, frames, unknownWords: tokens.unknown, knownWords: tokens.known };
}

/** Frame f of latents [C, T, plane] as [C, plane]. */
function frameOf(latents: Float32Array, C: number, T: number, plane: number, f: number): Float32Array {
  const out = new Float32Array(C * plane);
  for (let c = 0; c < C; c++) out.set(latents.subarray((c * T + f) * plane, (c * T + f + 1) * plane), c * plane);
  return out;
}

/** Writes one frame [C, plane] at position f of latents [C, T, plane]. */
function placeFrame(latents: Float32Array, frame: Float32Array, C: number, T: number, plane: number, f: number): void {
  for (let c = 0; c < C; c++) latents.set(frame.subarray(c * plane, (c + 1) * plane), (c * T + f) * plane);
}
