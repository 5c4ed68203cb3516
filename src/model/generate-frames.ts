// One generation, caption or scene (and any given frames) to RGBA frames: read the condition (and,
// for guidance, the negative prompt's or else the empty one; model-condition.ts), then denoise window by window
// in latent frames (latent-plan.ts) — latent frames coded by frames the user gave, or made by an
// earlier window, condition each window clean, reused as latents, never re-encoded — and decode each
// window's new latent frames as soon as it is done (format 2: with the decoder's context before
// them, so windows join without a seam), so a long video can be watched and encoded while later
// windows are still being made. Given frames are pasted back as given. Where the DiT runs is the
// Denoiser's business (denoiser.ts): this file never asks.
import type { Denoiser } from './denoiser';
import type { ConditionRequest, ModelCondition } from './model-condition';
import { latentPreview, type PreviewFrames } from './latent-preview';
import { latentShape, type Aspect, type ModelManifest } from './manifest';
import type { FramePlan } from './frame-plan';
import { encoderSize, latentLayout } from './latent-layout';
import { decoderRange, editEncoderFrames, encoderInput, planLatents } from './latent-plan';
import { downscaleFrame } from './frame-downscale';
import type { RgbaFrames, VaeDecoder, VaeEncoder } from './vae';

export interface FrameRequest extends ConditionRequest {
  /** What a text model reads: the caption recaption() wrote from the prompt (src/worker/prompt-reading.ts). */
  caption: string;
  /**
   * The unconditional side of classifier-free guidance: the negative prompt's caption (a scene
   * model: `negativeScene`), so each step is pushed away from it; the empty one when absent.
   * Unused without guidance (guidance 1).
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

/** The parts of a model a generation uses (KinoraModel has them; tests may hand fakes). */
export interface FrameModel {
  manifest: ModelManifest;
  condition: ModelCondition;
  vaeEncoder(): Promise<VaeEncoder>;
  vaeDecoder: Pick<VaeDecoder, 'decode'>;
}

export interface GenerateFramesOptions {
  /** The model's condition (caption or scene), VAE and manifest (the DiT comes as `denoiser`). */
  model: FrameModel;
  denoiser: Denoiser;
  request: FrameRequest;
  onProgress?: (p: FrameProgress) => void;
  /** Told of frames as they become final, each once (given frames first). */
  onFrames?: FramesReady;
  /** Checked between windows and before every step. */
  signal?: AbortSignal;
}

/**
 * The frames of the whole plan, with the words the model read and those it ignored, and the clean
 * latents [C, h, w] of the latent frames it made or was given or encoded (a later pass that
 * continues these frames reuses them: FramePlan.givenLatents).
 */
export type GeneratedFrames = RgbaFrames & { unknownWords: string[]; knownWords: string[]; latents: ReadonlyMap<number, Float32Array> };

export async function generateFrames(options: GenerateFramesOptions): Promise<GeneratedFrames> {
  const { model, denoiser, request: req, signal, onFrames } = options;
  const onProgress = options.onProgress ?? (() => undefined);
  const layout = latentLayout(model.manifest);
  const lp = planLatents(req.plan, layout);
  const { windows } = lp;
  const edit = req.plan.edit;
  if (edit && (windows.length !== 1 || edit.frames.length !== req.plan.total)) {
    throw new RangeError(`An edit re-imagines up to ${model.manifest.video.max_frames} frames at once, one source frame per output frame.`);
  }
  const totalSteps = windows.length * req.steps;

  onProgress({ phase: 'text', step: 0, steps: totalSteps });
  const read = await model.condition.read(req, req.guidance !== 1);
  const { text } = read;
  signal?.throwIfAborted();

  const [C, , h, w] = latentShape(model.manifest, req.aspect, 1);
  const plane = h * w;
  const { width, height } = model.manifest.video.sizes[req.aspect];
  const encoderFrameSize = encoderSize(model.manifest, req.aspect);
  /** The encoder's input for output frame i: the given frame at the encoder's size (format 2 draws 2× larger than it reads). */
  const encoderFrame = (frame: Uint8ClampedArray) => downscaleFrame(frame, width, height, layout.upsample);
  const encode = async (frames: readonly Uint8ClampedArray[]) =>
    (await model.vaeEncoder()).encode(frames.map(encoderFrame), encoderFrameSize.width, encoderFrameSize.height); // [C, n, h, w]
  /** Latent [C, h, w] of each latent frame once known (given ones are encoded when a window first needs them). */
  const latents = new Map<number, Float32Array>();
  /** RGBA of each output frame made so far. */
  const decodedAt = new Map<number, Uint8ClampedArray>();
  for (const [j, latent] of req.plan.givenLatents ?? []) {
    if (lp.known.has(j)) latents.set(j, latent);
  }
  if (req.plan.given.size > 0) await onFrames?.(req.plan.given);

  for (const [index, window] of windows.entries()) {
    const shape = [C, window.length, h, w] as const;
    await encodeKnown(window.known.flatMap((k, f) => (k && !latents.has(window.start + f) ? [window.start + f] : [])));
    const condition = new Float32Array(C * window.length * plane);
    window.known.forEach((k, f) => {
      if (k) placeFrame(condition, latents.get(window.start + f)!, C, window.length, plane, f);
    });

    const stepBase = index * req.steps;
    const reportStep = (step: number, estimate: Float32Array) =>
      onProgress({
        phase: 'denoise', step: stepBase + step + 1, steps: totalSteps,
        preview: latentPreview(estimate, shape, model.manifest.preview, { timeFactor: layout.timeFactor, startsClip: window.start === 0 }),
      });
    const editStart = edit ? { latents: await encode(editEncoderFrames(lp).map((i) => edit.frames[i])), strength: edit.strength } : undefined;
    const anyKnown = window.known.some(Boolean);
    const out = await denoiser.denoise({
      shape, seed: req.seed, stream: index, steps: req.steps, shift: model.manifest.sampler.shift, guidance: req.guidance, text,
      ...(anyKnown ? { conditionLatents: condition, conditionFrames: window.known } : {}),
      ...(editStart ? { edit: editStart } : {}),
      signal, onStep: reportStep,
    });
    const made = window.known.flatMap((k, f) => (k ? [] : [window.start + f]));
    made.forEach((j) => latents.set(j, frameOf(out, C, window.length, plane, j - window.start)));

    if (index === windows.length - 1) onProgress({ phase: 'decode', step: totalSteps, steps: totalSteps });
    const fresh = await decodeMade(made[0], made[made.length - 1]);
    signal?.throwIfAborted();
    await onFrames?.(fresh);
  }

  // Given frames are shown as the user gave them; made frames as decoded.
  const frames = Array.from({ length: req.plan.total }, (_, i) => req.plan.given.get(i) ?? decodedAt.get(i)!);
  return { width, height, frames, unknownWords: read.unknownWords, knownWords: read.knownWords, latents };

  /** Encodes the given frames that code these known latent frames, one contiguous stretch of a run at a time. */
  async function encodeKnown(wanted: number[]): Promise<void> {
    for (const [from, to] of stretches(wanted)) {
      const input = encoderInput(lp, from, to);
      const encoded = await encode(input.frames.map((i) => req.plan.given.get(i)!)); // [C, n, h, w]
      const n = encoded.length / (C * plane);
      for (let j = from; j <= to; j++) latents.set(j, frameOf(encoded, C, n, plane, input.drop + j - from));
    }
  }

  /** Decodes the latent frames [from, to] (with the decoder's context before them); returns the output frames that are new and not given. */
  async function decodeMade(from: number, to: number): Promise<Map<number, Uint8ClampedArray>> {
    const { start, end, frameOf: outputFrame } = decoderRange(lp, from, to);
    // The context latent frames are all known by now; given ones no window needed are encoded here.
    await encodeKnown(Array.from({ length: end - start }, (_, n) => start + n).filter((j) => !latents.has(j)));
    const stacked = new Float32Array(C * (end - start) * plane); // [C, n, h, w]
    for (let j = start; j < end; j++) placeFrame(stacked, latents.get(j)!, C, end - start, plane, j - start);
    const decoded = await model.vaeDecoder.decode(stacked, [C, end - start, h, w]);
    const fresh = new Map<number, Uint8ClampedArray>();
    decoded.frames.forEach((rgba, n) => {
      const i = outputFrame(n);
      if (i === null || req.plan.given.has(i) || decodedAt.has(i)) return;
      decodedAt.set(i, rgba);
      fresh.set(i, rgba);
    });
    return fresh;
  }
}

/** Sorted indices as runs of consecutive ones, [first, last]. */
function stretches(indices: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const i of indices) {
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
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
