// A prompt's words as a sequence of mentions: noun phrases ("two small red balls", "a dog",
// "a red one"), motion words, background and camera words, and clause breaks. Which object a
// motion belongs to is decided later (parse.ts); here each word is only given its meaning.
import { conceptFromKey, type Concept } from './concepts';
import { lexicon, type PhraseSource } from './lexicon';
import type { Colour, Shape, Size } from './scene';
import type { Term } from './terms';

export interface Word {
  /** The words of the prompt it covers, as typed (lower case). */
  text: string;
  concept: Concept;
  source: PhraseSource;
}

export type NounHead =
  | { kind: 'shape'; shape: Shape; word: Word; plural: boolean }
  | { kind: 'thing'; word: Word; plural: boolean }
  /** "a red one", "one yellow": an object named by its adjectives only. */
  | { kind: 'pronoun' }
  | { kind: 'unknown'; text: string; plural: boolean };

export interface NounPhrase {
  type: 'noun';
  count?: number;
  colours: { colour: Colour; word: Word }[];
  sizes: { size: Size; word: Word }[];
  head: NounHead;
  /** The preposition the phrase follows ("in", "near", "behind"), if any. */
  preposition?: string;
  negated: boolean;
}

/** Colours that did not end up in a noun phrase: a background ("on red"), or a word after its noun. */
export interface LooseColour {
  type: 'loose-colour';
  colour: Colour;
  word: Word;
  preposition?: string;
  negated: boolean;
}

export type Mention =
  | NounPhrase
  | LooseColour
  | { type: 'concept'; word: Word; negated: boolean; /** Inside a noun phrase, before its noun ("a spinning star"). */ prenominal: boolean }
  | { type: 'pronoun' }
  /** "one … the other …", "the first … the second …": one object of those named, by its place. */
  | { type: 'ordinal'; index: number }
  | { type: 'break'; strength: 'and' | 'clause' | 'sentence' }
  | { type: 'ignored'; text: string };

/** Nouns that name no thing to draw and need no note ("video", "the top", "camera movement"). */
const QUIET_NOUNS = new Set([
  'video', 'clip', 'scene', 'animation', 'render', 'image', 'picture', 'movie', 'film', 'frame', 'screen', 'way', 'time',
  'side', 'middle', 'centre', 'center', 'edge', 'corner', 'ground', 'floor', 'place', 'front', 'movement', 'motion',
  'direction', 'speed', 'size', 'colour', 'color', 'style', 'quality', 'lot', 'bit', 'there', 'here', 'all', 'each',
  'other', 'another', 'sec', 'second', 'seconds', 'loop', 'gif', 'version', 'k', 'p', 'b', 'i', 'im', 'pov', 'one',
  // The filler words of the training captions (captions.py FILLER) that compromise may read as nouns.
  'passes', 'pass', 'comes', 'objects', 'shapes', 'showing', 'show', 'render', 'shot', 'want', 'make',
]);
const PREPOSITIONS = new Set([
  'in', 'on', 'at', 'near', 'beside', 'besides', 'next', 'by', 'under', 'over', 'above', 'below', 'behind', 'with', 'from',
  'into', 'onto', 'across', 'along', 'through', 'against', 'around', 'past', 'toward', 'towards', 'to', 'of', 'inside',
  'outside', 'underneath', 'beneath', 'between', 'among', 'upon', 'within', 'off', 'for',
]);
const BREAK_WORDS = new Set(['and', 'while', 'then', 'as', 'but', 'whilst', 'meanwhile']);
const PRONOUNS = new Set(['it', 'they', 'them', 'itself', 'themselves']);
/** Words that pick one object by its place after "the" ("the other spins"); "another" needs no "the". */
const ORDINALS: ReadonlyMap<string, number> = new Map([
  ['first', 0], ['former', 0], ['second', 1], ['other', 1], ['latter', 1], ['third', 2],
]);

interface Builder {
  count?: number;
  one?: boolean;
  colours: NounPhrase['colours'];
  sizes: NounPhrase['sizes'];
  preposition?: string;
}

