// Turns a request's mode (text, image, extend, connect) into a frame plan: how many frames the
// video has and which of them the user's files give, fitted to the model's size.
import type { FramePlan } from '../model/frame-plan';
import type { ModelManifest } from '../model/manifest';
import { importClip } from '../video/clip-import';
import { importImage } from '../video/image-import';
import type { GenerationMode, GenerateRequest, ModeSummary } from './api';

/** The longest video Kinora makes in one request. */
export const MAX_SECONDS = 60;

export class ModeRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModeRequestError';
  }
}

export function summariseMode(mode: GenerationMode | undefined): ModeSummary {
  if (!mode || mode.kind === 'text') return { kind: 'text' };
  return mode.kind === 'extend' ? { kind: 'extend', direction: mode.direction } : { kind: mode.kind };
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
    case 'extend': {
      const forward = mode.direction === 'forward';
      if (!forward && count > maxFrames - 1) {
        throw new ModeRequestError(`This model invents at most ${((maxFrames - 1) / fps).toFixed(3).replace(/\.?0+$/, '')} s before a clip at once; choose a shorter duration.`);
      }
      const clip = await importClip(mode.clip, { ...size, fps, maxFrames: MAX_SECONDS * fps, from: forward ? 'end' : 'start' });
      const frames = clip.frames.map((f) => new Uint8ClampedArray(f.data));
      const offset = forward ? 0 : count;
      return { total: frames.length + count, given: new Map(frames.map((f, i) => [i + offset, f])) };
    }
  }
}
