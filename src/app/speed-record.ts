// How fast this device made videos before, to say before a generation how long it will take.
// One figure per model and engine: milliseconds per frame per denoising step, from the last run
// (the DiT's cost grows about linearly with frames at these sizes; the decode is folded in).

const KEY = 'kinora.speed.v1';

type Records = Record<string, number>;

function read(): Records {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Records;
  } catch {
    return {};
  }
}

export function recordSpeed(modelId: string, engine: string, elapsedMs: number, frames: number, steps: number): void {
  if (!(frames > 0 && steps > 0 && elapsedMs > 0)) return;
  const records = read();
  records[`${modelId}|${engine}`] = elapsedMs / (frames * steps);
  records[`${modelId}|last`] = engine === 'webgpu' ? 1 : 0;
  try {
    localStorage.setItem(KEY, JSON.stringify(records));
  } catch {
    // Not remembered: the next estimate is simply missing.
  }
}

/** The engine the last video of this model ran on (what "automatic" will likely pick again). */
export function lastEngine(modelId: string): string | null {
  const last = read()[`${modelId}|last`];
  return last === undefined ? null : last === 1 ? 'webgpu' : 'wasm';
}

/** Seconds a video of `frames` frames and `steps` steps should take, or null when never measured. */
export function estimateSeconds(modelId: string, engine: string, frames: number, steps: number): number | null {
  const msPerFrameStep = read()[`${modelId}|${engine}`];
  return msPerFrameStep ? (msPerFrameStep * frames * steps) / 1000 : null;
}

export function describeDuration(seconds: number): string {
  if (seconds < 2) return 'a second or two';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  return `about ${Math.round(seconds / 60)} min`;
}
