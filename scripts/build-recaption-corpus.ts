// Writes tests/fixtures/recaption-corpus.json: prompts as people type them, each with the scene it
// means, to measure the recaptioner's parse accuracy (tests/unit/recaption-corpus.test.ts).
//
//   node scripts/run-ts.mjs scripts/build-recaption-corpus.ts
//
// Three sources: the 51 prompts of the free-phrasing suite (tests/fixtures/recaption-free-suite.json,
// dumped from models/kinora/free_suite.py), prompts written by hand below, and prompts from templates
// below whose wording is unlike captions.py's, with seeded noise: upper case, one-letter typos,
// emoji, filler ("pls", "4k, cinematic"). The labels are what a person means, written before the
// parser was measured on them; an attribute the prompt does not say is left out (and the parser must
// not claim it), a background that is not said is null and an unsaid camera is "static".
import { readFileSync, writeFileSync } from 'node:fs';
import { mulberry32 } from './seeded-random';

export interface CorpusObject {
  colour?: string;
  shape?: string;
  size?: string;
  motion?: string;
  speed?: string;
}

export interface CorpusEntry {
  prompt: string;
  source: 'free-suite' | 'hand' | 'template';
  objects: CorpusObject[];
  background: Record<string, string> | null;
  camera: string;
  /** Nouns the world cannot draw that the prompt names (lower case). */
  unknown: string[];
}

type Obj = CorpusObject;
const o = (colour?: string, shape?: string, motion?: string, size?: string, speed?: string): Obj =>
  Object.fromEntries(Object.entries({ colour, shape, motion, size, speed }).filter(([, v]) => v !== undefined));
const plain = (colour: string) => ({ kind: 'plain', colour });
const gradient = (top: string, bottom: string) => ({ kind: 'gradient', top, bottom });
const DAY = { kind: 'day' };
const NIGHT = { kind: 'night' };

type Hand = [prompt: string, objects: Obj[], background?: Record<string, string> | null, camera?: string, unknown?: string[]];

