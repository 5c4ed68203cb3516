// The parts of the scene the person changed in "Kinora will make:" — kept apart from the prompt's
// own reading, so that typing on re-reads the prompt and the changed parts stay changed. Each change
// belongs to the object it was made on (object-identity.ts), not to a place in the list: deleting
// the object before it does not hand it to its neighbour, and an object that is no longer in the
// prompt loses its changes. The prompt's text is never rewritten.
import { isScene, MAX_OBJECTS, type Background, type Camera, type Parse, type Scene, type SceneObject } from '../model/recaption';
import { objectIdentities } from './object-identity';

/** The attributes set by hand on one object, named by its identity. */
export interface ObjectOverride {
  object: string;
  parts: Partial<SceneObject>;
}

export interface SceneOverrides {
  objects: ObjectOverride[];
  background?: Background;
  camera?: Camera;
}

export const NO_OVERRIDES: SceneOverrides = { objects: [] };

/** For each object of the reading, the parts set on it by hand (undefined: none). */
function partsByObject(reading: Parse, o: SceneOverrides): (Partial<SceneObject> | undefined)[] {
  return objectIdentities(reading.objects).map((id) => o.objects.find((x) => x.object === id)?.parts);
}

/** Whether anything set by hand still changes this reading's scene. */
export function hasOverrides(o: SceneOverrides, reading: Parse): boolean {
  return o.background !== undefined || o.camera !== undefined || partsByObject(reading, o).some((parts) => parts && Object.keys(parts).length > 0);
}

/** The prompt's scene with the person's changes on top. */
export function applyOverrides(reading: Parse, o: SceneOverrides): Scene {
  const parts = partsByObject(reading, o);
  const scene = reading.scene;
  return {
    objects: scene.objects.map((object, i) => ({ ...object, ...(parts[i] ?? {}) })),
    background: o.background ?? scene.background,
    camera: o.camera ?? scene.camera,
    occlusion: scene.occlusion,
  };
}

/** `key` of the reading's object number `index` (from 0) set to `value`; changes on objects no longer named are dropped. */
export function withObjectPart<K extends keyof SceneObject>(o: SceneOverrides, reading: Parse, index: number, key: K, value: SceneObject[K]): SceneOverrides {
  const ids = objectIdentities(reading.objects);
  const id = ids[index];
  if (id === undefined) return o;
  const before = o.objects.find((x) => x.object === id)?.parts ?? {};
  const others = o.objects.filter((x) => x.object !== id && ids.includes(x.object));
  return { ...o, objects: [...others, { object: id, parts: { ...before, [key]: value } }] };
}

/** A scene made from this reading (a gallery entry's), as the changes that give it back. */
export function overridesFor(reading: Parse, made: Scene): SceneOverrides {
  const ids = objectIdentities(reading.objects);
  const objects = made.objects.slice(0, ids.length).map((parts, i) => ({ object: ids[i], parts: { ...parts } }));
  return { objects, background: made.background, camera: made.camera };
}

/** Overrides read back from storage, or none when they are damaged: each part must be one the world knows. */
export function reviveOverrides(value: unknown): SceneOverrides {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as SceneOverrides).objects)) return NO_OVERRIDES;
  const o = value as SceneOverrides;
  // A full scene built from the parts checks every value at once.
  const probe = { colour: 'red', shape: 'circle', size: 'medium', motion: 'still', speed: 'slowly' } as const;
  const known = (parts: unknown) => typeof parts === 'object' && parts !== null && isScene({ objects: [{ ...probe, ...parts }], background: { kind: 'day' }, camera: 'static', occlusion: false });
  // Entries without an identity (saved by position, before object-identity.ts) cannot be placed, so they are dropped.
  const objects = (o.objects as unknown[])
    .filter((x): x is ObjectOverride => typeof x === 'object' && x !== null && typeof (x as ObjectOverride).object === 'string' && (x as ObjectOverride).object.length <= 200)
    .slice(0, MAX_OBJECTS)
    .map((x) => ({ object: x.object, parts: known(x.parts) ? { ...x.parts } : {} }));
  const background = o.background && isScene({ objects: [probe], background: o.background, camera: 'static', occlusion: false }) ? o.background : undefined;
  const camera = o.camera && isScene({ objects: [probe], background: { kind: 'day' }, camera: o.camera, occlusion: false }) ? o.camera : undefined;
  return { objects, ...(background ? { background } : {}), ...(camera ? { camera } : {}) };
}
