// parse(prompt): what a person typed, as the scene the world can render, with plain notes on
// what was read differently ("crimson → red"), what cannot be drawn ("dog") and what was assumed.
//
// Words get their meaning in terms.ts / mentions.ts; here the meanings are put together:
// - a motion belongs to the objects named since the last motion ("a blue ball and a red ball
//   bouncing": both bounce), to the noun right after it ("a spinning star"), or, with no object
//   waiting, to the last one named ("A gray diamond. It rises.");
// - after "camera" or "view", motion words move the camera; "pan" and "zoom" always do;
// - colours in no noun phrase make the background ("on red", "a blue background", "a gradient
//   from red to blue");
// - "two balls, a red one and a blue one" and "three shapes: a circle, ..." fill in the counted
//   objects; "behind a box" that is then described again is one object, and the first passes behind it;
// - an unknown noun with a colour, size or motion ("a red car driving left") is drawn as a circle
//   standing in for it; one without ("a dog") is only named; nouns after a preposition ("in Tokyo")
//   are scenery, never drawn.
import type { Concept } from './concepts';
import { mentionsOf, type LooseColour, type Mention, type NounPhrase, type Word } from './mentions';
import {
  COLOURS, MAX_OBJECTS, SHAPES, untrainedCompositions,
  type Background, type Camera, type Colour, type Motion, type Scene, type SceneObject, type Shape, type Size, type Speed,
} from './scene';
import { readText } from './terms';

export type Attribute = 'colour' | 'shape' | 'size' | 'motion' | 'speed';

export interface ParsedObject extends SceneObject {
  /** Which attributes the prompt said; the others are defaults. */
  stated: Record<Attribute, boolean>;
  /** The unknown noun this object stands in for ("car"). */
  standsFor?: string;
}

/** What a negation in the prompt asked not to see ("a ball, not red", "no stars"): for the negative prompt. */
export interface Excluded {
  text: string;
  colour?: Colour;
  shape?: Shape;
  size?: Size;
  motion?: Motion;
  background?: Background;
}

/** An excluded single word ("not red", "not bouncing"), or undefined when it names nothing drawable. */
function excludedWord(word: Word): Excluded | undefined {
  const c = word.concept;
  const text = word.text;
  switch (c.kind) {
    case 'colour': return { text, colour: c.colour };
    case 'shape': return { text, shape: c.shape };
    case 'size': return { text, size: c.size };
    case 'motion': return { text, motion: c.motion };
    case 'direction': return { text, motion: c.direction };
    case 'background': return c.background === 'day' || c.background === 'night' ? { text, background: { kind: c.background } } : undefined;
    default: return undefined;
  }
}

export interface Parse {
  prompt: string;
  /** The scene to render; `objects` holds the same objects with what was stated. */
  scene: Scene;
  objects: ParsedObject[];
  backgroundStated: boolean;
  cameraStated: boolean;
  /** Nouns the world cannot draw, in the order typed ("dog", "tokyo"). */
  unknown: string[];
  /** Other words that were not understood and so were left out. */
  ignored: string[];
  excluded: Excluded[];
  /** Colours named with no object or background to belong to ("red, please"). */
  unattachedColours: Colour[];
  /** Plain sentences for the person: mappings, typos, stand-ins, limits, compositions never trained. */
  notes: string[];
  /** Nothing the world can draw is left: there is no caption to make. */
  empty: boolean;
}

interface MotionDraft {
  motion?: Motion;
  travel?: boolean;
  direction?: 'left' | 'right' | 'up' | 'down';
  speed?: Speed;
  speedFromVerb?: Speed;
  still?: boolean;
}

interface Draft {
  colour?: Colour;
  shape?: Shape;
  size?: Size;
  motion: MotionDraft;
  standsFor?: string;
  /** Named after "behind": the object another passes behind. */
  occluder: boolean;
  /** Counted without colour ("two balls", "three shapes"): later phrases may fill it in. */
  fillable: boolean;
  generic: boolean;
  pronoun: boolean;
  group: number;
}

const DEFAULT_COLOURS: readonly Colour[] = ['red', 'blue', 'yellow', 'green', 'orange', 'purple', 'pink', 'white', 'black', 'gray'];
/** free_suite.py's order for backgrounds a prompt does not name. */
const DEFAULT_BACKGROUND_COLOURS: readonly Colour[] = ['white', 'black', 'gray', 'blue', 'green'];

