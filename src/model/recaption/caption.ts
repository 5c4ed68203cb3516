// caption(scene): the caption the model reads for a scene, in the long ("detail 2") style of the
// training captions (models/kinora/captions.py caption(..., detail=2)), one fixed phrasing per value:
//   "A small red circle moves slowly to the left. A large blue square stays still on a white
//    background. The camera is static."
// Every word is in the model's vocabulary (tests check against models/kinora/vocab.txt) and the
// caption stays within the 64 tokens the text encoder reads.
import { normaliseWords } from '../tokenizer';
import type { Background, Camera, Motion, Scene, SceneObject } from './scene';

/** How many token ids the text encoder reads (captions.py MAX_TOKENS). */
export const CAPTION_MAX_TOKENS = 64;

export type CaptionResult =
  | { ok: true; caption: string; tokens: number }
  | { ok: false; reason: string };

const SHAPE_WORD: Record<SceneObject['shape'], string> = { circle: 'circle', square: 'square', triangle: 'triangle', star: 'star', diamond: 'diamond' };
const SIZE_WORDS: Record<SceneObject['size'], string> = { small: 'small', medium: 'medium sized', large: 'large' };
/** captions.py MOTION_PHRASES, the first phrasing of each. */
const MOTION_PHRASE: Record<Motion, (speed: string) => string> = {
  left: (s) => `moves ${s} to the left`,
  right: (s) => `moves ${s} to the right`,
  up: (s) => `moves ${s} up`,
  down: (s) => `moves ${s} down`,
  bounce: () => 'bounces',
  fall: () => 'falls and lands',
  rotate: (s) => `rotates ${s}`,
  grow: () => 'grows',
  shrink: () => 'shrinks',
  orbit: () => 'circles around the centre',
  still: () => 'stays still',
};
const CAMERA_SENTENCE: Record<Camera, string> = {
  static: 'The camera is static.',
  pan_left: 'The camera pans left.',
  pan_right: 'The camera pans right.',
  zoom_in: 'The camera zooms in.',
  zoom_out: 'The camera zooms out.',
};

export function objectPhrase(o: Pick<SceneObject, 'colour' | 'shape' | 'size'>): string {
  const words = `${SIZE_WORDS[o.size]} ${o.colour} ${SHAPE_WORD[o.shape]}`;
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

export function motionPhrase(o: Pick<SceneObject, 'motion' | 'speed'>): string {
  return MOTION_PHRASE[o.motion](o.speed);
}

/** captions.py background_phrase at detail 2, its first phrasing. */
export function backgroundPhrase(b: Background): string {
  switch (b.kind) {
    case 'plain': return `on a ${b.colour} background`;
    case 'gradient': return `on a gradient from ${b.top} to ${b.bottom}`;
    case 'day': return 'in a day sky over grass';
    case 'night': return 'at night under the stars';
  }
}

export function caption(scene: Scene): CaptionResult {
  if (scene.objects.length === 0) {
    return { ok: false, reason: 'Nothing to draw: the scene has no object, and every caption the model learned names at least one.' };
  }
  const [first, second] = scene.objects;
  const clauses = scene.objects.map((o) => `${objectPhrase(o)} ${motionPhrase(o)}`);
  if (scene.occlusion && second) clauses[0] = `${objectPhrase(first)} ${motionPhrase(first)} and passes behind ${objectPhrase(second)}`;
  const sentences = clauses.map((c) => c[0].toUpperCase() + c.slice(1));
  const text = `${sentences.join('. ')} ${backgroundPhrase(scene.background)}. ${CAMERA_SENTENCE[scene.camera]}`;
  const tokens = normaliseWords(text).length;
  if (tokens > CAPTION_MAX_TOKENS) {
    return { ok: false, reason: `The caption would be ${tokens} words; the model reads ${CAPTION_MAX_TOKENS}.` };
  }
  return { ok: true, caption: text, tokens };
}
