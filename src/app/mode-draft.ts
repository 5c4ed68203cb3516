// The mode the user chose and its choices — direction, strength, the storyboard's shots — kept in
// localStorage as they change, so a reload loses none of them (the prompt is kept beside it, in
// prompt-draft.ts). Files are not kept (a reload cannot keep a File): a mode that needs one asks
// for it again. Per deployment like the rest (storage-namespace.ts).
import type { GenerationMode, StoryboardShot } from '../worker/api';
import { namespaced } from './storage-namespace';

export interface ModeDraft {
  modeKind: GenerationMode['kind'];
  direction: 'forward' | 'backward';
  strength: number;
  shots: StoryboardShot[];
}

const MODE_KINDS: readonly GenerationMode['kind'][] = ['text', 'image', 'extend', 'connect', 'edit', 'loop', 'storyboard'];
const key = () => namespaced('kinora.mode-draft.v1');

function isShot(value: unknown): value is StoryboardShot {
  const s = value as StoryboardShot | null;
  return typeof s === 'object' && s !== null && typeof s.prompt === 'string' && typeof s.seconds === 'number' && Number.isFinite(s.seconds);
}

/** The parts of the draft that were kept and are still valid. */
export function loadModeDraft(): Partial<ModeDraft> {
  let saved: Partial<Record<keyof ModeDraft, unknown>>;
  try {
    saved = JSON.parse(globalThis.localStorage?.getItem(key()) ?? '{}') ?? {};
  } catch {
    return {};
  }
  const draft: Partial<ModeDraft> = {};
  if (MODE_KINDS.includes(saved.modeKind as never)) draft.modeKind = saved.modeKind as ModeDraft['modeKind'];
  if (saved.direction === 'forward' || saved.direction === 'backward') draft.direction = saved.direction;
  if (typeof saved.strength === 'number' && saved.strength > 0 && saved.strength <= 1) draft.strength = saved.strength;
  if (Array.isArray(saved.shots) && saved.shots.length > 0 && saved.shots.every(isShot)) draft.shots = saved.shots;
  return draft;
}

/** Keeps these parts of the draft, leaving the others as they were. */
export function saveModeDraft(parts: Partial<ModeDraft>): void {
  try {
    globalThis.localStorage?.setItem(key(), JSON.stringify({ ...loadModeDraft(), ...parts }));
  } catch {
    // Private mode or a full quota: the draft is simply not kept.
  }
}