export function mentionsOf(terms: readonly Term[]): Mention[] {
  const surfaces = terms.map((t) => t.surface);
  const lemmas = terms.map((t) => t.lemma);
  const mentions: Mention[] = [];
  let phrase: Builder = { colours: [], sizes: [] };
  let preposition: string | undefined;
  let negated = false;

  const builderEmpty = () => phrase.count === undefined && phrase.colours.length === 0 && phrase.sizes.length === 0;
  const closeNoun = (head: NounHead) => {
    mentions.push({
      type: 'noun', count: phrase.count, colours: phrase.colours, sizes: phrase.sizes, head,
      preposition: phrase.preposition ?? preposition, negated,
    });
    phrase = { colours: [], sizes: [] };
    preposition = undefined;
    negated = false;
  };
  // Adjectives with no noun after them: "one yellow" names an object; otherwise the colours are loose.
  const flushBuilder = () => {
    if (builderEmpty()) return;
    if (phrase.one && (phrase.colours.length || phrase.sizes.length)) {
      closeNoun({ kind: 'pronoun' });
      return;
    }
    if (phrase.one) {
      // "one bounces": a bare "one" before a verb is the first of the objects named.
      mentions.push({ type: 'ordinal', index: 0 });
      phrase = { colours: [], sizes: [] };
      return;
    }
    for (const { colour, word } of phrase.colours) {
      mentions.push({ type: 'loose-colour', colour, word, preposition: phrase.preposition ?? preposition, negated });
    }
    phrase = { colours: [], sizes: [] };
  };

  for (let i = 0; i < terms.length; ) {
    const term = terms[i];
    const match = matchWithinClause(terms, surfaces, lemmas, i);
    const last = terms[i + (match?.length ?? 1) - 1];
    const nextIsNoun = nounFollows(terms, surfaces, lemmas, i + (match?.length ?? 1));
    if (match) {
      const word: Word = { text: surfaces.slice(i, i + match.length).join(' '), concept: conceptFromKey(match.key), source: match.source };
      const c = word.concept;
      if (c.kind === 'colour') {
        phrase.colours.push({ colour: c.colour, word });
        phrase.preposition ??= preposition;
      } else if (c.kind === 'size') {
        phrase.sizes.push({ size: c.size, word });
      } else if (c.kind === 'count') {
        phrase.count = c.count;
      } else if (c.kind === 'shape' || c.kind === 'thing') {
        const plural = term.tags.has('Plural') || (match.length === 1 && term.surface !== term.lemma && term.surface.endsWith('s'));
        closeNoun(c.kind === 'shape' ? { kind: 'shape', shape: c.shape, word, plural } : { kind: 'thing', word, plural });
      } else if (c.kind === 'negation') {
        flushBuilder();
        negated = true;
      } else if (c.kind === 'position') {
        flushBuilder();
      } else {
        // A motion word between an article or adjective and a noun modifies that noun ("a spinning star").
        const prenominal = nextIsNoun && (!builderEmpty() || isDeterminer(terms[i - 1]));
        if (!prenominal) flushBuilder();
        mentions.push({ type: 'concept', word, negated, prenominal });
        if (!prenominal) preposition = undefined;
        if (c.kind === 'camera' || c.kind === 'background') negated = false;
      }
      i += match.length;
      pushBreaks(mentions, last, () => { flushBuilder(); negated = false; preposition = undefined; });
      continue;
    }
    const ordinal = ordinalAt(terms, surfaces, lemmas, i);
    if (ordinal) {
      flushBuilder();
      mentions.push({ type: 'ordinal', index: ordinal.index });
      const lastTerm = terms[i + ordinal.length - 1];
      i += ordinal.length;
      pushBreaks(mentions, lastTerm, () => { flushBuilder(); negated = false; preposition = undefined; });
      continue;
    }
    if (term.number !== undefined) {
      // "one" before adjectives with no noun after them ("one yellow and one pink") names an object.
      if (term.surface === 'one' && !nextIsNoun && !builderEmpty()) closeNoun({ kind: 'pronoun' });
      else if (term.surface === 'one' && !nextIsNoun) {
        phrase.count = 1;
        phrase.one = true;
      } else phrase.count = term.number;
    } else if (PRONOUNS.has(term.surface)) {
      flushBuilder();
      mentions.push({ type: 'pronoun' });
    } else if (BREAK_WORDS.has(term.surface)) {
      flushBuilder();
      mentions.push({ type: 'break', strength: 'and' });
    } else if (PREPOSITIONS.has(term.surface)) {
      flushBuilder();
      preposition = term.surface;
    } else if (isUnknownNoun(term)) {
      closeNoun({ kind: 'unknown', text: term.surface, plural: term.tags.has('Plural') });
    } else if (isContentWord(term)) {
      mentions.push({ type: 'ignored', text: term.surface });
    }
    i += 1;
    pushBreaks(mentions, term, () => { flushBuilder(); negated = false; preposition = undefined; });
  }
  flushBuilder();
  return mentions;
}

