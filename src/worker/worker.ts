// The generation worker's entry: it owns the GPU and exposes KinoraWorkerApi over comlink.
import * as Comlink from 'comlink';
import type { KinoraWorkerApi } from './api';
import { GpuSession } from './gpu-session';
import { GenerationService } from './generation-service';
import { encodeClipAsMp4 } from './mp4-clip-encoder';
import { SiteModelProvider } from './site-model-provider';

const session = new GpuSession(() => (self.navigator as Navigator & { gpu?: GPU }).gpu);
// Models are under <site>/models/. The built worker lives in <site>/assets/; the dev server
// serves public/ at its root.
const siteUrl = new URL(import.meta.env.DEV ? '/' : '../', self.location.href).href;
const generation = new GenerationService(new SiteModelProvider(siteUrl), encodeClipAsMp4);

const api: KinoraWorkerApi = {
  gpuStatus: () => session.status(),
  onDeviceLost: async (listener) => session.onDeviceLost(listener),
  loseDeviceForTesting: () => session.loseDevice(),
  generate: (request, onProgress) => generation.generate(request, onProgress),
  cancel: async () => generation.cancel(),
};

Comlink.expose(api);
