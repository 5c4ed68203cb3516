// Reads the facts of a Kinora manifest back out of what the SDK's reader returns (a Manifest),
// the inverse of c2pa-manifest.ts. It trusts nothing about the shape: a manifest written by any
// other tool, or by a later Kinora, yields the facts it has and no others.
import type { Manifest } from '@contentauth/c2pa-web';
import { ACTIONS_LABEL, CREATED_ACTION, GENERATION_LABEL } from './c2pa-manifest';

/** What a Kinora manifest states; '' for a fact a valid manifest (another tool's) does not state. */
export interface C2paFacts {
  generator: string;
  generatorVersion: string;
  modelId: string;
  weightsSha256: string;
  mode: string;
  createdAt: string;
  digitalSourceType: string;
  /** Only when the person chose to write the prompt into the file. */
  prompt?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An assertion's data by label; the SDK may add an instance suffix ("label__1") to repeated labels. */
function assertionData(manifest: Manifest, label: string): Json | undefined {
  const found = (manifest.assertions ?? []).find((a) => a.label === label || a.label.startsWith(`${label}__`));
  return isObject(found?.data) ? found.data : undefined;
}

function createdAction(manifest: Manifest): Json | undefined {
  // c2pa.actions (v1) in manifests of older tools; ours is v2.
  const data = assertionData(manifest, ACTIONS_LABEL) ?? assertionData(manifest, 'c2pa.actions');
  const actions = Array.isArray(data?.actions) ? data.actions : [];
  return actions.find((a): a is Json => isObject(a) && a.action === CREATED_ACTION);
}

/** Every fact the manifest states; absent keys are facts it does not state. */
export function factsOfManifest(manifest: Manifest): Partial<C2paFacts> {
  const generatorInfo = manifest.claim_generator_info?.[0];
  const created = createdAction(manifest);
  const generation = assertionData(manifest, GENERATION_LABEL);
  const model = isObject(generation?.model) ? generation.model : undefined;
  const facts: Partial<C2paFacts> = {
    generator: text(generatorInfo?.name),
    generatorVersion: text(generatorInfo?.version),
    modelId: text(model?.id),
    weightsSha256: text(model?.sha256),
    mode: text(generation?.mode),
    // The action's time is the C2PA one; Kinora's own assertion says the same.
    createdAt: text(created?.when) ?? text(generation?.createdAt),
    digitalSourceType: text(created?.digitalSourceType),
    prompt: text(generation?.prompt),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as Partial<C2paFacts>;
}

/** The facts with '' for each one the manifest does not state (a manifest another tool wrote). */
export function completeFacts(facts: Partial<C2paFacts>): C2paFacts {
  const { prompt, ...rest } = facts;
  return {
    generator: '',
    generatorVersion: '',
    modelId: '',
    weightsSha256: '',
    mode: '',
    createdAt: '',
    digitalSourceType: '',
    ...rest,
    ...(prompt !== undefined ? { prompt } : {}),
  };
}