/**
 * `ruledOut`: what else the video should not contain (the negative prompt's unwanted things), so
 * that a default never picks it ("a ball" with the negative prompt "red" is not a red ball).
 */
export function parse(prompt: string, ruledOut: readonly Excluded[] = [], options: ParseOptions = {}): Parse {
  const text = readText(prompt);
  const mentions = mentionsOf(text.terms);
  const notes: string[] = [];
  if (text.truncatedAt !== undefined) notes.push(`Only the first ${text.truncatedAt} characters were read.`);
  for (const { from, to } of text.typos) notes.push(`${from} → ${to} (read as a typo)`);
  for (const number of text.strayNumbers) notes.push(`"${number}" is not a number of objects, so it was left out.`);
  const state = assemble(mentions, notes);
  const parsed = finish(prompt, state, notes, ruledOut, options);
  // One note per thing said: a typo made 60 times is one note, not 60.
  return { ...parsed, notes: [...new Set(parsed.notes)] };
}

export interface ParseOptions {
  /**
   * Keep every object named instead of the world's three: a negative prompt lists unwanted
   * things ("circles, squares, stars, …"), which are never drawn together.
   */
  everyObject?: boolean;
}

interface State {
  drafts: Draft[];
  background?: Background;
  camera?: Camera;
  unknown: string[];
  ignored: string[];
  excluded: Excluded[];
  unattached: LooseColour[];
  mapped: Word[];
}

