// A video that is still being made, as the page holds it: the frames final so far (from the
// start) and what the finished video will have. The worker streams frames into it (StreamedFrames).
import type { StreamedFrames } from '../worker/api';

export interface LiveVideo {
  width: number;
  height: number;
  fps: number;
  total: number;
  frames: Uint8ClampedArray[];
}

/** The live video with a streamed run of frames added (a new object: the page re-renders on it). */
export function appendStreamed(live: LiveVideo | undefined, streamed: StreamedFrames): LiveVideo {
  const frames = live?.frames ?? [];
  if (streamed.start !== frames.length) {
    throw new RangeError(`Streamed frames start at ${streamed.start}, but ${frames.length} frames have arrived.`);
  }
  const { width, height, fps, total } = streamed;
  return { width, height, fps, total, frames: [...frames, ...streamed.frames] };
}

/**
 * The frame to show after `position` on the next tick: the next one while there is one; at the
 * end of what is ready, the same one (waiting) while more is coming, else back to the start.
 */
export function nextPosition(position: number, ready: number, total: number): { position: number; waiting: boolean } {
  if (position + 1 < ready) return { position: position + 1, waiting: false };
  if (ready < total) return { position: Math.max(0, ready - 1), waiting: true };
  return { position: 0, waiting: false };
}
