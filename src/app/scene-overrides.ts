// The parts of the scene the person changed in "Kinora will make:" — kept apart from the prompt's
// own reading, so that typing on re-reads the prompt and the changed parts stay changed (an object
// that is no longer in the prompt loses its changes). The prompt's text is never rewritten.
import { isScene, type Background, type Camera, type Scene, type SceneObject } from '../model/recaption/scene';

export interface SceneOverrides {
  /** By object position: the attributes set by hand. */
  objects: Partial<SceneObject>[];
  background?: Background;
  camera?: Camera;
}

export const NO_OVERRIDES: SceneOverrides = { objects: [] };

export function hasOverrides(o: SceneOverrides): boolean {
  return o.background !== undefined || o.camera !== undefined || o.objects.some((part) => part && Object.keys(part).length > 0);
}

/** The prompt's scene with the person's changes on top. */
export function applyOverrides(scene: Scene, o: SceneOverrides): Scene {
  return {
    objects: scene.objects.map((object, i) => ({ ...object, ...(o.objects[i] ?? {}) })),
    background: o.background ?? scene.background,
    camera: o.camera ?? scene.camera,
    occlusion: scene.occlusion,
  };
}

export function withObjectPart<K extends keyof SceneObject>(o: SceneOverrides, index: number, key: K, value: SceneObject[K]): SceneOverrides {
  const objects = [...o.objects];
  while (objects.length <= index) objects.push({});
  objects[index] = { ...objects[index], [key]: value };
  return { ...o, objects };
}

/** Overrides read back from storage, or none when they are damaged: each part must be one the world knows. */
export function reviveOverrides(value: unknown): SceneOverrides {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as SceneOverrides).objects)) return NO_OVERRIDES;
  const o = value as SceneOverrides;
  // A full scene built from the parts checks every value at once.
  const probe = { colour: 'red', shape: 'circle', size: 'medium', motion: 'still', speed: 'slowly' } as const;
  const objects = o.objects.slice(0, 3).map((part) => (isScene({ objects: [{ ...probe, ...part }], background: { kind: 'day' }, camera: 'static', occlusion: false }) ? { ...part } : {}));
  const background = o.background && isScene({ objects: [probe], background: o.background, camera: 'static', occlusion: false }) ? o.background : undefined;
  const camera = o.camera && isScene({ objects: [probe], background: { kind: 'day' }, camera: o.camera, occlusion: false }) ? o.camera : undefined;
  return { objects, ...(background ? { background } : {}), ...(camera ? { camera } : {}) };
}