function assemble(mentions: readonly Mention[], notes: string[]): State {
  const state: State = { drafts: [], unknown: [], ignored: [], excluded: [], unattached: [], mapped: [] };
  let pending: Draft[] = []; // objects named since the last motion, waiting for one
  let pendingUnknown: Draft[] = [];
  let lastMoved: Draft[] = [];
  let lastNamed: Draft[] = [];
  let cameraClause = false;
  let prenominal: MotionDraft | undefined;
  let clauseColours: LooseColour[] = [];
  let clauseBackground: 'plain' | 'gradient' | undefined;
  let group = 0;
  const cameraNamed = mentions.some((m) => m.type === 'concept' && m.word.concept.kind === 'camera');

  const setBackground = (background: Background) => {
    if (!state.background) state.background = background;
    else if (JSON.stringify(state.background) !== JSON.stringify(background)) {
      notes.push(`Two backgrounds were named; the first (${describeBackground(state.background)}) is kept.`);
    }
  };
  const endClause = () => {
    const colours = clauseColours.filter((c) => !c.negated);
    let used: LooseColour[] = [];
    if (clauseBackground === 'gradient' && colours.length >= 2) {
      used = colours.slice(0, 2);
      setBackground({ kind: 'gradient', top: colours[0].colour, bottom: colours[1].colour });
    } else if (clauseBackground && colours.length >= 1) {
      used = colours.slice(0, 1);
      setBackground({ kind: 'plain', colour: colours[0].colour });
    } else {
      const onColour = colours.find((c) => c.preposition === 'on' || c.preposition === 'against' || c.preposition === 'over');
      if (onColour) setBackground({ kind: 'plain', colour: onColour.colour });
      if (onColour) used = [onColour];
    }
    state.unattached.push(...colours.filter((c) => !used.includes(c)));
    state.mapped.push(...used.map((c) => c.word));
    for (const c of clauseColours.filter((c) => c.negated)) state.excluded.push({ text: c.word.text, colour: c.colour });
    clauseColours = [];
    clauseBackground = undefined;
    cameraClause = false;
  };
  const applyMotion = (motion: MotionDraft) => {
    const targets = pending.length ? pending : pendingUnknown.length ? pendingUnknown : lastMoved.length ? lastMoved : lastNamed;
    for (const d of targets) mergeMotion(d.motion, motion);
    if (targets.length) lastMoved = targets;
    pending = [];
    pendingUnknown = [];
  };

  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i];
    if (m.type === 'break') {
      if (m.strength !== 'and') endClause();
      if (m.strength === 'sentence') pending = [];
      continue;
    }
    if (m.type === 'ignored') {
      state.ignored.push(m.text);
      continue;
    }
    if (m.type === 'pronoun') {
      pending = [...lastNamed];
      continue;
    }
    if (m.type === 'ordinal') {
      // "two balls, one bounces and the other spins": the motion that follows is that one object's
      // own; "one" and "the other" count among the last group named together, else among all so far.
      const among = lastNamed.length > 1 ? lastNamed : state.drafts;
      const target = among[m.index];
      if (target) pending = [target];
      continue;
    }
    if (m.type === 'loose-colour') {
      const previous = mentions[i - 1];
      const thing = previous?.type === 'noun' && previous.colours.length === 0 && previous.head.kind !== 'unknown' ? lastNamed : [];
      if (thing.length && !m.preposition && !m.negated && !clauseBackground) {
        // "something blue": a colour after its noun.
        for (const d of thing) d.colour = m.colour;
        state.mapped.push(m.word);
      } else clauseColours.push(m);
      continue;
    }
    if (m.type === 'noun') {
      cameraClause = false;
      const drafts = nounDrafts(m, state, notes, group++);
      // "two balls, a red one ...": the counted balls are described by the phrases that follow.
      if (m.head.kind === 'pronoun') pending = pending.filter((d) => !d.fillable);
      if (prenominal) {
        for (const d of drafts) mergeMotion(d.motion, prenominal);
        prenominal = undefined;
        lastMoved = drafts;
      } else if (drafts.length && drafts[0].standsFor) pendingUnknown.push(...drafts);
      else pending.push(...drafts);
      if (drafts.length) lastNamed = drafts;
      continue;
    }
    // A concept word: motion, direction, speed, background, camera.
    const { word } = m;
    const c = word.concept;
    if (m.negated && c.kind !== 'camera' && c.kind !== 'pan' && c.kind !== 'zoom') {
      const excluded = excludedWord(word);
      if (excluded) state.excluded.push(excluded);
      continue;
    }
    if (c.kind === 'background') {
      if (c.background === 'day' || c.background === 'night') setBackground({ kind: c.background });
      else clauseBackground = clauseBackground === 'gradient' ? 'gradient' : c.background;
      continue;
    }
    if (c.kind === 'camera') {
      if (m.negated) state.camera ??= 'static'; // "no camera movement"
      cameraClause = true;
      continue;
    }
    if (c.kind === 'static' && mentions[i + 1]?.type === 'concept' && (mentions[i + 1] as { word: Word }).word.concept.kind === 'camera') {
      state.camera ??= 'static'; // "static camera"
      continue;
    }
    if (objectDoesCameraVerb(mentions, i, cameraNamed)) {
      // "a red ball zooms to the left": with no camera in the prompt, the ball is what zooms.
      const motion: MotionDraft = { travel: true, ...(c.kind === 'zoom' ? { speedFromVerb: 'quickly' as const } : {}) };
      i = gatherMotion(mentions, i + 1, motion, state) - 1;
      applyMotion(motion);
      continue;
    }
    if (c.kind === 'pan' || c.kind === 'zoom' || cameraClause) {
      const camera = cameraMove(mentions, i);
      if (camera.camera) state.camera ??= camera.camera;
      i = camera.last;
      continue;
    }
    // Gather a run of motion words ("gets bigger and bigger", "moves slowly to the left").
    const motion: MotionDraft = {};
    i = gatherMotion(mentions, i, motion, state) - 1;
    if (m.prenominal) prenominal = motion;
    else applyMotion(motion);
  }
  endClause();
  return state;
}

/** Reads the run of motion words from `start` into `motion`; returns the index after the run. */
function gatherMotion(mentions: readonly Mention[], start: number, motion: MotionDraft, state: State): number {
  const first = mentions[start];
  const prenominal = first?.type === 'concept' && first.prenominal;
  let j = start;
  for (; j < mentions.length; j++) {
    const n = mentions[j];
    if (n.type === 'break' && n.strength === 'and' && mentions[j + 1]?.type === 'concept' && isMotionConcept((mentions[j + 1] as { word: Word }).word.concept)) continue;
    if (n.type !== 'concept' || !isMotionConcept(n.word.concept) || n.negated) break;
    if (j > start && n.prenominal !== prenominal) break;
    addMotionWord(motion, n.word);
    if (n.word.source !== 'core') state.mapped.push(n.word);
  }
  return j;
}

