// What of a clip an extension uses, said before generating: the clip and what is added stay within
// the 60-s limit together, so of a long clip only the part next to the new frames is kept (the
// worker does the same: clipFramesKept in src/worker/mode-plan.ts).
import { MAX_SECONDS } from '../worker/request-validation';

/** A sentence for the person when not all of the clip is used; null when all of it is. */
export function describeClipUse(clipSeconds: number, addedSeconds: number, direction: 'forward' | 'backward'): string | null {
  if (!Number.isFinite(clipSeconds) || clipSeconds + addedSeconds <= MAX_SECONDS) return null;
  const kept = Math.max(0, MAX_SECONDS - addedSeconds);
  const which = direction === 'forward' ? 'last' : 'first';
  const s = (x: number) => `${Number(x.toFixed(1))} s`;
  if (kept === 0) return `With ${s(addedSeconds)} added there is no room for the clip within ${MAX_SECONDS} s: choose a shorter duration.`;
  return `This clip lasts ${s(clipSeconds)}. With ${s(addedSeconds)} added, only its ${which} ${s(kept)} are used, so that the video stays within ${MAX_SECONDS} s.`;
}

/** The length of a video file in seconds, from its metadata (NaN when the browser cannot tell). */
export function clipDuration(file: Blob): Promise<number> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    video.preload = 'metadata';
    const done = (seconds: number) => {
      URL.revokeObjectURL(url);
      resolve(seconds);
    };
    video.onloadedmetadata = () => done(video.duration);
    video.onerror = () => done(Number.NaN);
    video.src = url;
  });
}
