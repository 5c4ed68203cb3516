// A frame plan (frame-plan.ts: the output's frames, and those the user gave) in the model's latent
// frames (latent-layout.ts): how many latent frames the output takes, which of them the given
// frames code (so they condition the DiT clean), which frames to encode for them, and which
// latent frames each decode must include. For format 1 a latent frame is a frame and all of this
// is the identity; for format 2's causal VAE it is where the frame counts change:
// - a clip of n frames takes 1 + ⌈(n − 1)/4⌉ latent frames; the few frames past n are decoded and cut;
// - a latent frame is known only if all its frames are given, and (the encoder being causal) the
//   frames it is encoded with must start at the clip's frame 0 or at a given frame just before it,
//   the "lead", which the encoder codes alone as its own latent frame 0 and we drop;
// - a run of given frames is encoded with up to ENCODER_CONTEXT latent frames of given frames before
//   the latent frames a window needs, so that a window's conditions read as they would in the whole clip.
import { planWindows, WINDOW_CONTEXT, type FramePlan, type PlanWindow } from './frame-plan';
import { framesOfLatent, framesOfLatents, latentFramesFor, type LatentLayout } from './latent-layout';

/**
 * The causal encoder's reach into the past (models/kinora/video_vae.py, Encoder), in latent frames:
 * at the frame rate a ResBlock and a TimeDown (kernel 3 each: 2 + 2 frames), at half the rate the
 * same (8 frames), the mid ResBlock at a quarter (8 frames): 20 frames, 5 latent frames.
 */
export const ENCODER_CONTEXT = 5;

/** Consecutive given output frames [first, last], and the first latent frame they can code. */
interface GivenRun {
  first: number;
  last: number;
  /** The first latent frame the run codes: 0 when it starts the clip, else the first whose lead is in the run. */
  firstLatent: number;
  /** The last latent frame all of whose frames are in the run. */
  lastLatent: number;
}

export interface LatentPlan {
  layout: LatentLayout;
  /** Output frames (the decode's frames past them are cut). */
  frames: number;
  /** Latent frames of the whole output. */
  latentFrames: number;
  /** Latent frames the given frames code (the DiT holds them clean). */
  known: ReadonlySet<number>;
  /** The DiT's windows, in latent frames, in order (each conditions on what those before it made). */
  windows: PlanWindow[];
  runs: readonly GivenRun[];
}

export function planLatents(plan: FramePlan, layout: LatentLayout): LatentPlan {
  const latentFrames = latentFramesFor(layout, plan.total);
  const runs = givenRuns(plan, layout);
  const known = new Set<number>();
  for (const run of runs) for (let j = run.firstLatent; j <= run.lastLatent; j++) known.add(j);
  const context = Math.ceil(WINDOW_CONTEXT / layout.timeFactor); // the same half second as format 1's 4 frames
  const windows = planWindows({ total: latentFrames, given: known }, layout.maxLatentFrames, context);
  return { layout, frames: plan.total, latentFrames, known, windows, runs };
}

function givenRuns(plan: FramePlan, layout: LatentLayout): GivenRun[] {
  const runs: GivenRun[] = [];
  const tf = layout.timeFactor;
  for (let i = 0; i < plan.total; i++) {
    if (!plan.given.has(i) || plan.given.has(i - 1)) continue;
    let last = i;
    while (last + 1 < plan.total && plan.given.has(last + 1)) last++;
    // Format 1 codes each frame alone; format 2 needs the lead frame (the last of the latent frame before) in the run.
    const firstLatent = !layout.causal || i === 0 ? Math.ceil(i / tf) : Math.ceil(i / tf) + 1;
    const lastLatent = Math.floor(last / tf);
    if (lastLatent >= firstLatent) runs.push({ first: i, last, firstLatent, lastLatent });
  }
  return runs;
}

/**
 * What to feed the encoder for the known latent frames [from, to] of one run: the output frames,
 * in order, and how many of the encoder's latent frames to drop before `from`.
 */
export function encoderInput(lp: LatentPlan, from: number, to: number): { frames: number[]; drop: number } {
  const { layout } = lp;
  const run = lp.runs.find((r) => r.firstLatent <= from && to <= r.lastLatent);
  if (!run) throw new Error(`Latent frames ${from}–${to} are not coded by one run of given frames.`);
  if (!layout.causal) return { frames: range(from, to), drop: 0 };
  const start = Math.max(run.firstLatent, from - ENCODER_CONTEXT);
  const last = framesOfLatent(layout, to)[1];
  if (start === 0) return { frames: range(0, last), drop: from };
  // The lead frame (the last of latent frame start − 1) is coded alone as the encoder's latent frame 0.
  return { frames: range(framesOfLatent(layout, start - 1)[1], last), drop: 1 + from - start };
}

/**
 * The latent frames a decode of the made latent frames [from, to] reads, and which output frame
 * each decoded frame is: format 2 decodes from `decoderContext` latent frames earlier (all known by
 * then), its first decoded frame standing for that latent frame alone, so it is dropped unless the
 * decode starts the clip. Frames past the output's end are dropped too.
 */
export function decoderRange(lp: LatentPlan, from: number, to: number): { start: number; end: number; frameOf: (decoded: number) => number | null } {
  const { layout } = lp;
  const start = Math.max(0, from - layout.decoderContext);
  const first = framesOfLatent(layout, from)[0];
  const offset = start === 0 ? 0 : layout.causal ? layout.timeFactor * start : start;
  const frameOf = (decoded: number) => {
    const frame = decoded + offset;
    return (layout.causal && start > 0 && decoded === 0) || frame < first || frame >= lp.frames ? null : frame;
  };
  return { start, end: to + 1, frameOf };
}

/** The frames an edit's clip gives the encoder: every output frame, the last repeated to fill the last latent frame. */
export function editEncoderFrames(lp: LatentPlan): number[] {
  const n = framesOfLatents(lp.layout, lp.latentFrames);
  return Array.from({ length: n }, (_, i) => Math.min(i, lp.frames - 1));
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
