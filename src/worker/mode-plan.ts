// Turns a request's mode (text, image, extend, connect) into a frame plan: how many frames the
// video has and which of them the user's files give, fitted to the model's size. For format 2
// (latent-layout.ts: latent frame 0 is frame 0 alone, then 4 frames each, causally) the counts are
// chosen so that given frames fill whole latent frames: a clip before new frames keeps 1 + 4k
// frames, new frames before a clip come in fours (the clip's first frame is then the lead its next
// frames are encoded after), and an image that must end a video is held for one latent frame whose
// extra copies the output leaves out (connect; a loop's way back ends on the clip's first 5 frames).
import type { FramePlan } from '../model/frame-plan';
import { latentLayout, type LatentLayout } from '../model/latent-layout';
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
  /** `previousLatents`: the clean latents of the pass before (GeneratedFrames.latents), by latent frame. */
  plan: (previous: readonly Uint8ClampedArray[], previousLatents?: ReadonlyMap<number, Float32Array>) => FramePlan;
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
    const shotFrames = mode.shots.map((s, i) => alignShot(Math.max(1, Math.round(s.seconds * fps)), i === 0, latentLayout(m)));
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
        // Each shot continues the one before: its last frames condition the new ones, so the cast carries
        // over. They sit where the shot before made them, so its latents are reused as they are.
        plan: (previous, previousLatents) => ({
          total: previous.length + frames,
          given: new Map(previous.map((f, j) => [j, f])),
          ...(previousLatents ? { givenLatents: previousLatents } : {}),
        }),
      });
    }
    return { passes, totalFrames, assemble: (results) => results[results.length - 1] };
  }
  if (mode.kind === 'loop') {
    const clip = await planFrames({ ...request, mode: { kind: 'text' } }, m);
    const layout = latentLayout(m);
    // [the clip's last `head` frames] [bridge] [its first `tail` frames]: the bridge joins the end to the start.
    // Format 1: 4 and 4 frames. Format 2: 1 + 4 frames each, whole latent frames (the head from frame 0
    // of this pass; the tail's first frame is the lead of its one latent frame), so the bridge is 4k − 9 frames.
    const head = layout.causal ? 1 + layout.timeFactor : LOOP_CONTEXT;
    const tail = head;
    if (clip.total < head + tail) throw new ModeRequestError(`A loop needs at least ${(head + tail) / fps} s.`);
    const wanted = Math.round(clip.total / 4);
    const bridge = layout.causal
      ? loopBridgeInLatents(wanted, layout)
      : Math.max(1, Math.min(maxFrames - 2 * LOOP_CONTEXT, wanted));
    return {
      passes: [
        { label: 'The clip', prompt: request.prompt, plan: () => clip },
        {
          label: 'The way back to the start',
          prompt: request.prompt,
          plan: (previous, previousLatents) => ({
            total: head + bridge + tail,
            given: new Map([
              ...previous.slice(-head).map((f, j) => [j, f] as const),
              ...previous.slice(0, tail).map((f, j) => [head + bridge + j, f] as const),
            ]),
            // The tail is the clip's start: its latent frames are the clip's own, reused rather than
            // encoded again (the head's are not: here it starts a clip, coded from its first frame alone).
            ...(previousLatents ? { givenLatents: tailLatents(previousLatents, head + bridge, tail, layout) } : {}),
          }),
          outputIndex: (i, previous) => (i >= head && i < head + bridge ? previous.length + i - head : null),
        },
      ],
      totalFrames: clip.total + bridge,
      assemble: ([a, b]) => [...a, ...b.slice(head, head + bridge)],
    };
  }
  if (mode.kind === 'connect' && latentLayout(m).causal) return connectInLatents(request, m);
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
      if (latentLayout(m).causal) throw new ModeRequestError('Connecting two images on this model holds the last image for a latent frame (planRecipe).');
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
      const layout = latentLayout(m);
      // Format 2: new frames before a clip come in whole latent frames, and the latent frame after
      // them (the clip's first after its lead frame) must fit in the same window.
      const before = layout.causal ? layout.timeFactor * Math.ceil(count / layout.timeFactor) : count;
      const maxBefore = layout.causal ? layout.timeFactor * (layout.maxLatentFrames - 2) : maxFrames - 1;
      if (!forward && before > maxBefore) {
        throw new ModeRequestError(`This model invents at most ${(maxBefore / fps).toFixed(3).replace(/\.?0+$/, '')} s before a clip at once; choose a shorter duration.`);
      }
      // The clip and what is added stay within the limit together: of a long clip only the part
      // next to the new frames is used (the studio says how much, before generating: clipUse()).
      const keep = clipFramesKept(forward ? count : before, fps); // what is added, rounded up to whole latent frames before a clip
      if (keep < 1) throw new ModeRequestError(`Extending adds ${seconds(count, fps)} s, which leaves no room for the clip within ${MAX_SECONDS} s; choose a shorter duration.`);
      const clip = await importClip(mode.clip, { ...size, fps, maxFrames: keep, from: forward ? 'end' : 'start' });
      // Format 2 keeps 1 + 4k of the clip's frames (from the end going forwards, from the start going back).
      const kept = wholeLatentClip(clip.frames.length, layout);
      const frames = (forward ? clip.frames.slice(clip.frames.length - kept) : clip.frames.slice(0, kept)).map((f) => new Uint8ClampedArray(f.data));
      const added = forward ? count : before;
      const offset = forward ? 0 : added;
      return { total: frames.length + added, given: new Map(frames.map((f, i) => [i + offset, f])) };
    }
  }
}

