// What Kinora's C2PA manifest says, as the SDK's ManifestDefinition, built from the same
// provenance record the MP4's metadata tags carry (src/video/provenance.ts). That record holds
// the prompt only when the person chose to write it into the file (GenerationFacts.promptInFile),
// so this manifest holds it exactly then too: one decision, made once, for both.
//
// The manifest (claim v2):
//   - claim_generator_info: Kinora and its version (package.json);
//   - c2pa.actions.v2: one c2pa.created action, digitalSourceType trainedAlgorithmicMedia (IPTC:
//     "created by software trained on sampled content" — a generative model), when, and Kinora
//     as its softwareAgent;
//   - kinora.generation: the model id and the sha256 of its weights, the mode, the time, the seed
//     and settings, and — only when allowed — the prompt, the caption the model read and the
//     negative prompt.
import type { ManifestDefinition } from '@contentauth/c2pa-web';
import type { Provenance } from '../video/provenance';

export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
export const ACTIONS_LABEL = 'c2pa.actions.v2';
export const CREATED_ACTION = 'c2pa.created';
/** Kinora's own assertion. A label of the application's own namespace, as C2PA asks of custom assertions. */
export const GENERATION_LABEL = 'kinora.generation';

/** The kinora.generation assertion's data. */
export interface GenerationAssertion {
  schema: 'kinora-c2pa/1';
  model: { id: string; sha256: string };
  /** text, image, extend, connect, edit, loop or storyboard. */
  mode: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  seed: number;
  settings: { steps: number; guidance: number; aspect: string; seconds: number };
  /** Only when the person chose to write the prompt into the file. */
  prompt?: string;
  caption?: string;
  negative?: { prompt: string; caption: string; used: boolean };
}

export function generationAssertion(p: Provenance): GenerationAssertion {
  const { steps, guidance, aspect, seconds } = p.settings;
  return {
    schema: 'kinora-c2pa/1',
    model: { id: p.model.id, sha256: p.model.sha256 },
    mode: p.settings.mode ?? 'text',
    createdAt: p.createdAt,
    seed: p.seed,
    settings: { steps, guidance, aspect, seconds },
    ...(p.prompt !== undefined ? { prompt: p.prompt } : {}),
    ...(p.caption !== undefined ? { caption: p.caption } : {}),
    ...(p.negative ? { negative: { ...p.negative } } : {}),
  };
}

export function c2paManifestDefinition(p: Provenance): ManifestDefinition {
  const generator = { name: p.generator, version: p.generatorVersion };
  return {
    claim_generator_info: [generator],
    format: 'video/mp4',
    assertions: [
      {
        label: ACTIONS_LABEL,
        data: {
          actions: [{ action: CREATED_ACTION, digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, when: p.createdAt, softwareAgent: generator }],
        },
      },
      { label: GENERATION_LABEL, data: generationAssertion(p) },
    ],
  };
}
