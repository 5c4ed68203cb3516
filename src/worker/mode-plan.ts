// Turns a request's mode (text, image, extend, connect) into a frame plan: how many frames the
// video has and which of them the user's files give, fitted to the model's size.
import type { FramePlan } from '../model/frame-plan';
import type { ModelManifest } from '../model/manifest';
import { importClip } from '../video/clip-import';
import { importImage } from '../video/image-import';
import type { GenerationMode, GenerateRequest, ModeSummary } from './api';

import { MAX_SECONDS } from './request-validation';

export class ModeRequestError extends Error {
  /** The user's to fix: the mode's settings, not another try. */
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = 'ModeRequestError';
  }
}

export function summariseMode(mode: GenerationMode | undefined): ModeSummary {
  if (!mode || mode.kind === 'text') return { kind: 'text' };
  if (mode.kind === 'extend') return { kind: 'extend', direction: mode.direction };
  if (mode.kind === 'storyboard') return { kind: 'storyboard', shots: mode.shots.map((s) => ({ ...s })) };
  if (mode.kind === 'edit') return { kind: 'edit', strength: mode.strength };
  return { kind: mode.kind };
}

/** One run of the model: its prompt and its frame plan, given the frames of the passes before. */
export interface Pass {
  /** Shown in the progress line when there are several passes. */
  label: string;
  prompt: string;
  plan: (previous: readonly Uint8ClampedArray[]) => FramePlan;
  /**
   * Where frame i of this pass lands in the output (null: it is not in the output), given the
   * frames of the pass before; identity when absent. It lets the output stream as frames are made.
   */
  outputIndex?: (i: number, previous: readonly Uint8ClampedArray[]) => number | null;
}

export interface Recipe {
  passes: Pass[];
  /** Frames in the output. */
  totalFrames: number;
  /** The output from every pass's frames (the same frames outputIndex places). */
  assemble: (results: readonly Uint8ClampedArray[][]) => Uint8ClampedArray[];
}

/** Frames a loop's bridge takes from each side of the clip, and the bridge's own length. */
const LOOP_CONTEXT = 4;

export async function planRecipe(request: Pick<GenerateRequest, 'seconds' | 'aspect' | 'mode' | 'prompt'>, m: ModelManifest): Promise<Recipe> {
  const mode = request.mode ?? { kind: 'text' };
  const fps = m.video.fps;
  const maxFrames = m.video.max_frames;
  if (mode.kind === 'storyboard') {
    if (mode.shots.length === 0) throw new ModeRequestError('A storyboard needs at least one shot.');
    // The cap is on frames, not seconds: every shot is at least one frame, so many very short
    // shots would otherwise pass a sum of seconds and still make a video over the limit.
    const shotFrames = mode.shots.map((s) => Math.max(1, Math.round(s.seconds * fps)));
    const totalFrames = shotFrames.reduce((sum, n) => sum + n, 0);
    if (totalFrames > MAX_SECONDS * fps) {
      throw new ModeRequestError(
        `The shots add up to ${seconds(totalFrames, fps)} s (${totalFrames} frames at ${fps} fps, each shot at least one frame); a video can last at most ${MAX_SECONDS} s (${MAX_SECONDS * fps} frames). Shorten or remove a shot.`,
      );
    }
    const passes: Pass[] = [];
    for (const [i, shot] of mode.shots.entries()) {
      if (!shot.prompt.trim()) throw new ModeRequestError(`Shot ${i + 1} has no prompt: say what happens in it.`);
      const frames = shotFrames[i];
      passes.push({
        label: `Shot ${i + 1} of ${mode.shots.length}`,
        prompt: shot.prompt,
        // Each shot continues the one before: its last frames condition the new ones, so the cast carries over.
        plan: (previous) => ({ total: previous.length + frames, given: new Map(previous.map((f, j) => [j, f])) }),
      });
    }
    return { passes, totalFrames, assemble: (results) => results[results.length - 1] };
  }
  if (mode.kind === 'loop') {
    const clip = await planFrames({ ...request, mode: { kind: 'text' } }, m);
    if (clip.total < 2 * LOOP_CONTEXT) throw new ModeRequestError(`A loop needs at least ${(2 * LOOP_CONTEXT) / fps} s.`);
    const bridge = Math.max(1, Math.min(maxFrames - 2 * LOOP_CONTEXT, Math.round(clip.total / 4)));
    return {
      passes: [
        { label: 'The clip', prompt: request.prompt, plan: () => clip },
        {
          label: 'The way back to the start',
          prompt: request.prompt,
          // [last frames of the clip] [bridge] [first frames of the clip]: the bridge joins the end to the start.
          plan: (previous) => ({
            total: 2 * LOOP_CONTEXT + bridge,
            given: new Map([
              ...previous.slice(-LOOP_CONTEXT).map((f, j) => [j, f] as const),
              ...previous.slice(0, LOOP_CONTEXT).map((f, j) => [LOOP_CONTEXT + bridge + j, f] as const),
            ]),
          }),
          outputIndex: (i, previous) => (i >= LOOP_CONTEXT && i < LOOP_CONTEXT + bridge ? previous.length + i - LOOP_CONTEXT : null),
        },
      ],
      totalFrames: clip.total + bridge,
      assemble: ([a, b]) => [...a, ...b.slice(LOOP_CONTEXT, LOOP_CONTEXT + bridge)],
    };
  }
  const plan = await planFrames(request, m);
  return { passes: [{ label: '', prompt: request.prompt, plan: () => plan }], totalFrames: plan.total, assemble: (results) => results[0] };
}

