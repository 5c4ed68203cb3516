// A prompt's words, read by compromise (https://github.com/spencermountain/compromise): lemmas
// ("plummets" → "plummet", "balls" → "ball"), parts of speech, numbers ("two", "3") and expanded
// contractions ("doesn't" → "does not"). Before that, text that looks plain is made plain
// (plain-text.ts: full-width letters, zero-width characters, accents), what is not language is set
// aside (markup and emoji become spaces, filler such as "pls" and "4k" is dropped), and one-letter
// typos of words the lexicon knows are corrected ("yelow" → "yellow") unless the word is real English.
import nlp from 'compromise';
import { lexicon } from './lexicon';
import { plainText } from './plain-text';

export interface Term {
  /** Lower case, as typed (after typo correction). */
  surface: string;
  /** compromise's root, else the lexicon's lemma, else the surface. */
  lemma: string;
  tags: ReadonlySet<string>;
  /** Punctuation that ends a clause (",", ".", ";", ":", "!", "?") follows this word. */
  clauseEnd: boolean;
  /** ".", "!" or "?" follows this word. */
  sentenceEnd: boolean;
  /** The value of a number word or numeral. */
  number?: number;
}

export interface ReadText {
  terms: Term[];
  /** "yelow → yellow" */
  typos: { from: string; to: string }[];
  /** The prompt was cut to this many characters. */
  truncatedAt?: number;
  /** Numbers that are not a count of objects ("9.9", "{{7*7}}", "-1"), as typed, left out. */
  strayNumbers: string[];
}

/** A count as people type one: digits alone, perhaps with a bracket, quote or clause mark beside them. */
const COUNT = /^[(["']*\d+[)\]"',;:!?.]*$/;

/**
 * Sets aside what holds digits but is no count ("9.9", "{{7*7}}", "10,000", "3/4", "-1"): read as
 * words, their digits would become counts ("9.9" as 99). Tokens with letters ("4k", "3d") are left
 * to the filler and the word reader.
 */
function setAsideStrayNumbers(text: string): { text: string; stray: string[] } {
  const stray: string[] = [];
  const kept = text.replace(/\S*\d\S*/g, (token) => {
    if (/\p{L}/u.test(token) || COUNT.test(token)) return token;
    stray.push(token);
    return ' ';
  });
  return { text: kept, stray };
}

/**
 * The one limit of every text Kinora reads — a prompt, a storyboard shot, the negative prompt — in
 * the studio, the automation door and the command line alike (request-validation.ts). A person's
 * prompt is a few lines, and parsing stays fast; past it the reader reads only this much.
 */
export const MAX_PROMPT_CHARS = 2000;

/** Words that ask for nothing (quality tags, politeness, chat), dropped before the language is read. */
const FILLER = new Set([
  'pls', 'plz', 'please', 'thanks', 'thank', 'thx', 'ty', 'lol', 'asap', 'ok', 'okay', 'hey', 'hi', 'hello', 'kinora',
  '4k', '8k', '1080p', '720p', 'hd', 'uhd', 'hq', 'cinematic', 'realistic', 'photorealistic', 'ultra', 'detailed',
  'masterpiece', 'trending', 'artstation', 'octane', 'unreal', 'basically', 'like', 'really', 'very', 'super', 'just',
  'so', 'um', 'uh',
]);

/** compromise's own lexicon (word → tag), about 25 000 English words. */
const COMPROMISE_WORDS = (nlp.model() as { one: { lexicon: Record<string, unknown> } }).one.lexicon;

function clean(prompt: string): string {
  return prompt
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ') // markup tags are not words; the text between them is
    .replace(/&/g, ' and ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^a-z0-9' ,.;:!?\n-]+/g, ' ') // emoji, symbols, accents left as word breaks
    .replace(/(^|\s)-+|-+(\s|$)/g, ' ');
}

export function readText(prompt: string): ReadText {
  const lex = lexicon();
  const truncatedAt = prompt.length > MAX_PROMPT_CHARS ? MAX_PROMPT_CHARS : undefined;
  const typos: ReadText['typos'] = [];
  const known = (word: string) => lex.knowsWord(word) || COMPROMISE_WORDS[word] !== undefined;
  const numbers = setAsideStrayNumbers(plainText(prompt.slice(0, MAX_PROMPT_CHARS), known));
  const strayNumbers = [...new Set(numbers.stray)];
  const words = clean(numbers.text).split(/(\s+|[,.;:!?]+)/);
  const kept = words.map((token) => {
    if (!/^[a-z0-9'-]+$/.test(token)) return token;
    if (FILLER.has(token)) return ' ';
    // A word compromise knows ("and", "let") is English as typed, never a typo.
    if (!/^[a-z]+$/.test(token) || lex.knowsWord(token) || COMPROMISE_WORDS[token] !== undefined) return token;
    const fixed = lex.typos.correct(token);
    if (!fixed) return token;
    typos.push({ from: token, to: fixed });
    return fixed;
  });
  const text = kept.join('').replace(/\s+/g, ' ').trim();
  if (!text) return { terms: [], typos, truncatedAt, strayNumbers };
  const doc = nlp(text);
  doc.compute('root');
  const terms: Term[] = [];
  for (const sentence of doc.json({ offset: false }) as { terms: RawTerm[] }[]) {
    for (const raw of sentence.terms) {
      const surface = (raw.implicit ?? raw.normal ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '');
      if (!surface) continue;
      const tags = new Set(raw.tags);
      const gerundOf = tags.has('Noun') ? verbOfGerund(surface) : undefined;
      if (gerundOf) {
        tags.clear();
        ['Verb', 'Gerund'].forEach((t) => tags.add(t));
      }
      terms.push({
        surface,
        lemma: gerundOf ?? raw.root ?? lex.lemmaOf(surface),
        tags,
        clauseEnd: /[,.;:!?]/.test(raw.post ?? ''),
        sentenceEnd: /[.!?]/.test(raw.post ?? ''),
        number: tags.has('Cardinal') ? numberValue(surface) : undefined,
      });
    }
  }
  return { terms, typos, truncatedAt, strayNumbers };
}

interface RawTerm {
  normal?: string;
  implicit?: string;
  root?: string;
  post?: string;
  tags: string[];
}

/**
 * The verb of an "-ing" word compromise tagged as a noun ("a red car driving left": "driving"),
 * when its lexicon knows that verb; people's prompts use such words as verbs far more than as nouns.
 */
function verbOfGerund(word: string): string | undefined {
  if (!word.endsWith('ing') || word.length < 6) return undefined;
  const stem = word.slice(0, -3);
  const candidates = [stem, stem + 'e', stem.at(-1) === stem.at(-2) ? stem.slice(0, -1) : ''];
  return candidates.find((v) => v && COMPROMISE_WORDS[v] === 'Infinitive');
}

function numberValue(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  const [value] = nlp(word).numbers().get() as unknown[];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