/**
 * Whether the pan or zoom word at `i` is an object's own motion: no camera or view is named in the
 * prompt, the word is a verb with the object just before it as its subject ("a ball zooms left",
 * "a car zooming past"), not an order to the camera ("…; zoom in", "pan left"), and it is not
 * "zoom in" / "zoom out", which only a camera does.
 */
function objectDoesCameraVerb(mentions: readonly Mention[], i: number, cameraNamed: boolean): boolean {
  const m = mentions[i];
  if (cameraNamed || m.type !== 'concept' || m.negated) return false;
  const c = m.word.concept;
  if (c.kind !== 'pan' && !(c.kind === 'zoom' && !c.zoom)) return false;
  if (!/(s|ed|ing)$/.test(m.word.text.split(' ')[0])) return false;
  const subject = mentions[i - 1];
  return subject?.type === 'pronoun' || (subject?.type === 'noun' && !subject.negated);
}

function isMotionConcept(c: Concept): boolean {
  return c.kind === 'motion' || c.kind === 'travel' || c.kind === 'direction' || c.kind === 'speed' || c.kind === 'static';
}

function addMotionWord(motion: MotionDraft, word: Word): void {
  const c = word.concept;
  if (c.kind === 'motion') {
    if (c.motion === 'still') motion.still = true;
    else if (c.motion === 'up' || c.motion === 'down') motion.direction ??= c.motion;
    else motion.motion ??= c.motion;
  } else if (c.kind === 'travel') {
    motion.travel = true;
    if (c.speed) motion.speedFromVerb = c.speed;
  } else if (c.kind === 'direction') motion.direction ??= c.direction;
  else if (c.kind === 'speed') motion.speed ??= c.speed;
  else if (c.kind === 'static') motion.still = true;
}

function mergeMotion(into: MotionDraft, from: MotionDraft): void {
  into.motion ??= from.motion;
  into.travel ||= from.travel;
  into.direction ??= from.direction;
  into.speed ??= from.speed;
  into.speedFromVerb ??= from.speedFromVerb;
  into.still ||= from.still;
}

/** The camera move that starts at mention `start` ("pans left", "zoom in", "stays still"), and where it ends. */
function cameraMove(mentions: readonly Mention[], start: number): { camera?: Camera; last: number } {
  let pan = false;
  let zoom: 'in' | 'out' | undefined;
  let zoomWord = false;
  let direction: string | undefined;
  let still = false;
  let moved = false;
  let last = start;
  for (let j = start; j < mentions.length; j++) {
    const n = mentions[j];
    if (n.type !== 'concept') break;
    const c = n.word.concept;
    if (c.kind === 'pan') pan = true;
    else if (c.kind === 'zoom') {
      zoomWord = true;
      zoom ??= c.zoom;
    } else if (c.kind === 'direction') direction ??= c.direction;
    else if (c.kind === 'travel') moved = true;
    else if (c.kind === 'static' || (c.kind === 'motion' && c.motion === 'still')) still = true;
    else if (c.kind === 'motion' && (c.motion === 'up' || c.motion === 'down')) direction ??= c.motion;
    else if (c.kind !== 'speed') break;
    last = j;
  }
  if (zoomWord) return { camera: zoom === 'out' ? 'zoom_out' : 'zoom_in', last };
  if (direction === 'left' || direction === 'right') return { camera: direction === 'left' ? 'pan_left' : 'pan_right', last };
  if (pan || moved) return { camera: 'pan_right', last };
  if (still) return { camera: 'static', last };
  return { last };
}

