// Test doubles for the model loader: a safetensors writer (by hand, as the format says), a
// static host in memory that can cut, corrupt or refuse what it serves, and an in-memory
// stand-in for the IndexedDB store, which Node lacks.
import { createHash } from 'node:crypto';
import type { ModelCacheStorage } from '../../src/store/model-cache-storage';

export interface TensorSpec {
  dtype: string;
  shape: number[];
  /** The raw little-endian element bytes. */
  data: Uint8Array;
}

/**
 * A safetensors file: u64 LE header length, JSON header, data. `pad` inserts bytes before the
 * first tensor (to put a tensor at a misaligned offset); the header is space-padded so the data
 * section starts 8-aligned, as the exporter writes it.
 */
export function buildSafetensors(tensors: Record<string, TensorSpec>, options: { metadata?: Record<string, string>; pad?: number } = {}): Uint8Array<ArrayBuffer> {
  const header: Record<string, unknown> = {};
  let offset = options.pad ?? 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  if (options.metadata) header.__metadata__ = options.metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  return rawSafetensors(json, offset, (data) => {
    let at = options.pad ?? 0;
    for (const t of Object.values(tensors)) {
      data.set(t.data, at);
      at += t.data.byteLength;
    }
  });
}

/** A file with exactly this header text and `dataBytes` of data, for malformed cases. */
export function rawSafetensors(headerJson: string, dataBytes: number, fill?: (data: Uint8Array) => void, claimedLength?: bigint): Uint8Array<ArrayBuffer> {
  const head = new TextEncoder().encode(headerJson);
  const out = new Uint8Array(8 + head.byteLength + dataBytes);
  new DataView(out.buffer).setBigUint64(0, claimedLength ?? BigInt(head.byteLength), true);
  out.set(head, 8);
  fill?.(out.subarray(8 + head.byteLength));
  return out;
}

export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Deterministic bytes, different for each seed. */
export function patternBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** How the fake host misbehaves on the n-th request for a path (0-based); undefined: serve normally. */
export type Misbehaviour =
  | { kind: 'cut'; after: number } // the body ends early, cleanly
  | { kind: 'error'; after: number } // the body errors mid-way (connection reset)
  | { kind: 'corrupt' } // one byte flipped
  | { kind: 'status'; status: number }
  | { kind: 'network' }; // fetch itself rejects

export interface FakeHostRequest {
  url: string;
  range: string | null;
}

export interface FakeHost {
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  requests: FakeHostRequest[];
  files: Map<string, Uint8Array>;
  /** Requests whose URL ends with `suffix`. */
  count(suffix: string): number;
}

export function fakeHost(
  files: Record<string, Uint8Array | object>,
  options: { ranges?: boolean; chunk?: number; misbehave?: (path: string, n: number) => Misbehaviour | undefined } = {},
): FakeHost {
  const served = new Map<string, Uint8Array>();
  for (const [url, body] of Object.entries(files)) served.set(url, body instanceof Uint8Array ? body : new TextEncoder().encode(JSON.stringify(body)));
  const seen = new Map<string, number>();
  const requests: FakeHostRequest[] = [];
  const chunk = options.chunk ?? 1000;

  const fetchFn = async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const range = headers.get('Range');
    requests.push({ url, range });
    const n = seen.get(url) ?? 0;
    seen.set(url, n + 1);
    const mis = options.misbehave?.(url, n);
    if (mis?.kind === 'network') throw new TypeError('Failed to fetch');
    if (mis?.kind === 'status') return new Response('nope', { status: mis.status });
    const file = served.get(url);
    if (!file) return new Response('Not found', { status: 404 });

    let body = file;
    let status = 200;
    const responseHeaders: Record<string, string> = { 'Content-Type': 'application/octet-stream', ETag: '"v1"' };
    const match = range && options.ranges ? /^bytes=(\d+)-$/.exec(range) : null;
    if (match) {
      const start = Number(match[1]);
      body = file.subarray(start);
      status = 206;
      responseHeaders['Content-Range'] = `bytes ${start}-${file.byteLength - 1}/${file.byteLength}`;
    }
    if (mis?.kind === 'corrupt') {
      body = body.slice();
      body[body.byteLength >> 1] ^= 0xff;
    }
    const stopAt = mis?.kind === 'cut' || mis?.kind === 'error' ? mis.after : body.byteLength;
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= stopAt) {
          if (mis?.kind === 'error') controller.error(new TypeError('network error: connection reset'));
          else controller.close();
          return;
        }
        const end = Math.min(at + chunk, stopAt);
        controller.enqueue(body.slice(at, end));
        at = end;
      },
    });
    return new Response(stream, { status, headers: responseHeaders });
  };
  return { fetch: fetchFn, requests, files: served, count: (suffix) => requests.filter((r) => r.url.endsWith(suffix)).length };
}

/** The model cache's store, in memory; `failSet` makes writes throw (e.g. a full quota). */
export function memoryStorage(): ModelCacheStorage & { map: Map<string, { key: IDBValidKey; value: unknown }>; failSet?: () => Error } {
  const map = new Map<string, { key: IDBValidKey; value: unknown }>();
  const id = (key: IDBValidKey) => JSON.stringify(key);
  const storage = {
    map,
    failSet: undefined as (() => Error) | undefined,
    async get<T>(key: IDBValidKey) {
      return map.get(id(key))?.value as T | undefined;
    },
    async set(key: IDBValidKey, value: unknown) {
      if (storage.failSet) throw storage.failSet();
      // IndexedDB stores a structured clone, not the caller's object.
      map.set(id(key), { key, value: structuredClone(value) });
    },
    async delete(key: IDBValidKey) {
      map.delete(id(key));
    },
    async deleteMany(keys: IDBValidKey[]) {
      for (const key of keys) map.delete(id(key));
    },
    async keys() {
      return [...map.values()].map((e) => e.key);
    },
  };
  return storage;
}