const HAND: Hand[] = [
  ['a yellow star climbs towards the top', [o('yellow', 'star', 'up')]],
  ['a crimson orb hops across a meadow, the camera slowly pans left', [o('red', 'circle', 'bounce')], DAY, 'pan_left'],
  ['two red balls', [o('red', 'circle'), o('red', 'circle')]],
  ['two red balls bouncing', [o('red', 'circle', 'bounce'), o('red', 'circle', 'bounce')]],
  ['a pair of blue cubes spinning', [o('blue', 'square', 'rotate'), o('blue', 'square', 'rotate')]],
  ['three green triangles falling', [o('green', 'triangle', 'fall'), o('green', 'triangle', 'fall')].concat([o('green', 'triangle', 'fall')])],
  ['navy square drifting to the right', [o('blue', 'square', 'right')]],
  ['a scarlet diamond plummets', [o('red', 'diamond', 'fall')]],
  ['an orb that glides left', [o(undefined, 'circle', 'left')]],
  ['a cube ascending slowly', [o(undefined, 'square', 'up', undefined, 'slowly')]],
  ['pink star twirling', [o('pink', 'star', 'rotate')]],
  ['a dog running on the beach', [], null, 'static', ['dog', 'beach']],
  ['a woman walking in Tokyo in the rain', [], null, 'static', ['woman', 'tokyo', 'rain']],
  ['a red ball and a dog', [o('red', 'circle')], null, 'static', ['dog']],
  ['a cat watching a blue ball roll to the left', [o('blue', 'circle', 'left')], null, 'static', ['cat']],
  ['', []],
  ['hello', []],
  ['make me something cool', []],
  ['A BIG ORANGE BALL BOUNCING', [o('orange', 'circle', 'bounce', 'large')]],
  ['tiny white dot zipping left', [o('white', 'circle', 'left', 'small', 'quickly')], null],
  ['a huge purple diamond slowly rotating on a black background', [o('purple', 'diamond', 'rotate', 'large', 'slowly')], plain('black')],
  ['green box sinking on a gradient from yellow to pink', [o('green', 'square', 'down')], gradient('yellow', 'pink')],
  ['a grey triangle sitting still at night', [o('gray', 'triangle', 'still')], NIGHT],
  ['under the stars a white star grows', [o('white', 'star', 'grow')], NIGHT],
  ['a red square shrinking on a sunny day', [o('red', 'square', 'shrink')], DAY],
  ['black star orbiting the center on a white backdrop', [o('black', 'star', 'orbit')], plain('white')],
  ['a blue ball moves left and a yellow square moves right', [o('blue', 'circle', 'left'), o('yellow', 'square', 'right')]],
  ['a red star, a green ball and a blue box, all bouncing', [o('red', 'star', 'bounce'), o('green', 'circle', 'bounce'), o('blue', 'square', 'bounce')]],
  ['zoom in on a spinning orange star at night', [o('orange', 'star', 'rotate')], NIGHT, 'zoom_in'],
  ['camera zooms out from a small pink ball in a grassy field', [o('pink', 'circle', undefined, 'small')], DAY, 'zoom_out'],
  ['a purple triangle moves up quickly, camera pans right', [o('purple', 'triangle', 'up', undefined, 'quickly')], null, 'pan_right'],
  ['pls make a red ball go up 4k, cinematic', [o('red', 'circle', 'up')]],
  ['🔴 red ball bouncing 🏀', [o('red', 'circle', 'bounce')]],
  ['<b>a blue star</b> spinning', [o('blue', 'star', 'rotate')]],
  ['a yellow triangle that does not move', [o('yellow', 'triangle', 'still')]],
  ["an orange box that doesn't move at all", [o('orange', 'square', 'still')]],
  ['a violet rhombus hopping up and down', [o('purple', 'diamond', 'bounce')]],
  ['a magenta ball getting bigger', [o('pink', 'circle', 'grow')]],
  ['an emerald star getting smaller and smaller', [o('green', 'star', 'shrink')]],
  ['a golden diamond rising into the sky', [o('yellow', 'diamond', 'up')], DAY],
  ['a silver ball falling to the ground', [o('white', 'circle', 'fall')]],
  ['a charcoal cube sliding right', [o('black', 'square', 'right')]],
  ['I would like to see a small green star moving in a circle please', [o('green', 'star', 'orbit', 'small')]],
  ['could you show me a large red triangle descending slowly on a blue background?', [o('red', 'triangle', 'down', 'large', 'slowly')], plain('blue')],
  ['yellow ball, blue background', [o('yellow', 'circle')], plain('blue')],
  ['a white square on black', [o('white', 'square')], plain('black')],
  ['red circle on a white to black gradient', [o('red', 'circle')], gradient('white', 'black')],
  ['two stars spinning at night, one yellow and one pink', [o('yellow', 'star', 'rotate'), o('pink', 'star', 'rotate')], NIGHT],
  ['a ball', [o(undefined, 'circle')]],
  ['something blue moving right', [o('blue', undefined, 'right')]],
  ['a blue thing spinning', [o('blue', undefined, 'rotate')]],
  ['a pink triangle bouncing while the camera pans left', [o('pink', 'triangle', 'bounce')], null, 'pan_left'],
  ['a little gray box tumbling down', [o('gray', 'square', 'fall', 'small')]],
  ['big black diamond soaring upwards', [o('black', 'diamond', 'up', 'large')]],
  ['the orange star leaps', [o('orange', 'star', 'bounce')]],
  ['a red ball swells', [o('red', 'circle', 'grow')]],
  ['a purple ball expanding', [o('purple', 'circle', 'grow')]],
  ['a yellow square dwindles', [o('yellow', 'square', 'shrink')]],
  ['green orb revolving around the middle', [o('green', 'circle', 'orbit')]],
  ['a white triangle whirling', [o('white', 'triangle', 'rotate')]],
  ['a pink diamond gliding gently to the left', [o('pink', 'diamond', 'left', undefined, 'slowly')]],
  ['a blue triangle racing to the right', [o('blue', 'triangle', 'right', undefined, 'quickly')]],
  ['a red box creeping left', [o('red', 'square', 'left', undefined, 'slowly')]],
  ['a small orange ball swiftly moving upward', [o('orange', 'circle', 'up', 'small', 'quickly')]],
  ['five blue balls', [o('blue', 'circle'), o('blue', 'circle'), o('blue', 'circle')]],
  ['2 yellow stars falling', [o('yellow', 'star', 'fall'), o('yellow', 'star', 'fall')]],
  ['a couple of white boxes sliding left', [o('white', 'square', 'left'), o('white', 'square', 'left')]],
  ['one red star', [o('red', 'star')]],
  ['a red star and two blue balls', [o('red', 'star'), o('blue', 'circle'), o('blue', 'circle')]],
  ['a green ball on a sunny day while the camera zooms in', [o('green', 'circle')], DAY, 'zoom_in'],
  ['a black ball under a starry sky, camera pulling back', [o('black', 'circle')], NIGHT, 'zoom_out'],
  ['an orange triangle on the grass, pan right', [o('orange', 'triangle')], DAY, 'pan_right'],
  ['static camera, a white ball bounces on a gray background', [o('white', 'circle', 'bounce')], plain('gray'), 'static'],
  ['the camera stays still while a pink star falls', [o('pink', 'star', 'fall')], null, 'static'],
  ['a red ball moves right behind a big blue box', [o('red', 'circle', 'right'), o('blue', 'square', undefined, 'large')]],
  ['red ball bounce', [o('red', 'circle', 'bounce')]],
  ['blue square rotate slow', [o('blue', 'square', 'rotate', undefined, 'slowly')]],
  ['yelow star moving left', [o('yellow', 'star', 'left')]],
  ['a purpel ball spinning', [o('purple', 'circle', 'rotate')]],
  ['a red traingle falling', [o('red', 'triangle', 'fall')]],
  ['a green diamnd bouncing', [o('green', 'diamond', 'bounce')]],
  ['an orange sqaure moving up', [o('orange', 'square', 'up')]],
  ['a blue circle shrinkng', [o('blue', 'circle', 'shrink')]],
  ['a robot dancing on a red background', [], plain('red'), 'static', ['robot']],
  ['a red car driving left', [o('red', undefined, 'left')], null, 'static', ['car']],
  ['a yellow duck floating on a pond', [o('yellow')], null, 'static', ['duck', 'pond']],
  ['the sun rising over the sea', [], null, 'static', ['sun', 'sea']],
  ['a tree in the wind', [], null, 'static', ['tree', 'wind']],
  ['a blue balloon floating up', [o('blue', undefined, 'up')], null, 'static', ['balloon']],
  ['a happy little star bouncing around in the night sky', [o(undefined, 'star', 'bounce', 'small')], NIGHT],
  ['Hey Kinora! Could you make a video where a red triangle spins really fast? Thanks!', [o('red', 'triangle', 'rotate', undefined, 'quickly')]],
  ['ok so basically i want a purple star, medium size, going down slowly on a yellow background', [o('purple', 'star', 'down', 'medium', 'slowly')], plain('yellow')],
  ['A tiny gray diamond. It rises. The background is pink.', [o('gray', 'diamond', 'up', 'small')], plain('pink')],
  ['a red ball moving to the left and then a blue triangle moving to the right, on a white background, camera static', [o('red', 'circle', 'left'), o('blue', 'triangle', 'right')], plain('white'), 'static'],
  ['a big green star and a small pink ball, both spinning', [o('green', 'star', 'rotate', 'large'), o('pink', 'circle', 'rotate', 'small')]],
  ['one yellow box goes up while a red box goes down', [o('yellow', 'square', 'up'), o('red', 'square', 'down')]],
  ['a blue star falls, a white ball bounces and an orange diamond grows', [o('blue', 'star', 'fall'), o('white', 'circle', 'bounce'), o('orange', 'diamond', 'grow')]],
  ['sparkly pink star spinning in the dark night sky', [o('pink', 'star', 'rotate')], NIGHT],
  ['a red ball, no camera movement', [o('red', 'circle')], null, 'static'],
  ['a white orb hovering', [o('white', 'circle', 'still')]],
  ['a white ball staying put', [o('white', 'circle', 'still')]],
  ['a motionless black square on a yellow backdrop', [o('black', 'square', 'still')], plain('yellow')],
  ['an azure star drifting left at night', [o('blue', 'star', 'left')], NIGHT],
  ['a lavender ball rolling right', [o('purple', 'circle', 'right')]],
  ['a turquoise box spinning', [o('green', 'square', 'rotate')]],
  ['a maroon triangle moving down', [o('red', 'triangle', 'down')]],
  ['a lime green ball bouncing', [o('green', 'circle', 'bounce')]],
  ['an indigo diamond orbiting', [o('purple', 'diamond', 'orbit')]],
  ['a tan star', [o('orange', 'star')]],
  ['a gray sphere sinking slowly over a gradient from blue to purple', [o('gray', 'circle', 'down', undefined, 'slowly')], gradient('blue', 'purple')],
  ['a pyramid falling', [o(undefined, 'triangle', 'fall')]],
  ['a red block rising fast on a white background', [o('red', 'square', 'up', undefined, 'quickly')], plain('white')],
  ['a big pink ball in the middle going round and round', [o('pink', 'circle', 'orbit', 'large')]],
  // Issue 24's phrasings outside the corpus: colour names far from the basic ones, distributive
  // phrases, motion verbs a camera could also do, contradictions, stray numbers.
  ['an ivory star falling', [o('white', 'star', 'fall')]],
  ['a beige square', [o('white', 'square')]],
  ['a chartreuse ball bouncing', [o('green', 'circle', 'bounce')]],
  ['an olive triangle spinning', [o('green', 'triangle', 'rotate')]],
  ['a teal diamond rising', [o('green', 'diamond', 'up')]],
  ['a navy circle moving left', [o('blue', 'circle', 'left')]],
  ['a salmon star', [o('pink', 'star')]],
  ['a magenta cube shrinking', [o('pink', 'square', 'shrink')]],
  ['a khaki ball', [o('orange', 'circle')]],
  ['a mint triangle growing', [o('green', 'triangle', 'grow')]],
  ['two balls, one bounces and the other spins', [o(undefined, 'circle', 'bounce'), o(undefined, 'circle', 'rotate')]],
  ['a red ball and a blue square, one rises while the other falls', [o('red', 'circle', 'up'), o('blue', 'square', 'fall')]],
  ['a yellow star and a green star. The first grows, the second shrinks.', [o('yellow', 'star', 'grow'), o('green', 'star', 'shrink')]],
  ['a white ball and a black ball; one moves left, the other one moves right', [o('white', 'circle', 'left'), o('black', 'circle', 'right')]],
  ['a red ball zooms to the left', [o('red', 'circle', 'left', undefined, 'quickly')]],
  ['a blue star pans right across the screen', [o('blue', 'star', 'right')]],
  ['a purple square sweeps across to the right', [o('purple', 'square', 'right')]],
  ['a green ball, the camera zooms in', [o('green', 'circle')], null, 'zoom_in'],
  ['a red blue ball', [o('blue', 'circle')]],
  ['a tiny huge star', [o(undefined, 'star', undefined, 'large')]],
  ['{{7*7}} pink balls', [o('pink', 'circle'), o('pink', 'circle')]],
  ['a red ball 9.9', [o('red', 'circle')]],
];