function nounDrafts(np: NounPhrase, state: State, notes: string[], group: number): Draft[] {
  const head = np.head;
  if (!np.negated) noteContradictions(np, notes);
  const described = np.colours.length > 0 || np.sizes.length > 0;
  if (np.negated) {
    const words = [...np.sizes.map((s) => s.word.text), ...np.colours.map((c) => c.word.text), head.kind === 'shape' || head.kind === 'thing' ? head.word.text : ''];
    const excluded: Excluded = {
      text: words.filter(Boolean).join(' '),
      ...(np.colours.length ? { colour: np.colours.at(-1)!.colour } : {}),
      ...(head.kind === 'shape' ? { shape: head.shape } : {}),
      ...(np.sizes.length ? { size: np.sizes.at(-1)!.size } : {}),
    };
    if (excluded.colour || excluded.shape || excluded.size) state.excluded.push(excluded);
    return [];
  }
  if (head.kind === 'unknown') {
    state.unknown.push(head.text);
    // Scenery after a preposition ("in Tokyo", "near a house") is never drawn.
    if (np.preposition && np.preposition !== 'behind') return [];
  }
  for (const c of np.colours) state.mapped.push(c.word);
  for (const s of np.sizes) state.mapped.push(s.word);
  if (head.kind === 'shape') state.mapped.push(head.word);
  const plural = head.kind !== 'pronoun' && head.plural;
  let count = np.count ?? (plural ? 2 : 1);
  if (count > MAX_OBJECTS) {
    notes.push(`${count} objects were asked for; the model learned scenes of at most ${MAX_OBJECTS}, so ${MAX_OBJECTS} are drawn.`);
    count = MAX_OBJECTS;
  }
  if (count < 1) return [];
  const draft = (): Draft => ({
    colour: np.colours.at(-1)?.colour,
    shape: head.kind === 'shape' ? head.shape : undefined,
    size: np.sizes.at(-1)?.size,
    motion: {},
    standsFor: head.kind === 'unknown' ? head.text : undefined,
    occluder: np.preposition === 'behind',
    fillable: count > 1 && !np.colours.length,
    generic: head.kind === 'thing',
    pronoun: head.kind === 'pronoun',
    group,
  });
  const drafts = Array.from({ length: count }, draft);
  if (head.kind === 'unknown' && !described) drafts.forEach((d) => (d.standsFor = `?${head.text}`)); // kept only if it moves
  state.drafts.push(...drafts);
  return drafts;
}

/** "a red blue ball", "a tiny huge star": one object cannot be both, so the last word is kept, and said. */
function noteContradictions(np: NounPhrase, notes: string[]): void {
  const colours = [...new Set(np.colours.map((c) => c.colour))];
  if (colours.length > 1) {
    notes.push(`One object was called ${np.colours.map((c) => c.word.text).join(' and ')}; it can have one colour, so ${colours.at(-1)} (the last named) is kept.`);
  }
  const sizes = [...new Set(np.sizes.map((s) => s.size))];
  if (sizes.length > 1) {
    notes.push(`One object was called ${np.sizes.map((s) => s.word.text).join(' and ')}; it can have one size, so ${sizes.at(-1)} (the last named) is kept.`);
  }
}

/** "two balls, a red one and a blue one": the later phrases describe the counted objects. */
function fillCountedObjects(drafts: Draft[]): Draft[] {
  const out: Draft[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    out.push(d);
    if (!d.fillable || (i > 0 && drafts[i - 1].group === d.group)) continue;
    const members = drafts.filter((x) => x.group === d.group);
    let k = i + members.length;
    let filled = 0;
    while (filled < members.length && k < drafts.length && (drafts[k].pronoun || members[0].generic) && !drafts[k].fillable) {
      const member = members[filled];
      const detail = drafts[k];
      member.colour = detail.colour ?? member.colour;
      member.shape = detail.shape ?? member.shape;
      member.size = detail.size ?? member.size;
      if (resolveMotion(detail.motion).stated) member.motion = detail.motion;
      detail.group = -1; // absorbed
      filled++;
      k++;
    }
  }
  return out.filter((d) => d.group !== -1);
}

/** An object named after "behind" and then described again is one object (captions.py's occlusion). */
function mergeOccluders(drafts: Draft[]): { drafts: Draft[]; occlusion: boolean } {
  let occlusion = false;
  const out = [...drafts];
  for (const occluder of drafts.filter((d) => d.occluder)) {
    const again = out.find((d) => d !== occluder && !d.occluder && d.colour === occluder.colour && d.shape === occluder.shape && out.indexOf(d) > out.indexOf(occluder));
    if (again) {
      again.size ??= occluder.size;
      out.splice(out.indexOf(occluder), 1);
      out.splice(out.indexOf(again), 1);
      out.splice(1, 0, again); // the object passed behind is the second (world.py: object 0 passes behind object 1)
    } else if (out.indexOf(occluder) !== 1 && out.length >= 2) {
      out.splice(out.indexOf(occluder), 1);
      out.splice(1, 0, occluder);
    }
    occlusion = out.length >= 2;
  }
  return { drafts: out, occlusion };
}

