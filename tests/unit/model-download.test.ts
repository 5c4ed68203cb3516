// One file's download against a fake static host: byte progress, resume by Range after a cut
// or reset, a restart where the host cannot resume, bounded retries, and sha256 verification.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadVerifiedFile, type DownloadOptions } from '../../src/model/loader/download';
import {
  ModelDownloadInterruptedError,
  ModelFileMissingError,
  ModelIntegrityError,
  ModelLoadAbortedError,
  ModelNetworkError,
} from '../../src/model/loader/errors';
import { sha256Hex } from '../../src/model/loader/sha256';
import { fakeHost, patternBytes, sha256, type Misbehaviour } from './model-test-helpers';

const URL_ = 'http://host/models/tiny/dit.safetensors';
const file = patternBytes(10_000, 1);
const expected = { bytes: file.byteLength, sha256: sha256(file) };
const noWait: DownloadOptions = { retryDelayMs: () => 0 };

function host(misbehave?: (n: number) => Misbehaviour | undefined, ranges = true) {
  return fakeHost({ [URL_]: file }, { ranges, misbehave: misbehave && ((_, n) => misbehave(n)) });
}

describe('sha256Hex', () => {
  it('matches a known digest and Node’s own', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(file)).toBe(expected.sha256);
  });
});

describe('downloadVerifiedFile', () => {
  it('returns the bytes and reports progress chunk by chunk up to the total', async () => {
    const h = host();
    const progress: number[] = [];
    const bytes = await downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch, onProgress: (loaded, total) => (expect(total).toBe(10_000), progress.push(loaded)) });
    expect(bytes).toEqual(file);
    expect(progress).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    expect(h.requests).toHaveLength(1);
    expect(h.requests[0].range).toBeNull();
  });

  it('resumes a cut download with a Range request from where it stopped', async () => {
    const h = host((n) => (n === 0 ? { kind: 'cut', after: 4000 } : undefined));
    const bytes = await downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch });
    expect(bytes).toEqual(file);
    expect(h.requests.map((r) => r.range)).toEqual([null, 'bytes=4000-']);
  });

  it('resumes after a connection reset mid-stream, several times', async () => {
    const h = host((n) => (n < 2 ? { kind: 'error', after: 3000 } : undefined));
    const bytes = await downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch });
    expect(bytes).toEqual(file);
    expect(h.requests.map((r) => r.range)).toEqual([null, 'bytes=3000-', 'bytes=6000-']);
  });

  it('starts the file again when the host answers a Range request with the whole file', async () => {
    const h = host((n) => (n === 0 ? { kind: 'cut', after: 4000 } : undefined), false);
    const progress: number[] = [];
    const bytes = await downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch, onProgress: (loaded) => progress.push(loaded) });
    expect(bytes).toEqual(file);
    expect(h.requests.map((r) => r.range)).toEqual([null, 'bytes=4000-']);
    // Progress goes back to zero when the host makes us start over.
    expect(progress.slice(4, 7)).toEqual([4000, 0, 1000]);
  });

  it('gives up after maxAttempts cuts with an error that says what arrived', async () => {
    const h = host(() => ({ kind: 'cut', after: 500 }), false);
    const attempt = downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch, maxAttempts: 3 });
    await expect(attempt).rejects.toBeInstanceOf(ModelDownloadInterruptedError);
    await expect(attempt).rejects.toThrow(/cut off 3 times \(500 of 10000 bytes/);
    expect(h.requests).toHaveLength(3);
  });

  it('waits between attempts as retryDelayMs says', async () => {
    const waits: number[] = [];
    const h = host((n) => (n < 2 ? { kind: 'cut', after: 100 } : undefined));
    await downloadVerifiedFile(URL_, expected, { fetch: h.fetch, retryDelayMs: (a) => (waits.push(a), 1) });
    expect(waits).toEqual([1, 2]);
  });

  it('downloads again from zero when the bytes do not match the sha256', async () => {
    const h = host((n) => (n === 0 ? { kind: 'corrupt' } : undefined));
    const bytes = await downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch });
    expect(bytes).toEqual(file);
    expect(h.requests.map((r) => r.range)).toEqual([null, null]);
  });

  it('refuses bytes that never match the sha256', async () => {
    const h = host(() => ({ kind: 'corrupt' }));
    const attempt = downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch, maxAttempts: 2 });
    await expect(attempt).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(attempt).rejects.toThrow(/dit\.safetensors arrived damaged/);
    expect(h.requests).toHaveLength(2);
  });

  it('refuses a file larger than the manifest says, without retrying', async () => {
    const h = host();
    const attempt = downloadVerifiedFile(URL_, { ...expected, bytes: 9_999 }, { ...noWait, fetch: h.fetch });
    await expect(attempt).rejects.toBeInstanceOf(ModelIntegrityError);
    expect(h.requests).toHaveLength(1);
  });

  it('reports a 404 at once, naming the file and the status', async () => {
    const h = fakeHost({});
    const attempt = downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch });
    await expect(attempt).rejects.toBeInstanceOf(ModelFileMissingError);
    await expect(attempt).rejects.toThrow(/dit\.safetensors could not be downloaded \(the server answered 404\)/);
    expect(h.requests).toHaveLength(1);
  });

  it('retries when the network is down, then says so', async () => {
    const h = host(() => ({ kind: 'network' }));
    const attempt = downloadVerifiedFile(URL_, expected, { ...noWait, fetch: h.fetch, maxAttempts: 2 });
    await expect(attempt).rejects.toBeInstanceOf(ModelNetworkError);
    await expect(attempt).rejects.toThrow(/network is unreachable/);
    expect(h.requests).toHaveLength(2);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const h = host();
    const attempt = downloadVerifiedFile(URL_, expected, {
      ...noWait,
      fetch: h.fetch,
      signal: controller.signal,
      onProgress: (loaded) => loaded >= 3000 && controller.abort(),
    });
    await expect(attempt).rejects.toBeInstanceOf(ModelLoadAbortedError);
  });
});

describe('downloadVerifiedFile against sirv, the static server of `npm start`', () => {
  let dir: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kinora-sirv-'));
    writeFileSync(join(dir, 'dit.safetensors'), file);
    server = createServer(sirv(dir, { dev: true, etag: true }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a cut download with sirv’s 206 answer', async () => {
    const statuses: number[] = [];
    // The first answer loses its connection after 4,000 bytes; later ones pass untouched.
    const cutFirst = async (url: string, init?: RequestInit) => {
      const response = await fetch(url, init);
      statuses.push(response.status);
      if (statuses.length > 1) return response;
      const reader = response.body!.getReader();
      let sent = 0;
      const cut = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done || sent >= 4000) {
            await reader.cancel();
            controller.error(new TypeError('network error'));
            return;
          }
          const part = value.subarray(0, 4000 - sent);
          sent += part.byteLength;
          controller.enqueue(part);
        },
      });
      return new Response(cut, { status: response.status, headers: response.headers });
    };
    const bytes = await downloadVerifiedFile(`${base}dit.safetensors`, expected, { ...noWait, fetch: cutFirst });
    expect(bytes).toEqual(file);
    expect(statuses).toEqual([200, 206]);
  });
});