// ------------------------------------------------------------------------------------------------
// Templates: the words a person might use for each value (not the caption generator's phrasings).

const COLOUR_SAYINGS: Record<string, string[]> = {
  red: ['red', 'crimson', 'scarlet', 'ruby'], orange: ['orange', 'tangerine'], yellow: ['yellow', 'golden', 'lemon'],
  green: ['green', 'emerald', 'jade'], blue: ['blue', 'navy', 'azure', 'sapphire'], purple: ['purple', 'violet', 'indigo'],
  pink: ['pink', 'magenta', 'rose'], white: ['white', 'ivory'], black: ['black', 'jet black', 'ebony'], gray: ['gray', 'grey', 'silver grey'],
};
const SHAPE_SAYINGS: Record<string, [singular: string, plural: string][]> = {
  circle: [['ball', 'balls'], ['orb', 'orbs'], ['sphere', 'spheres'], ['dot', 'dots'], ['circle', 'circles']],
  square: [['cube', 'cubes'], ['box', 'boxes'], ['block', 'blocks'], ['square', 'squares']],
  triangle: [['triangle', 'triangles'], ['pyramid', 'pyramids']],
  star: [['star', 'stars']],
  diamond: [['diamond', 'diamonds'], ['rhombus', 'rhombuses']],
};
const SIZE_SAYINGS: Record<string, string[]> = { small: ['tiny', 'small', 'little', 'teeny'], large: ['big', 'huge', 'giant', 'large', 'massive'] };
// [third person, gerund] for each motion.
const MOTION_SAYINGS: Record<string, [string, string][]> = {
  left: [['drifts to the left', 'drifting to the left'], ['glides left', 'gliding left'], ['rolls left', 'rolling left'], ['heads off to the left', 'heading off to the left']],
  right: [['cruises to the right', 'cruising to the right'], ['slides rightward', 'sliding rightward'], ['travels right', 'traveling right'], ['wanders off to the right', 'wandering off to the right']],
  up: [['climbs', 'climbing'], ['soars upward', 'soaring upward'], ['ascends', 'ascending'], ['floats up to the top', 'floating up to the top']],
  down: [['sinks', 'sinking'], ['descends', 'descending'], ['drifts downward', 'drifting downward'], ['slides down to the bottom', 'sliding down to the bottom']],
  bounce: [['hops', 'hopping'], ['bounces around', 'bouncing around'], ['jumps up and down', 'jumping up and down'], ['bobs up and down', 'bobbing up and down']],
  fall: [['plummets', 'plummeting'], ['drops to the floor', 'dropping to the floor'], ['tumbles down', 'tumbling down'], ['falls over', 'falling over']],
  rotate: [['twirls', 'twirling'], ['spins around', 'spinning around'], ['rotates', 'rotating'], ['whirls', 'whirling']],
  grow: [['gets bigger and bigger', 'getting bigger and bigger'], ['swells up', 'swelling up'], ['expands', 'expanding'], ['grows', 'growing']],
  shrink: [['shrinks away', 'shrinking away'], ['gets smaller', 'getting smaller'], ['dwindles', 'dwindling'], ['shrinks down', 'shrinking down']],
  orbit: [['circles around the middle', 'circling around the middle'], ['orbits the centre', 'orbiting the centre'], ['goes round in circles', 'going round in circles'], ['revolves around the center', 'revolving around the center']],
  still: [['just sits there', 'just sitting there'], ['stays put', 'staying put'], ["doesn't move", 'not moving'], ['stays completely still', 'staying completely still']],
};
const SPEED_SAYINGS: Record<string, string[]> = { slowly: ['slowly', 'very slowly', 'gently', 'leisurely'], quickly: ['quickly', 'fast', 'super fast', 'rapidly', 'swiftly'] };
const SPEEDFUL = new Set(['left', 'right', 'up', 'down', 'rotate']);
type Colours = string[];
const BACKGROUND_SAYINGS: [say: (c: Colours) => string, means: (c: Colours) => Record<string, string>][] = [
  [([a]) => `on a ${a} background`, ([a]) => plain(a)],
  [([a]) => `with a ${a} backdrop`, ([a]) => plain(a)],
  [([a]) => `against ${a}`, ([a]) => plain(a)],
  [([a, b]) => `over a gradient from ${a} to ${b}`, ([a, b]) => gradient(a, b)],
  [([a, b]) => `on a ${a} to ${b} gradient`, ([a, b]) => gradient(a, b)],
  [() => 'in a sunny meadow', () => DAY],
  [() => 'on a bright sunny day', () => DAY],
  [() => 'over green grass under a blue sky', () => DAY],
  [() => 'at night', () => NIGHT],
  [() => 'under the stars', () => NIGHT],
  [() => 'in the night sky', () => NIGHT],
];
const CAMERA_SAYINGS: Record<string, string[]> = {
  pan_left: ['the camera pans left', 'camera panning to the left', 'pan left'],
  pan_right: ['the camera pans to the right', 'camera panning right', 'pan right'],
  zoom_in: ['zoom in', 'the camera slowly zooms in', 'camera pushes in'],
  zoom_out: ['zoom out', 'the camera pulls back', 'camera zooming out'],
};
const UNKNOWN_SAYINGS: [string, string[]][] = [
  ['next to a dog', ['dog']], ['while a woman watches', ['woman']], ['in Tokyo', ['tokyo']], ['in the rain', ['rain']],
  ['beside a tree', ['tree']], ['near a little house', ['house']], ['on a wooden table', ['table']],
];
const FILLERS = ['pls', 'please', '4k, cinematic', 'hd', 'thanks!', 'ultra realistic, 8k', 'lol', 'asap'];
const EMOJI = ['✨', '🔥', '🎬', '😀', '⭐', '🙏'];
const OPENERS = ['', '', 'make ', 'show me ', 'i want ', 'can you make ', 'generate ', 'a video of '];

