// The recaptioner's lexicon: the core phrases (concepts.ts, from captions.py) and the generated
// tables (tables/*.json, scripts/build-recaption-tables.ts), merged into one phrase → concept map,
// with longest-phrase matching over a prompt's words.
import colourNames from './tables/colour-names.json';
import inflections from './tables/inflections.json';
import synonyms from './tables/synonyms.json';
import typoGuard from './tables/typo-guard.json';
import { CORE_PHRASES, type ConceptKey } from './concepts';
import { TypoCorrector } from './typos';

/** Where a phrase's meaning comes from: the core (captions.py's own words), WordNet or the colour list. */
export type PhraseSource = 'core' | 'wordnet' | 'colour-list';

export interface PhraseMatch {
  key: ConceptKey;
  source: PhraseSource;
  /** The phrase as the lexicon holds it ("turn around"). */
  phrase: string;
  /** How many words of the prompt it covers. */
  length: number;
}

export class Lexicon {
  private readonly phrases = new Map<string, { key: ConceptKey; source: PhraseSource }>();
  private readonly inflectionOf: ReadonlyMap<string, string> = new Map(Object.entries(inflections as Record<string, string>));
  readonly longestPhrase: number;
  readonly typos: TypoCorrector;

  constructor() {
    for (const [name, colour] of Object.entries(colourNames as Record<string, string>)) {
      this.phrases.set(name, { key: `colour:${colour}`, source: 'colour-list' });
    }
    for (const [key, words] of Object.entries(synonyms as Record<string, string[]>)) {
      for (const word of words) this.phrases.set(word, { key, source: 'wordnet' });
    }
    for (const [phrase, key] of CORE_PHRASES) this.phrases.set(phrase, { key, source: 'core' });
    this.longestPhrase = Math.max(...[...this.phrases.keys()].map((p) => p.split(' ').length));
    const knownForms = [...[...this.phrases.keys()].flatMap((p) => p.split(' ')), ...this.inflectionOf.keys()];
    this.typos = new TypoCorrector(knownForms, new Set(typoGuard as string[]), (w) => this.meaningOfWord(w));
  }

  /** The lemma of an inflected lexicon word ("plummets" → "plummet"), for words compromise leaves alone. */
  lemmaOf(word: string): string {
    return this.inflectionOf.get(word) ?? word;
  }

  knowsWord(word: string): boolean {
    return this.phrases.has(word) || this.inflectionOf.has(word);
  }

  /** A word's concept, or for a word that only appears inside phrases ("round"), the word itself. */
  private meaningOfWord(word: string): string {
    const lemma = this.lemmaOf(word);
    return this.phrases.get(lemma)?.key ?? lemma;
  }

  /**
   * The longest phrase starting at `start`, trying each word's surface form and its lemma
   * ("circling" is a core word by itself; "circles around" only as lemmas "circle around").
   */
  match(surfaces: readonly string[], lemmas: readonly string[], start: number): PhraseMatch | undefined {
    for (let length = Math.min(this.longestPhrase, surfaces.length - start); length > 0; length--) {
      const candidates = new Set([
        surfaces.slice(start, start + length).join(' '),
        lemmas.slice(start, start + length).join(' '),
        // A phrase's last word is often the only inflected one ("gets bigger": get + bigger).
        [...lemmas.slice(start, start + length - 1), surfaces[start + length - 1]].join(' '),
      ]);
      for (const phrase of candidates) {
        const found = this.phrases.get(phrase);
        if (found) return { ...found, phrase, length };
      }
    }
    return undefined;
  }
}

let shared: Lexicon | undefined;

/** One lexicon per thread: building it indexes a few thousand words once. */
export function lexicon(): Lexicon {
  return (shared ??= new Lexicon());
}
