// What a word of a prompt can mean to the world, and the words the training captions use for each
// meaning (mirrored from models/kinora/captions.py: COLOUR_WORDS, SHAPE_WORDS, SIZE_WORDS,
// SPEED_WORDS, MOTION_PHRASES, MOTION_SHORT, CAMERA_PHRASES and background_phrase), plus the few
// phrases people use that are not single words WordNet could supply ("up and down", "in a circle").
// Phrases are written as lemmas (what compromise's `root` gives: "bounce", not "bounces").
// The generated tables (tables/*.json, scripts/build-recaption-tables.ts) add WordNet synonyms and
// colour names; these core phrases win over them.
import { COLOURS, SIZES, SPEEDS, type Colour, type Motion, type Shape, type Size, type Speed } from './scene';

export type Direction = 'left' | 'right' | 'up' | 'down';

export type Concept =
  | { kind: 'colour'; colour: Colour }
  | { kind: 'shape'; shape: Shape }
  /** "shape", "thing", "object": an object of no particular shape. */
  | { kind: 'thing' }
  | { kind: 'size'; size: Size }
  | { kind: 'speed'; speed: Speed }
  /** A verb or phrase that names one of the world's motions by itself. */
  | { kind: 'motion'; motion: Motion }
  /** A verb of moving along ("slide", "drift", "zip"): the direction comes from elsewhere. */
  | { kind: 'travel'; speed?: Speed }
  | { kind: 'direction'; direction: Direction }
  | { kind: 'background'; background: 'plain' | 'gradient' | 'day' | 'night' }
  | { kind: 'camera' }
  | { kind: 'pan' }
  | { kind: 'zoom'; zoom?: 'in' | 'out' }
  /** "static": a still camera in a camera clause, a still object elsewhere. */
  | { kind: 'static' }
  /** "no", "not", "without": what follows is not wanted. */
  | { kind: 'negation' }
  /** "pair", "couple", "both": a count word that is not a number. */
  | { kind: 'count'; count: number }
  /** "at the top" in a gradient phrase: positional words that carry no meaning of their own here. */
  | { kind: 'position' };

export type ConceptKey = string;

export function conceptFromKey(key: ConceptKey): Concept {
  const [kind, value] = key.split(':');
  switch (kind) {
    case 'colour': return { kind, colour: value as Colour };
    case 'shape': return { kind, shape: value as Shape };
    case 'size': return { kind, size: value as Size };
    case 'speed': return { kind, speed: value as Speed };
    case 'motion': return { kind, motion: value as Motion };
    case 'travel': return value ? { kind, speed: value as Speed } : { kind };
    case 'direction': return { kind, direction: value as Direction };
    case 'background': return { kind, background: value as 'plain' | 'gradient' | 'day' | 'night' };
    case 'zoom': return value ? { kind, zoom: value as 'in' | 'out' } : { kind };
    case 'count': return { kind, count: Number(value) };
    case 'thing': case 'camera': case 'pan': case 'static': case 'negation': case 'position': return { kind };
    default: throw new Error(`unknown concept key ${key}`);
  }
}

