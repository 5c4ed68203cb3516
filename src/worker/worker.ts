// The generation worker's entry: it owns the GPU and exposes KinoraWorkerApi over comlink.
import * as Comlink from 'comlink';
import type { KinoraWorkerApi } from './api';
import { GpuSession } from './gpu-session';
import { GenerationService } from './generation-service';
import { openMp4ClipWriter } from './mp4-clip-encoder';
import { SiteModelProvider } from './site-model-provider';
import { chooseBackend } from './backend-choice';
import { sendUserErrorFlag } from './error-channel';

const session = new GpuSession(() => (self.navigator as Navigator & { gpu?: GPU }).gpu);
// Models are under <site>/models/. The built worker lives in <site>/assets/; the dev server
// serves public/ at its root.
const siteUrl = new URL(import.meta.env.DEV ? '/' : '../', self.location.href).href;
const models = new SiteModelProvider(siteUrl, async () => (await chooseBackend('auto', () => session.context())).kind);
const generation = new GenerationService({ models, openWriter: openMp4ClipWriter, gpu: () => session.context() });

const api: KinoraWorkerApi = {
  gpuStatus: () => session.status(),
  onDeviceLost: async (listener) => session.onDeviceLost(listener),
  loseDeviceForTesting: () => session.loseDevice(),
  listModels: (backend) => models.list(backend),
  deleteCachedModel: (modelId) => models.deleteCached(modelId),
  modelInfo: async (modelId) => {
    const m = await models.manifest(modelId);
    return {
      id: m.id,
      description: m.description ?? '',
      vocabulary: m.tokenizer?.vocab ?? m.condition?.vocab ?? [],
      maxTokens: m.tokenizer?.max_tokens ?? m.condition?.tokens ?? 0,
      defaultSteps: m.sampler.default_steps,
      defaultGuidance: m.sampler.default_guidance,
      fps: m.video.fps,
      maxFrames: m.video.max_frames,
    };
  },
  generate: (request, onProgress) => generation.generate(request, onProgress),
  generateTakes: (request, count, onProgress, onTake) => generation.generateTakes(request, count, onProgress, onTake),
  cancel: async () => generation.cancel(),
};

sendUserErrorFlag();
Comlink.expose(api);