export async function planFrames(request: Pick<GenerateRequest, 'seconds' | 'aspect' | 'mode'>, m: ModelManifest): Promise<FramePlan> {
  const fps = m.video.fps;
  const maxFrames = m.video.max_frames;
  if (!(request.seconds > 0) || request.seconds > MAX_SECONDS) {
    throw new ModeRequestError(`A video can last from 1/${fps} s to ${MAX_SECONDS} s; ${request.seconds} s was asked for.`);
  }
  const count = Math.max(1, Math.round(request.seconds * fps));
  const size = m.video.sizes[request.aspect];
  const mode = request.mode ?? { kind: 'text' };
  switch (mode.kind) {
    case 'loop':
    case 'storyboard':
      throw new ModeRequestError(`The ${mode.kind} mode is made in several passes (planRecipe).`);
    case 'text':
      return { total: count, given: new Map() };
    case 'image': {
      const image = await importImage(mode.image, size);
      return { total: Math.max(2, count), given: new Map([[0, new Uint8ClampedArray(image.data)]]) };
    }
    case 'connect': {
      if (count > maxFrames) {
        throw new ModeRequestError(`Connecting two images spans at most ${maxFrames / fps} s with this model (${maxFrames} frames); choose a shorter duration.`);
      }
      const total = Math.max(3, count);
      const [first, last] = await Promise.all([importImage(mode.first, size), importImage(mode.last, size)]);
      return { total, given: new Map([[0, new Uint8ClampedArray(first.data)], [total - 1, new Uint8ClampedArray(last.data)]]) };
    }
    case 'edit': {
      if (!(mode.strength > 0 && mode.strength <= 1)) throw new ModeRequestError(`The edit strength goes from 0 (keep the clip) to 1 (ignore it), not ${mode.strength}.`);
      // The whole edit is one window: the clip's first frames, up to the model's maximum.
      const clip = await importClip(mode.clip, { ...size, fps, maxFrames: Math.min(count, maxFrames), from: 'start' });
      const frames = clip.frames.map((f) => new Uint8ClampedArray(f.data));
      return { total: frames.length, given: new Map(), edit: { frames, strength: mode.strength } };
    }
    case 'extend': {
      const forward = mode.direction === 'forward';
      if (!forward && count > maxFrames - 1) {
        throw new ModeRequestError(`This model invents at most ${((maxFrames - 1) / fps).toFixed(3).replace(/\.?0+$/, '')} s before a clip at once; choose a shorter duration.`);
      }
      // The clip and what is added stay within the limit together: of a long clip only the part
      // next to the new frames is used (the studio says how much, before generating: clipUse()).
      const keep = clipFramesKept(count, fps);
      if (keep < 1) throw new ModeRequestError(`Extending adds ${seconds(count, fps)} s, which leaves no room for the clip within ${MAX_SECONDS} s; choose a shorter duration.`);
      const clip = await importClip(mode.clip, { ...size, fps, maxFrames: keep, from: forward ? 'end' : 'start' });
      const frames = clip.frames.map((f) => new Uint8ClampedArray(f.data));
      const offset = forward ? 0 : count;
      return { total: frames.length + count, given: new Map(frames.map((f, i) => [i + offset, f])) };
    }
  }
}

/** Seconds that `frames` frames last, written briefly (2, 0.125, 61.5). */
function seconds(frames: number, fps: number): string {
  return String(Number((frames / fps).toFixed(3)));
}

/** How many frames of a clip an extension keeps, when it adds `added` frames: the rest of the limit. */
export function clipFramesKept(added: number, fps: number): number {
  return MAX_SECONDS * fps - added;
}
