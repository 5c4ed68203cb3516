// Downloads one model file into a buffer of exactly the size the manifest gives, reporting
// every chunk, resuming a cut transfer with an HTTP Range request (sirv and most static hosts
// honour it; a host that does not answers 200 and we start that file again), and returning
// the bytes only once their SHA-256 matches.
import {
  ModelDownloadInterruptedError,
  ModelFileMissingError,
  ModelIntegrityError,
  ModelLoadAbortedError,
  ModelNetworkError,
} from './errors';
import type { ModelFileEntry } from './site-files';
import { sha256Hex } from './sha256';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface DownloadOptions {
  fetch?: FetchLike;
  /** Requests made for one file before giving up, counting the first (a resume or a restart is one more). */
  maxAttempts?: number;
  /** Wait before attempt n+1 (n ≥ 1); exponential by default so a flapping link gets time to settle. */
  retryDelayMs?: (attempt: number) => number;
  /** Bytes of this file held so far; it may go back to 0 when a host cannot resume. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_ATTEMPTS = 4;
const defaultDelay = (attempt: number) => 250 * 2 ** (attempt - 1);

export async function downloadVerifiedFile(
  url: string,
  expected: Pick<ModelFileEntry, 'bytes' | 'sha256'>,
  options: DownloadOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const fetchFn = options.fetch ?? ((u, init) => fetch(u, init));
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const delay = options.retryDelayMs ?? defaultDelay;
  const { signal, onProgress } = options;
  // One allocation of the final size: chunks land in place, so nothing is concatenated or copied.
  const target = new Uint8Array(expected.bytes);
  let received = 0;
  // What identifies the version we started on, so a resume cannot splice two versions of a file.
  let validator: string | undefined;
  // The last failure when it was not a cut (a cut is the default report when attempts run out).
  let lastFailure: ModelNetworkError | ModelIntegrityError | undefined;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) await sleep(delay(attempt - 1), signal);
    throwIfAborted(signal);
    const headers: Record<string, string> = {};
    if (received > 0) {
      headers.Range = `bytes=${received}-`;
      if (validator) headers['If-Range'] = validator;
    }
    let response: Response;
    try {
      // no-store: IndexedDB is the model's cache; a second copy in the HTTP cache would only cost disk.
      response = await fetchFn(url, { headers, cache: 'no-store', signal });
    } catch (err) {
      throwIfAborted(signal);
      lastFailure = new ModelNetworkError(url, err);
      continue;
    }

    if (response.status === 206 && received > 0 && resumesAt(response, received, expected.bytes)) {
      // The host continues where we stopped.
    } else if (response.ok && response.status !== 206) {
      received = 0;
      onProgress?.(0, expected.bytes);
      validator = strongValidator(response);
    } else if (response.status === 206 || response.status === 416) {
      // A partial answer we did not ask for, or for the wrong range: start this file again.
      await response.body?.cancel();
      received = 0;
      validator = undefined;
      lastFailure = undefined;
      continue;
    } else {
      await response.body?.cancel();
      throw new ModelFileMissingError(url, response.status);
    }

    try {
      await readInto(url, response, target, received, signal, (filled) => {
        received = filled;
        onProgress?.(filled, expected.bytes);
      });
    } catch (err) {
      throwIfAborted(signal);
      if (err instanceof ModelIntegrityError) throw err;
      // The stream broke mid-way: keep what arrived and resume on the next attempt.
    }
    if (received < expected.bytes) {
      lastFailure = undefined;
      continue;
    }
    const actual = await sha256Hex(target);
    if (actual === expected.sha256) return target;
    // Corrupted in transit (or stitched from two versions): the whole file again, from zero.
    lastFailure = new ModelIntegrityError(url, `sha256 ${expected.sha256}`, `sha256 ${actual}`);
    received = 0;
    validator = undefined;
    onProgress?.(0, expected.bytes);
  }
  throw lastFailure ?? new ModelDownloadInterruptedError(url, maxAttempts, received, expected.bytes);
}

/** Copies the body's chunks into `target` from `offset`, telling `onChunk` the fill level after each. */
async function readInto(
  url: string,
  response: Response,
  target: Uint8Array<ArrayBuffer>,
  offset: number,
  signal: AbortSignal | undefined,
  onChunk: (filled: number) => void,
): Promise<void> {
  let filled = offset;
  if (!response.body) {
    const all = new Uint8Array(await response.arrayBuffer());
    checkRoom(url, target, filled, all.byteLength);
    target.set(all, filled);
    onChunk(filled + all.byteLength);
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      // fetch() stops the body on abort, but an injected fetch may not: check between chunks too.
      throwIfAborted(signal);
      checkRoom(url, target, filled, value.byteLength);
      target.set(value, filled);
      filled += value.byteLength;
      onChunk(filled);
    }
  } catch (err) {
    // Let go of the connection; a stream that already failed rejects the cancel, which is fine.
    await reader.cancel().catch(() => {});
    throw err;
  }
}

function checkRoom(url: string, target: Uint8Array, filled: number, incoming: number): void {
  if (filled + incoming > target.byteLength) {
    throw new ModelIntegrityError(url, `${target.byteLength} bytes`, `more than ${target.byteLength} bytes`);
  }
}

/** True when a 206 answer starts at `offset` of a file of `size` bytes. */
function resumesAt(response: Response, offset: number, size: number): boolean {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('Content-Range') ?? '');
  if (!match) return false;
  return Number(match[1]) === offset && (match[3] === '*' || Number(match[3]) === size);
}

/** A validator that If-Range accepts: a strong ETag, else Last-Modified (weak ETags are not allowed there). */
function strongValidator(response: Response): string | undefined {
  const etag = response.headers.get('ETag');
  if (etag && !etag.startsWith('W/')) return etag;
  return response.headers.get('Last-Modified') ?? undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ModelLoadAbortedError();
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelLoadAbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