const CORE: Record<ConceptKey, string[]> = {
  ...Object.fromEntries(COLOURS.map((c) => [`colour:${c}`, [c]])),
  'colour:gray': ['gray', 'grey'],
  'colour:purple': ['purple', 'violet'],
  'shape:circle': ['circle', 'ball', 'disc', 'disk', 'dot', 'orb', 'sphere'],
  'shape:square': ['square', 'box', 'block', 'cube'],
  'shape:triangle': ['triangle', 'pyramid'],
  'shape:star': ['star'],
  'shape:diamond': ['diamond', 'rhombus'],
  thing: ['shape', 'thing', 'object', 'item', 'something', 'anything', 'stuff'],
  ...Object.fromEntries(SIZES.map((s) => [`size:${s}`, [s]])),
  'size:small': ['small', 'little', 'tiny'],
  'size:medium': ['medium', 'medium sized', 'mid sized', 'medium size', 'mid size', 'average size'],
  'size:large': ['large', 'big', 'huge'],
  ...Object.fromEntries(SPEEDS.map((s) => [`speed:${s}`, [s]])),
  'speed:slowly': ['slowly', 'gently', 'slow'],
  'speed:quickly': ['quickly', 'fast', 'rapidly', 'quick'],
  'motion:up': ['rise', 'go up', 'move up', 'float up'],
  'motion:down': ['sink', 'go down', 'move down'],
  'motion:bounce': ['bounce', 'up and down', 'bouncy', 'bouncing'],
  'motion:fall': ['fall', 'drop', 'fall down', 'drop down', 'land', 'fall and land'],
  'motion:rotate': ['rotate', 'spin', 'turn around', 'spin around', 'spinning', 'rotating'],
  'motion:grow': ['grow', 'expand', 'get big', 'get bigger', 'get large', 'get larger', 'grow large', 'grow larger', 'become big', 'become bigger', 'become larger'],
  'motion:shrink': ['shrink', 'get small', 'get smaller', 'become small', 'become smaller', 'grow smaller'],
  'motion:orbit': ['orbit', 'circle around', 'in a circle', 'in circle', 'go round', 'go around in a circle', 'round in circle',
    'around the centre', 'around the center', 'around the middle', 'round the centre', 'round the center', 'round the middle',
    'in circles', 'circling', 'circle round'],
  'motion:still': ['stay still', 'sit still', 'still', 'not move', 'rest in place', 'stand still', 'in place', 'stay put',
    'motionless', 'stationary', 'sit there', 'just sit', 'not moving', 'stay'],
  travel: ['move', 'slide', 'go', 'travel', 'head', 'float', 'roll', 'drift', 'glide', 'fly', 'come'],
  'travel:quickly': ['zip', 'race', 'dash', 'shoot', 'speed', 'rush', 'whizz', 'whiz', 'zoom across', 'zoom off'],
  'travel:slowly': ['crawl', 'creep', 'inch'],
  'direction:left': ['left', 'leftwards', 'leftward', 'to the left'],
  'direction:right': ['right', 'rightwards', 'rightward', 'to the right'],
  'direction:up': ['up', 'upwards', 'upward', 'top', 'skyward', 'skywards'],
  'direction:down': ['down', 'downwards', 'downward', 'bottom'],
  'background:plain': ['background', 'backdrop', 'bg', 'plain'],
  'background:gradient': ['gradient', 'fade', 'fading'],
  'background:day': ['day', 'day sky', 'daytime', 'daytime sky', 'sunny', 'sunny day', 'grass', 'meadow', 'blue sky', 'green grass',
    'sky', 'field', 'lawn', 'outside', 'outdoors', 'daylight', 'sunshine', 'park'],
  'background:night': ['night', 'night sky', 'starry', 'starry sky', 'under the star', 'with star', 'at night', 'nighttime',
    'dark sky', 'starry night', 'the night sky', 'star in the sky'],
  camera: ['camera', 'view', 'cam', 'shot'],
  pan: ['pan', 'panning', 'track', 'tracking', 'truck'],
  'zoom:in': ['zoom in', 'zooming in', 'push in', 'move closer', 'zoom closer', 'close in'],
  'zoom:out': ['zoom out', 'zooming out', 'pull back', 'pull out', 'pull away', 'zoom away', 'back away'],
  zoom: ['zoom', 'zooming'],
  static: ['static', 'fixed', 'steady', 'locked'],
  negation: ['no', 'not', 'without', 'never', 'nothing', 'none'],
  'count:2': ['pair', 'couple', 'both', 'twin', 'twins'],
  'count:3': ['trio', 'several', 'few', 'many', 'lot', 'bunch'],
  position: ['at the top', 'at the bottom', 'on top', 'in the middle', 'in the centre', 'in the center', 'the ground', 'to the ground',
    'on the ground', 'the floor', 'to the floor', 'the screen', 'across the screen', 'the frame'],
};

export const CORE_PHRASES: ReadonlyMap<string, ConceptKey> = new Map(
  Object.entries(CORE).flatMap(([key, phrases]) => phrases.map((p) => [p, key] as const)),
);
