// Recaptioning: what a person types → the scene it asks for → the caption the model was trained
// on. One step for every caller (worker, studio, command line, eval); see docs/recaption.md.
import { caption, type CaptionResult } from './caption';
import { parseNegative, type NegativePrompt } from './negative';
import { negativeConflicts } from './negative-conflicts';
import { parse, type Parse } from './parse';

export { caption, parse, parseNegative };
export type { CaptionResult, NegativePrompt, Parse };
export type { ParsedObject, Excluded, Attribute } from './parse';
export * from './scene';

export interface Recaption {
  parse: Parse;
  /** The caption the model reads, or why there is none. */
  caption: CaptionResult;
  /** The unconditional side of guidance: the negative prompt's caption, when there is one. */
  negative?: NegativePrompt;
}

export function recaption(prompt: string, negativePrompt?: string): Recaption {
  const negative = negativePrompt?.trim() ? parseNegative(negativePrompt) : undefined;
  // What the negative prompt names is never a default of the prompt's scene.
  const read = parse(prompt, negative?.unwanted ?? []);
  const parsed = negative ? { ...read, notes: [...read.notes, ...negativeConflicts(read, negative)] } : read;
  const result: CaptionResult = parsed.empty
    ? { ok: false, reason: parsed.notes.join(' ') || 'Nothing to draw.' }   // every note: it names what could not be drawn
    : caption(parsed.scene);
  return { parse: parsed, caption: result, ...(negative ? { negative } : {}) };
}
