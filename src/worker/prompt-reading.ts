// The one step between what a person types and what the model reads. The studio, `npm run generate`
// and `npm run eval` all generate through the worker, so all of them are read here, the same way:
// recaption() (src/model/recaption/, docs/recaption.md) writes each prompt as a caption in the
// model's training language, or the studio's edited scene is written instead; the negative prompt's
// caption becomes the unconditional side of classifier-free guidance. Without guidance (guidance 1,
// as a student model with guidance folded in runs) there is no unconditional side, and the reading
// says so instead of dropping the negative prompt in silence.
import { caption, isScene, parseNegative, recaption, type Scene } from '../model/recaption';
import { negativeScene } from '../model/negative-scene';
import type { NegativeReading, PromptReading } from './api';

/** The prompt (or the scene) leaves nothing the model can draw: the user's to change, not to retry. */
export class NothingToDrawError extends Error {
  readonly userError = true;
  constructor(reason: string, prompt: string) {
    super(`${prompt.trim() ? `Kinora cannot make “${prompt.trim().slice(0, 80)}”: ` : ''}${reason} Describe a coloured shape and how it moves, like “a red ball bounces”.`);
    this.name = 'NothingToDrawError';
  }
}

/** A scene sent by the page that is not one the world can render. */
export class SceneRequestError extends Error {
  readonly userError = true;
  constructor() {
    super('The scene to make is damaged (an object, the background or the camera is not one Kinora knows). Change a part of it or retype the prompt.');
    this.name = 'SceneRequestError';
  }
}

/**
 * The caption the model reads for `prompt`, or for `scene` when the person set its parts. What the
 * negative prompt names is never chosen as a default ("a ball" without "red" is a blue ball).
 */
export function readPrompt(prompt: string, options: { negativePrompt?: string; scene?: Scene } = {}): PromptReading {
  const { scene } = options;
  const read = recaption(prompt, options.negativePrompt);
  const unknown = [...new Set([...read.parse.unknown, ...read.parse.ignored])];
  if (scene !== undefined) {
    if (!isScene(scene)) throw new SceneRequestError();
    const edited = caption(scene);
    if (!edited.ok) throw new NothingToDrawError(edited.reason, prompt);
    return { prompt, caption: edited.caption, scene, notes: read.parse.notes, unknown };
  }
  if (!read.caption.ok) throw new NothingToDrawError(read.caption.reason, prompt);
  return { prompt, caption: read.caption.caption, scene: read.parse.scene, notes: read.parse.notes, unknown };
}

/** The negative prompt as guidance will use it; undefined when there is none. */
export function readNegative(text: string | undefined, guidance: number): NegativeReading | undefined {
  if (!text?.trim()) return undefined;
  const negative = parseNegative(text);
  if (!negative.caption) return { text, used: false, notes: negative.notes };
  const scene = negativeScene(negative);
  const read = { text, caption: negative.caption, ...(scene ? { scene } : {}) };
  if (guidance === 1) return { ...read, used: false, notes: [...negative.notes, NO_GUIDANCE_NOTE] };
  return { ...read, used: true, notes: negative.notes };
}

export const NO_GUIDANCE_NOTE =
  'The negative prompt was not used: this video runs without guidance (guidance 1, as a model with its guidance folded in does), ' +
  'so there is no unconditional side to steer away from. Choose a model with guidance, such as kinora-small, or a guidance above 1.';
