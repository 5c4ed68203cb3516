// Starts the generation worker and gives the page its typed API.
import * as Comlink from 'comlink';
import type { KinoraWorkerApi } from '../worker/api';

export interface WorkerClient {
  api: Comlink.Remote<KinoraWorkerApi>;
  /** Resolves with a message if the worker script itself fails (a load or syntax error). */
  crashed: Promise<string>;
}

export function startWorker(): WorkerClient {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'kinora-generator' });
  const crashed = new Promise<string>((resolve) => {
    worker.addEventListener('error', (e) => resolve(e.message || 'The generation worker failed to start.'));
  });
  return { api: Comlink.wrap<KinoraWorkerApi>(worker), crashed };
}