function templateEntries(count: number): CorpusEntry[] {
  const rand = mulberry32(14);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const colours = Object.keys(COLOUR_SAYINGS);
  const entries: CorpusEntry[] = [];
  for (let i = 0; i < count; i++) {
    const objectCount = pick([1, 1, 1, 2, 2, 3]);
    const groupedCount = objectCount > 1 && rand() < 0.3; // "two red balls bouncing"
    const objects: Obj[] = [];
    const phrases: string[] = [];
    const used = new Set<string>();
    for (let k = 0; k < (groupedCount ? 1 : objectCount); k++) {
      const colour = pick(colours.filter((c) => !used.has(c)));
      used.add(colour);
      const shape = pick(Object.keys(SHAPE_SAYINGS));
      const [singular, plural] = pick(SHAPE_SAYINGS[shape]);
      const size = rand() < 0.35 ? pick(['small', 'large']) : undefined;
      const motion = pick(Object.keys(MOTION_SAYINGS));
      const speed = SPEEDFUL.has(motion) && rand() < 0.4 ? pick(['slowly', 'quickly']) : undefined;
      const [third, gerund] = pick(MOTION_SAYINGS[motion]);
      const adjectives = [size ? pick(SIZE_SAYINGS[size]) : '', pick(COLOUR_SAYINGS[colour])].filter(Boolean).join(' ');
      const speedWord = speed ? ' ' + pick(SPEED_SAYINGS[speed]) : '';
      if (groupedCount) {
        const countWord = objectCount === 2 ? pick(['two', 'a pair of', '2', 'a couple of']) : pick(['three', '3']);
        phrases.push(`${countWord} ${adjectives} ${plural} ${gerund}${speedWord}`);
        for (let n = 0; n < objectCount; n++) objects.push(o(colour, shape, motion, size, speed));
        break;
      }
      const article = /^[aeiou]/.test(adjectives) ? 'an' : 'a';
      phrases.push(rand() < 0.5 ? `${article} ${adjectives} ${singular} that ${third}${speedWord}` : `${article} ${adjectives} ${singular} ${gerund}${speedWord}`);
      objects.push(o(colour, shape, motion, size, speed));
    }
    let prompt = pick(OPENERS) + (phrases.length > 1 ? phrases.slice(0, -1).join(', ') + ' and ' + phrases.at(-1) : phrases[0]);
    let background: Record<string, string> | null = null;
    if (rand() < 0.55) {
      const [say, scene] = pick(BACKGROUND_SAYINGS);
      const free = colours.filter((c) => !used.has(c));
      const bgColours = [pick(free), pick(free)];
      if (bgColours[0] === bgColours[1]) bgColours[1] = free.find((c) => c !== bgColours[0])!;
      prompt += ' ' + say(bgColours);
      background = scene(bgColours);
    }
    let camera = 'static';
    if (rand() < 0.3) {
      camera = pick(Object.keys(CAMERA_SAYINGS));
      prompt += ', ' + pick(CAMERA_SAYINGS[camera]);
    }
    let unknown: string[] = [];
    if (rand() < 0.2) {
      const [say, nouns] = pick(UNKNOWN_SAYINGS);
      prompt += ' ' + say;
      unknown = nouns;
    }
    if (rand() < 0.25) prompt += (rand() < 0.5 ? ', ' : ' ') + pick(FILLERS);
    if (rand() < 0.15) prompt += ' ' + pick(EMOJI);
    if (rand() < 0.15) prompt = prompt.toUpperCase();
    else if (rand() < 0.2) prompt = prompt[0].toUpperCase() + prompt.slice(1);
    if (rand() < 0.2) prompt = withTypo(prompt, rand);
    entries.push({ prompt: prompt.replace(/ +/g, ' ').trim(), source: 'template', objects, background, camera, unknown });
  }
  return entries;
}

