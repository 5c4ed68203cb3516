// What the person typed and changed but has not made yet — the prompt and the scene parts set by
// hand — kept in localStorage as it is typed, so a reload, a crash or a closed tab loses nothing.
import { NO_OVERRIDES, reviveOverrides, type SceneOverrides } from './scene-overrides';
import { namespaced } from './storage-namespace';

export interface PromptDraft {
  prompt: string;
  overrides: SceneOverrides;
}

/** Per deployment (storage-namespace.ts): two copies on one origin keep their own drafts. */
const storageKey = () => namespaced('kinora.draft.v1');

export function loadDraft(): PromptDraft {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey()) ?? 'null') as Partial<PromptDraft> | null;
    return { prompt: typeof saved?.prompt === 'string' ? saved.prompt : '', overrides: reviveOverrides(saved?.overrides) };
  } catch {
    return { prompt: '', overrides: NO_OVERRIDES };
  }
}

export function saveDraft(draft: PromptDraft): void {
  try {
    localStorage.setItem(storageKey(), JSON.stringify(draft));
  } catch {
    // Private mode or a full quota: the draft lives only as long as the tab.
  }
}
