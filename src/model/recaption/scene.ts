// The scene: what the procedural world renders (models/kinora/world.py), and so what a prompt can
// ask of the model. Values and their order mirror world.py (COLOURS, SHAPES, SIZES, MOTIONS, SPEEDS,
// CAMERAS); captions.py writes training captions from exactly this structure.

export const COLOURS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'white', 'black', 'gray'] as const;
export const SHAPES = ['circle', 'square', 'triangle', 'star', 'diamond'] as const;
export const SIZES = ['small', 'medium', 'large'] as const;
export const MOTIONS = ['left', 'right', 'up', 'down', 'bounce', 'fall', 'rotate', 'grow', 'shrink', 'orbit', 'still'] as const;
export const SPEEDS = ['slowly', 'quickly'] as const;
export const CAMERAS = ['static', 'pan_left', 'pan_right', 'zoom_in', 'zoom_out'] as const;
export const BACKGROUND_KINDS = ['plain', 'gradient', 'day', 'night'] as const;

export type Colour = (typeof COLOURS)[number];
export type Shape = (typeof SHAPES)[number];
export type Size = (typeof SIZES)[number];
export type Motion = (typeof MOTIONS)[number];
export type Speed = (typeof SPEEDS)[number];
export type Camera = (typeof CAMERAS)[number];

export type Background =
  | { kind: 'plain'; colour: Colour }
  | { kind: 'gradient'; top: Colour; bottom: Colour }
  | { kind: 'day' }
  | { kind: 'night' };

export interface SceneObject {
  colour: Colour;
  shape: Shape;
  size: Size;
  motion: Motion;
  speed: Speed;
}

export interface Scene {
  /** One to three objects (world.py samples at most three). */
  objects: SceneObject[];
  background: Background;
  camera: Camera;
  /** The first object passes behind the second (captions.py: "... and passes behind ..."). */
  occlusion: boolean;
}

/** The most objects one scene holds: the world never rendered more, so the model never saw more. */
export const MAX_OBJECTS = 3;

/** What the world would not have sampled; each is a composition the model never saw in training. */
export function untrainedCompositions(scene: Scene): string[] {
  const found: string[] = [];
  const colours = scene.objects.map((o) => o.colour);
  if (new Set(colours).size < colours.length) found.push('two objects of one colour (the world gives each object its own colour)');
  const bg = scene.background;
  const backgroundColours: readonly Colour[] =
    bg.kind === 'plain' ? [bg.colour]
      : bg.kind === 'gradient' ? [bg.top, bg.bottom]
        : bg.kind === 'day' ? ['green', 'blue', 'white'] // grass, sky and clouds
          : ['black'];
  for (const o of scene.objects) {
    if (backgroundColours.includes(o.colour)) found.push(`a ${o.colour} object on a background with ${o.colour} in it`);
  }
  if (scene.camera !== 'static' && bg.kind !== 'day' && bg.kind !== 'night') {
    found.push('a moving camera over a plain or gradient background (the world moves the camera only over day and night skies)');
  }
  return found;
}

const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

/** Whether a value from outside (the page, a saved draft) is a scene the world can render. */
export function isScene(value: unknown): value is Scene {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const objects = s.objects;
  if (!Array.isArray(objects) || objects.length < 1 || objects.length > MAX_OBJECTS) return false;
  const objectsOk = objects.every((o: Record<string, unknown> | null) =>
    typeof o === 'object' && o !== null && oneOf(COLOURS, o.colour) && oneOf(SHAPES, o.shape) && oneOf(SIZES, o.size) && oneOf(MOTIONS, o.motion) && oneOf(SPEEDS, o.speed));
  const b = s.background as Record<string, unknown> | null;
  const backgroundOk = typeof b === 'object' && b !== null && (
    (b.kind === 'plain' && oneOf(COLOURS, b.colour)) || (b.kind === 'gradient' && oneOf(COLOURS, b.top) && oneOf(COLOURS, b.bottom)) || b.kind === 'day' || b.kind === 'night');
  return objectsOk && backgroundOk && oneOf(CAMERAS, s.camera) && typeof s.occlusion === 'boolean';
}
