// Text as it looks, before the words are read: what other keyboards, chat apps and word processors
// put into text that shows as plain letters would otherwise split or hide words ("re\u200bd" read
// as "re" and "d", "ｒｅｄ" and "rèd" as no word at all).
// - NFKC: full-width and other compatibility forms become the letters they show ("ｒｅｄ" → "red",
//   "ﬁ" → "fi", a no-break space → a space);
// - default-ignorable characters (zero-width spaces and joiners, word joiner, byte-order mark, soft
//   hyphen, bidi controls, variation selectors) are removed, so a word they sit in stays whole;
// - accents are folded where the word is then one the reader knows ("rèd" → "red", "bâll" →
//   "ball"); other words keep theirs ("crème"), so no word is turned into one it never was.

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const WORD = /[\p{L}\p{M}]+/gu;
const MARKS = /\p{M}/gu;

/** `knows(word)`: whether the reader knows the lower-case, unaccented word. */
export function plainText(text: string, knows: (word: string) => boolean): string {
  return text
    .normalize('NFKC')
    .replace(IGNORABLE, '')
    .replace(WORD, (word) => {
      if (/^[a-z]+$/i.test(word)) return word;
      const folded = word.normalize('NFD').replace(MARKS, '');
      return /^[a-z]+$/i.test(folded) && knows(folded.toLowerCase()) ? folded : word;
    });
}