/**
 * Connect on format 2: [first image] [made frames] [the last image, held for one latent frame]. The
 * last latent frame is known only with all its frames and the lead before it given, so the last
 * image fills those 5 frames; the output keeps the last of them and leaves the 4 copies before it
 * out, so the video ends on the image as given, after the frames that lead to it.
 */
async function connectInLatents(request: Pick<GenerateRequest, 'seconds' | 'aspect' | 'mode' | 'prompt'>, m: ModelManifest): Promise<Recipe> {
  const mode = request.mode;
  if (mode?.kind !== 'connect') throw new Error('connectInLatents: not a connect request.');
  const layout = latentLayout(m);
  const fps = m.video.fps;
  const tf = layout.timeFactor;
  const count = Math.max(1, Math.round(request.seconds * fps));
  // 1 + k latent frames, the last known: the output has tf·k − (tf − 1) frames (tf·k + 1 less the held copies)
  const maxOutput = tf * (layout.maxLatentFrames - 1) - (tf - 1);
  if (count > maxOutput) {
    throw new ModeRequestError(`Connecting two images spans at most ${maxOutput / fps} s with this model (${maxOutput} frames); choose a shorter duration.`);
  }
  const k = Math.max(2, Math.min(layout.maxLatentFrames - 1, Math.round((count + tf - 1) / tf)));
  const total = 1 + tf * k;
  const held = total - 1 - tf; // the lead of the last latent frame: the first of the image's tf + 1 copies
  const size = m.video.sizes[request.aspect];
  const [first, last] = await Promise.all([importImage(mode.first, size), importImage(mode.last, size)]);
  const lastFrame = new Uint8ClampedArray(last.data);
  const plan: FramePlan = {
    total,
    given: new Map([[0, new Uint8ClampedArray(first.data)], ...Array.from({ length: tf + 1 }, (_, j) => [held + j, lastFrame] as const)]),
  };
  const outputIndex = (i: number) => (i < held ? i : i === total - 1 ? held : null);
  return {
    passes: [{ label: '', prompt: request.prompt, plan: () => plan, outputIndex }],
    totalFrames: held + 1,
    assemble: ([frames]) => [...frames.slice(0, held), frames[total - 1]],
  };
}

/**
 * The clip's latent frames for a loop's tail (its first `tail` frames placed from frame `at` on), by
 * the tail's latent frame: format 1's frame j is latent frame j of the clip; format 2's tail is the
 * clip's frame 0 as the lead of one latent frame, which codes what the clip's latent frame 1 does.
 */
function tailLatents(clip: ReadonlyMap<number, Float32Array>, at: number, tail: number, layout: LatentLayout): Map<number, Float32Array> {
  const pairs: [number, number][] = layout.causal
    ? [[(at + tail - 1) / layout.timeFactor, 1]]
    : Array.from({ length: tail }, (_, j) => [at + j, j]);
  return new Map(pairs.flatMap(([mine, theirs]) => (clip.has(theirs) ? [[mine, clip.get(theirs)!] as const] : [])));
}

/** Format 2 storyboard shots fill whole latent frames: the first 1 + 4k frames, each later one 4k (format 1: as asked). */
function alignShot(frames: number, first: boolean, layout: LatentLayout): number {
  const tf = layout.timeFactor;
  if (!layout.causal) return frames;
  return first ? 1 + tf * Math.round((frames - 1) / tf) : tf * Math.max(1, Math.round(frames / tf));
}

/** The frames of a clip of `frames` that fill whole latent frames from its first: 1 + 4k for format 2 (at least 1). */
function wholeLatentClip(frames: number, layout: LatentLayout): number {
  if (!layout.causal || frames < 1) return frames;
  return 1 + layout.timeFactor * Math.floor((frames - 1) / layout.timeFactor);
}

/** A format 2 loop's bridge: 4k − 9 frames (k = 3 or 4 latent frames after the head's), nearest to `wanted`. */
function loopBridgeInLatents(wanted: number, layout: LatentLayout): number {
  const tf = layout.timeFactor;
  const options: number[] = [];
  // total 1 + tf·k latent-aligned, head and tail 1 + tf each: bridge = tf·k + 1 − 2(1 + tf)
  for (let k = 3; k <= layout.maxLatentFrames - 1; k++) options.push(tf * k + 1 - 2 * (1 + tf));
  return options.reduce((best, b) => (Math.abs(b - wanted) < Math.abs(best - wanted) ? b : best), options[0]);
}

/** Seconds that `frames` frames last, written briefly (2, 0.125, 61.5). */
function seconds(frames: number, fps: number): string {
  return String(Number((frames / fps).toFixed(3)));
}

/** How many frames of a clip an extension keeps, when it adds `added` frames: the rest of the limit. */
export function clipFramesKept(added: number, fps: number): number {
  return MAX_SECONDS * fps - added;
}
