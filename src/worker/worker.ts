// The generation worker's entry: it owns the GPU and exposes KinoraWorkerApi over comlink.
import * as Comlink from 'comlink';
import type { KinoraWorkerApi } from './api';
import { GpuSession } from './gpu-session';

const session = new GpuSession(() => (self.navigator as Navigator & { gpu?: GPU }).gpu);

const api: KinoraWorkerApi = {
  gpuStatus: () => session.status(),
  onDeviceLost: async (listener) => session.onDeviceLost(listener),
  loseDeviceForTesting: () => session.loseDevice(),
};

Comlink.expose(api);
