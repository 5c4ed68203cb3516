// The studio's generation settings, their ranges, and how they are remembered between visits.
import type { Aspect, BackendChoice } from '../worker/api';
import { STEPS_RANGE } from '../worker/request-validation';
import { randomSeed } from './random-seed';
import { namespaced } from './storage-namespace';

export interface StudioSettings {
  seconds: number;
  aspect: Aspect;
  /** null: the model's default. */
  steps: number | null;
  guidance: number | null;
  seed: number;
  /** Locked: keep the seed for the next video; unlocked: draw a new one each time. */
  seedLocked: boolean;
  /** null: the site's default model. */
  modelId: string | null;
  backend: BackendChoice;
  /** What the video should not contain ("no stars"); '' for none. */
  negativePrompt: string;
  /** Whether the MP4 carries the prompt (and its caption and the negative prompt). Off unless the person turns it on: the prompt is theirs. */
  promptInFile: boolean;
  /** How many takes "Make N" makes (VARIATION_CHOICES). */
  variations: number;
}

/** 0.125 s is one frame at 8 fps: a still image. */
export const SECONDS_CHOICES = [0.125, 0.5, 1, 1.5, 2, 4, 8, 15, 30, 60] as const;
export const STEP_CHOICES = [
  { label: 'Fast', steps: 4 },
  { label: 'Balanced', steps: 8 },
  { label: 'Quality', steps: 16 },
] as const;
/** "Make N": takes of one prompt with consecutive seeds (the worker's MAX_TAKES is the most). */
export const VARIATION_CHOICES = [2, 3, 4] as const;
export const GUIDANCE_RANGE = { min: 1, max: 8, step: 0.5 } as const;

/** Per deployment (storage-namespace.ts): two copies on one origin keep their own settings. */
const storageKey = () => namespaced('kinora.settings.v1');

export function defaultSettings(): StudioSettings {
  return { seconds: 2, aspect: '1:1', steps: null, guidance: null, seed: randomSeed(), seedLocked: false, modelId: null, backend: 'auto', negativePrompt: '', promptInFile: false, variations: 4 };
}

export function loadSettings(): StudioSettings {
  const fallback = defaultSettings();
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey()) ?? 'null') as Partial<StudioSettings> | null;
    if (!saved) return fallback;
    return {
      seconds: SECONDS_CHOICES.includes(saved.seconds as never) ? saved.seconds! : fallback.seconds,
      aspect: saved.aspect === '16:9' || saved.aspect === '9:16' || saved.aspect === '1:1' ? saved.aspect : fallback.aspect,
      // A stored value out of range (steps 0, guidance NaN, from an older version or a hand edit)
      // falls back to the model's own default (null) instead of a blank box and an error.
      steps: Number.isInteger(saved.steps) && saved.steps! >= STEPS_RANGE.min && saved.steps! <= STEPS_RANGE.max ? saved.steps! : null,
      guidance: typeof saved.guidance === 'number' && saved.guidance >= GUIDANCE_RANGE.min && saved.guidance <= GUIDANCE_RANGE.max ? saved.guidance : null,
      seedLocked: saved.seedLocked === true,
      seed: saved.seedLocked === true && Number.isInteger(saved.seed) ? saved.seed! >>> 0 : fallback.seed,
      modelId: typeof saved.modelId === 'string' ? saved.modelId : null,
      backend: saved.backend === 'webgpu' || saved.backend === 'wasm' ? saved.backend : 'auto',
      // Kept whole, however long: the studio says when it is over the limit (MAX_PROMPT_CHARS), and nothing is cut unasked.
      negativePrompt: typeof saved.negativePrompt === 'string' ? saved.negativePrompt : '',
      // Only an explicit yes puts the prompt into files: anything else, damaged or older, keeps it out.
      promptInFile: saved.promptInFile === true,
      variations: VARIATION_CHOICES.includes(saved.variations as never) ? saved.variations! : fallback.variations,
    };
  } catch {
    return fallback;
  }
}

export function saveSettings(s: StudioSettings): void {
  try {
    localStorage.setItem(storageKey(), JSON.stringify(s));
  } catch {
    // Private mode or a full quota: settings simply are not remembered.
  }
}

/** Parses what a person typed as a seed: a whole number from 0 to 4294967295. */
export function parseSeed(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n <= 0xffffffff ? n : null;
}
