// Starts the download worker on the first download of a visit (most visits make none) and gives
// the page its typed API; later downloads reuse it.
import * as Comlink from 'comlink';
import type { DownloadWorkerApi } from '../worker/download-api';

let api: Comlink.Remote<DownloadWorkerApi> | undefined;

export function downloadWorker(): Comlink.Remote<DownloadWorkerApi> {
  api ??= Comlink.wrap<DownloadWorkerApi>(new Worker(new URL('../worker/download-worker.ts', import.meta.url), { type: 'module', name: 'kinora-downloads' }));
  return api;
}