function finish(prompt: string, state: State, notes: string[], ruledOut: readonly Excluded[], options: ParseOptions): Parse {
  // Unknown nouns with nothing known about them and no motion stay unknown; the rest are stand-ins.
  let drafts = state.drafts.filter((d) => {
    const moves = d.motion.motion !== undefined || d.motion.direction !== undefined || !!d.motion.still;
    // "something", "a thing" with no colour, size or motion asks for nothing in particular.
    if (d.generic && !d.fillable && !d.colour && !d.size && !moves) return false;
    if (!d.standsFor?.startsWith('?')) return true;
    if (moves) d.standsFor = d.standsFor.slice(1);
    return moves;
  });
  drafts = fillCountedObjects(drafts);
  const occluded = mergeOccluders(drafts);
  drafts = occluded.drafts;
  if (drafts.length > MAX_OBJECTS && !options.everyObject) {
    notes.push(`${drafts.length} objects were named; the model learned scenes of at most ${MAX_OBJECTS}, so the first ${MAX_OBJECTS} are drawn.`);
    drafts = drafts.slice(0, MAX_OBJECTS);
  }
  for (const word of state.mapped) {
    const target = mappedWord(word);
    if (target && !notes.includes(`${word.text} → ${target}`)) notes.push(`${word.text} → ${target}`);
  }
  const cameraStated = state.camera !== undefined;
  const camera = state.camera ?? 'static';
  const backgroundStated = state.background !== undefined;
  const objects = resolveObjects(drafts, state.background, [...state.excluded, ...ruledOut], notes);
  const background = state.background ?? defaultBackground(objects, camera);
  for (const o of objects.filter((o) => o.standsFor)) {
    notes.push(`Kinora cannot draw "${o.standsFor}"; a ${o.colour} ${o.shape} stands in for it.`);
  }
  const standIns = new Set(objects.map((o) => o.standsFor));
  const unknown = [...new Set(state.unknown)];
  const notDrawn = unknown.filter((u) => !standIns.has(u));
  if (notDrawn.length) notes.push(`Kinora cannot draw ${notDrawn.map((u) => `"${u}"`).join(', ')}: its world has only coloured shapes.`);
  const scene: Scene = {
    objects: objects.map(({ colour, shape, size, motion, speed }) => ({ colour, shape, size, motion, speed })),
    background,
    camera,
    occlusion: occluded.occlusion && objects.length >= 2,
  };
  if (objects.length) for (const n of untrainedCompositions(scene)) notes.push(`Never seen in training: ${n}.`);
  for (const c of state.unattached) notes.push(`"${c.word.text}" belongs to no object or background, so it was left out.`);
  const empty = objects.length === 0;
  if (empty) notes.push(emptyReason(prompt, backgroundStated ? background : undefined));
  return {
    prompt, scene, objects, backgroundStated, cameraStated, unknown, ignored: [...new Set(state.ignored)],
    excluded: state.excluded, unattachedColours: state.unattached.map((c) => c.colour), notes, empty,
  };
}

/**
 * Why there is nothing to draw. A prompt that names only a background ("a night sky") is told what
 * is missing: the model learned every scene with at least one object on its background.
 */
function emptyReason(prompt: string, background: Background | undefined): string {
  if (!prompt.trim()) return 'The prompt is empty.';
  if (background) {
    const named = background.kind === 'plain' ? `a ${background.colour} background` : describeBackground(background);
    return `The prompt names a background (${named}) but no object to draw on it; Kinora draws one to three coloured shapes over a background. Add one, like “a white star drifts left”.`;
  }
  return 'Nothing in the prompt is something Kinora can draw.';
}

function mappedWord(word: Word): string | undefined {
  const c = word.concept;
  const target = c.kind === 'colour' ? c.colour : c.kind === 'shape' ? c.shape : c.kind === 'size' ? c.size
    : c.kind === 'speed' ? c.speed : c.kind === 'motion' ? MOTION_NAMES[c.motion] : c.kind === 'travel' ? 'move' : undefined;
  if (!target || word.source === 'core') return word.source === 'core' && CORE_RENAMES.has(word.text) && target ? target : undefined;
  return target;
}

