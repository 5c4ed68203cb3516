// The request as it will run: the model's defaults filled in, the seed as a u32, the mode without
// its files. It is what the result reports, the gallery keeps and the MP4's provenance records.
import type { ModelManifest } from '../model/manifest';
import type { GenerateRequest, GenerationSettings } from './api';
import { summariseMode } from './mode-plan';

export function resolveSettings(request: GenerateRequest, manifest: ModelManifest): GenerationSettings {
  const { mode } = request;
  return {
    // A storyboard needs no prompt of its own: it is remembered by its shots' prompts.
    prompt: mode?.kind === 'storyboard' && !request.prompt.trim() ? mode.shots.map((s) => s.prompt).join(' / ') : request.prompt,
    seconds: request.seconds,
    aspect: request.aspect,
    seed: request.seed >>> 0,
    steps: request.steps ?? manifest.sampler.default_steps,
    guidance: request.guidance ?? manifest.sampler.default_guidance,
    modelId: manifest.id,
    backend: request.backend ?? 'auto',
    mode: summariseMode(mode),
    negativePrompt: request.negativePrompt ?? '',
    promptInFile: request.promptInFile === true,
    ...(request.scene && mode?.kind !== 'storyboard' ? { scene: structuredClone(request.scene) } : {}),
  };
}