/** One letter of one word of four letters or more swapped, dropped, doubled or replaced. */
function withTypo(prompt: string, rand: () => number): string {
  const words = prompt.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[a-zA-Z]{4,}$/.test(w));
  if (candidates.length === 0) return prompt;
  const [word, index] = candidates[Math.floor(rand() * candidates.length)];
  const at = 1 + Math.floor(rand() * (word.length - 2));
  const kind = Math.floor(rand() * 4);
  const typo = kind === 0 ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)
    : kind === 1 ? word.slice(0, at) + word.slice(at + 1)
      : kind === 2 ? word.slice(0, at) + word[at] + word.slice(at)
        : word.slice(0, at) + 'eaiou'.replace(word[at], '')[Math.floor(rand() * 4)] + word.slice(at + 1);
  words[index] = typo;
  return words.join(' ');
}

// free_suite.py gives these prompts a background for contrast in its ceiling renders (a white shape
// needs a dark ground); the prompts themselves name none, so as labels of what they mean it is null.
const FREE_SUITE_CHOSEN_BACKGROUND = new Set([
  'a white triangle getting bigger', 'black diamond circling around the middle', 'can you make a white ball roll to the left please',
  'a white square going round in circles', 'a white star and a black square',
]);

function freeSuiteEntries(): CorpusEntry[] {
  const suite = JSON.parse(readFileSync('tests/fixtures/recaption-free-suite.json', 'utf8')) as {
    prompts: { prompt: string; objects: Record<string, string | null>[]; background: Record<string, string> | null; camera: string }[];
  };
  return suite.prompts.map((p) => ({
    prompt: p.prompt,
    source: 'free-suite',
    // free_suite.py writes the motion of every object, "still" where the prompt says none.
    objects: p.objects.map((ob) => Object.fromEntries(Object.entries(ob).filter(([, v]) => v !== null)) as Obj),
    background: FREE_SUITE_CHOSEN_BACKGROUND.has(p.prompt) ? null : p.background,
    camera: p.camera,
    unknown: [],
  }));
}

export function main(): number {
  const hand: CorpusEntry[] = HAND.map(([prompt, objects, background = null, camera = 'static', unknown = []]) => ({
    prompt, source: 'hand', objects, background, camera, unknown,
  }));
  const corpus = [...freeSuiteEntries(), ...hand, ...templateEntries(180)];
  writeFileSync('tests/fixtures/recaption-corpus.json', JSON.stringify({ entries: corpus }, null, 1) + '\n');
  console.log(`${corpus.length} prompts: ${hand.length} by hand, 51 from the free suite, ${corpus.length - hand.length - 51} from templates`);
  return 0;
}
