// One-letter typos: a word one edit (insert, delete, substitute, or swap of neighbours — the
// optimal-string-alignment distance) from a word the lexicon knows is read as that word, unless
// it is itself a real English word (tables/typo-guard.json, from WordNet): "dog" stays a dog.

/** Whether a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i); // insertion / deletion
}

/** Shortest word considered for correction: two- and three-letter words have too many neighbours. */
const MIN_TYPO_LENGTH = 3;

export class TypoCorrector {
  private readonly byLength = new Map<number, string[]>();

  constructor(
    known: Iterable<string>,
    private readonly realWords: ReadonlySet<string>,
    private readonly meaningOf: (word: string) => string | undefined,
  ) {
    for (const word of known) {
      if (!/^[a-z]+$/.test(word)) continue;
      const list = this.byLength.get(word.length) ?? [];
      if (!list.includes(word)) list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  /** A real word, or a plural or verb form of one ("dogs", "dogged"): WordNet lists lemmas only. */
  private isRealWord(word: string): boolean {
    const stems = [word, word.replace(/s$/, ''), word.replace(/es$/, ''), word.replace(/(ed|ing)$/, ''), word.replace(/(ed|ing)$/, 'e')];
    return stems.some((stem) => stem.length >= MIN_TYPO_LENGTH && this.realWords.has(stem));
  }

  /**
   * The known word `word` is a one-letter typo of, or undefined: when the word is real English,
   * too short, or one edit from words of different meanings (then guessing would be a coin toss).
   */
  correct(word: string): string | undefined {
    if (word.length < MIN_TYPO_LENGTH || this.isRealWord(word)) return undefined;
    // Every reading one edit away counts: a swapped or mistyped letter, a dropped or a doubled one.
    // Taking the same-length ones first read "gras" as gray though grass is as near.
    const candidates = [word.length - 1, word.length, word.length + 1].flatMap((length) =>
      (this.byLength.get(length) ?? []).filter((known) => known.length >= MIN_TYPO_LENGTH && withinOneEdit(word, known)));
    const meanings = new Set(candidates.map((c) => this.meaningOf(c)));
    if (meanings.size !== 1) return undefined; // none, or a coin toss between meanings
    // Forms of one word ("ball", "balls"): a plural only when the typed word ends like one, so
    // "balle" is a ball, not two.
    const plural = word.endsWith('s');
    return candidates.find((c) => c.endsWith('s') === plural) ?? candidates[0];
  }
}
