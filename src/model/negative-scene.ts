// The negative prompt for a scene model: what it names, as a scene of only those parts, so guidance
// pushes each step away from those tokens (as a text model is pushed away from the negative
// prompt's caption). "no red stars" is one object token of colour red and shape star; "not on a
// night sky" is a background token; "no zoom in" a camera token. Undefined when nothing is named.
import type { NegativePrompt, SceneObject } from './recaption';
import type { SceneCondition } from './scene-condition';

export function negativeScene(negative: Pick<NegativePrompt, 'unwanted' | 'camera'>, maxObjects = 3): SceneCondition | undefined {
  const objects: Partial<SceneObject>[] = negative.unwanted
    .filter((u) => u.colour || u.shape || u.size || u.motion)
    .slice(0, maxObjects)
    .map((u) => ({
      ...(u.colour ? { colour: u.colour } : {}),
      ...(u.shape ? { shape: u.shape } : {}),
      ...(u.size ? { size: u.size } : {}),
      ...(u.motion ? { motion: u.motion } : {}),
    }));
  const background = negative.unwanted.find((u) => u.background)?.background;
  if (objects.length === 0 && !background && !negative.camera) return undefined;
  return { objects, ...(background ? { background } : {}), ...(negative.camera ? { camera: negative.camera } : {}) };
}