/** Core words that are not the training captions' own, so the person is told how they were read. */
const CORE_RENAMES = new Set(['orb', 'sphere', 'cube', 'pyramid', 'disk']);
const MOTION_NAMES: Record<Motion, string> = {
  left: 'move left', right: 'move right', up: 'rise', down: 'sink', bounce: 'bounce', fall: 'fall', rotate: 'spin',
  grow: 'grow', shrink: 'shrink', orbit: 'circle around', still: 'stay still',
};

function resolveObjects(drafts: Draft[], background: Background | undefined, excluded: readonly Excluded[], notes: string[]): ParsedObject[] {
  // A default colour is one no other object has, not the background's, and not one the prompt ruled out.
  const ruledOutColours = new Set(excluded.map((e) => e.colour).filter(Boolean));
  const ruledOutShapes = new Set(excluded.map((e) => e.shape).filter(Boolean));
  const taken = new Set([...drafts.map((d) => d.colour), ...ruledOutColours].filter(Boolean));
  const backgroundColours = background?.kind === 'plain' ? [background.colour] : background?.kind === 'gradient' ? [background.top, background.bottom] : [];
  // Every colour (or shape) ruled out leaves nothing to choose: an object still needs one, so the
  // default ignores what was ruled out, and the person is told rather than left to wonder.
  const everyColourRuledOut = COLOURS.every((c) => ruledOutColours.has(c));
  const everyShapeRuledOut = SHAPES.every((s) => ruledOutShapes.has(s));
  if (everyColourRuledOut && drafts.some((d) => !d.colour)) notes.push('Every colour was left out, but an object needs one, so the usual default colour is used.');
  if (everyShapeRuledOut && drafts.some((d) => !d.shape)) notes.push('Every shape was left out, but an object needs one, so it is a circle.');
  return drafts.map((d) => {
    const motion = resolveMotion(d.motion);
    let colour = d.colour;
    if (!colour) {
      const free = (c: Colour) => !backgroundColours.includes(c) && !drafts.some((x) => x.colour === c);
      colour = (everyColourRuledOut ? DEFAULT_COLOURS.find(free) : DEFAULT_COLOURS.find((c) => !taken.has(c) && !backgroundColours.includes(c))) ?? 'red';
      taken.add(colour);
    }
    const shape = d.shape ?? (everyShapeRuledOut ? 'circle' : SHAPES.find((s) => !ruledOutShapes.has(s)) ?? 'circle');
    const speed = d.motion.speed ?? d.motion.speedFromVerb;
    return {
      colour, shape, size: d.size ?? 'medium', motion: motion.motion, speed: speed ?? 'slowly',
      stated: { colour: !!d.colour, shape: !!d.shape, size: !!d.size, motion: motion.stated, speed: !!speed },
      ...(d.standsFor ? { standsFor: d.standsFor } : {}),
    };
  });
}

function resolveMotion(m: MotionDraft): { motion: Motion; stated: boolean } {
  if (m.motion) return { motion: m.motion, stated: true };
  if (m.direction) return { motion: m.direction, stated: true };
  if (m.still) return { motion: 'still', stated: true };
  // A verb of moving with no direction ("rolls across"): the world's objects go somewhere, so right.
  return { motion: m.travel ? 'right' : 'still', stated: false };
}

function defaultBackground(objects: readonly ParsedObject[], camera: Camera): Background {
  // The world moves the camera only over the day and night skies, where the motion is visible.
  if (camera !== 'static') return objects.some((o) => o.colour === 'black') ? { kind: 'day' } : { kind: 'night' };
  const colour = DEFAULT_BACKGROUND_COLOURS.find((c) => !objects.some((o) => o.colour === c)) ?? COLOURS.find((c) => !objects.some((o) => o.colour === c))!;
  return { kind: 'plain', colour };
}

export function describeBackground(b: Background): string {
  return b.kind === 'plain' ? `${b.colour}` : b.kind === 'gradient' ? `a gradient from ${b.top} to ${b.bottom}` : b.kind === 'day' ? 'a day sky over grass' : 'a night sky';
}