/**
 * "the other", "the second one", "another" at `start` with no noun after it: the words that pick
 * one object by its place, and how many words they take. "the other ball" is a noun phrase instead.
 */
function ordinalAt(terms: readonly Term[], surfaces: readonly string[], lemmas: readonly string[], start: number): { index: number; length: number } | undefined {
  let index: number | undefined;
  let length = 0;
  if (surfaces[start] === 'another') [index, length] = [1, 1];
  else if (surfaces[start] === 'the' && ORDINALS.has(surfaces[start + 1]) && !terms[start].clauseEnd) [index, length] = [ORDINALS.get(surfaces[start + 1])!, 2];
  if (index === undefined) return undefined;
  if (surfaces[start + length] === 'one' && !terms[start + length - 1].clauseEnd) length++; // "the other one"
  if (!terms[start + length - 1].clauseEnd && nounFollows(terms, surfaces, lemmas, start + length)) return undefined;
  return { index, length };
}

/**
 * The lexicon's longest phrase at `start` that does not run past a comma or full stop: in "red,
 * orange, yellow" the colour name "orange yellow" must not swallow two of the colours listed.
 */
function matchWithinClause(terms: readonly Term[], surfaces: readonly string[], lemmas: readonly string[], start: number) {
  let end = start;
  while (end < terms.length - 1 && !terms[end].clauseEnd) end++;
  return lexicon().match(surfaces.slice(0, end + 1), lemmas.slice(0, end + 1), start);
}

/** Whether a noun follows at `start`, past any colour, size or count words ("spinning orange star"). */
function nounFollows(terms: readonly Term[], surfaces: readonly string[], lemmas: readonly string[], start: number): boolean {
  for (let j = start; j < terms.length; ) {
    const match = matchWithinClause(terms, surfaces, lemmas, j);
    if (match && /^(shape|thing)/.test(match.key)) return true;
    if (!match) return isUnknownNoun(terms[j]);
    if (!/^(colour|size|count)/.test(match.key)) return false;
    if (terms[j + match.length - 1].clauseEnd) return false;
    j += match.length;
  }
  return false;
}

function pushBreaks(mentions: Mention[], term: Term, beforeBreak: () => void): void {
  if (!term.clauseEnd) return;
  beforeBreak();
  mentions.push({ type: 'break', strength: term.sentenceEnd ? 'sentence' : 'clause' });
}

function isDeterminer(term: Term | undefined): boolean {
  return !term || term.tags.has('Determiner') || term.tags.has('Possessive') || term.clauseEnd;
}

function isUnknownNoun(term: Term): boolean {
  if (!term.tags.has('Noun') || term.tags.has('Pronoun') || term.tags.has('Value') || term.tags.has('Gerund')) return false;
  if (QUIET_NOUNS.has(term.surface) || QUIET_NOUNS.has(term.lemma) || term.surface.length < 2) return false;
  return !PREPOSITIONS.has(term.surface) && !BREAK_WORDS.has(term.surface);
}

function isContentWord(term: Term): boolean {
  if (QUIET_NOUNS.has(term.surface)) return false;
  if (['Auxiliary', 'Copula', 'Determiner', 'Preposition', 'Conjunction', 'Pronoun', 'Modal', 'QuestionWord', 'Expression'].some((t) => term.tags.has(t))) return false;
  return term.tags.has('Adjective') || term.tags.has('Verb') || term.tags.has('Adverb') || term.tags.has('Noun');
}
