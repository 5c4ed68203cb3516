// Text that looks plain is read as plain: full-width letters, accents and zero-width characters
// inside words (pasted from chat apps, word processors and other keyboards) give the words they show.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/model/recaption';
import { plainText } from '../../src/model/recaption/plain-text';

const drawn = (prompt: string) => parse(prompt).scene.objects.map((o) => `${o.colour} ${o.shape} ${o.motion}`);

describe('reading text that looks plain', () => {
  it('reads full-width letters as the letters they show (NFKC)', () => {
    expect(drawn('ａ ｒｅｄ ｂａｌｌ')).toEqual(['red circle still']);
    expect(drawn('Ａ ＢＬＵＥ ｓｑｕａｒｅ ｂｏｕｎｃｅｓ')).toEqual(['blue square bounce']);
  });

  it('folds accents where the word is then one it knows', () => {
    expect(drawn('a rèd bâll')).toEqual(['red circle still']);
    expect(drawn('a grëen stár spíns')).toEqual(['green star rotate']);
    // Composed from a letter and a combining mark, as some keyboards send it.
    expect(drawn('a re\u0300d ball')).toEqual(['red circle still']);
  });

  it('drops zero-width characters inside words instead of splitting them', () => {
    const reading = parse('a re\u200bd ba\u200bll bo\u200dunces\u2060 and a \ufeffblue\u00ad square');
    expect(reading.scene.objects.map((o) => `${o.colour} ${o.shape} ${o.motion}`)).toEqual(['red circle bounce', 'blue square still']);
    expect(reading.unknown).toEqual([]);
  });

  it('keeps accents on words it would not know folded, and leaves plain text as it is', () => {
    expect(plainText('crème brûlée', () => false)).toBe('crème brûlée');
    expect(plainText('café crème', (w) => w === 'cafe')).toBe('cafe crème');
    expect(plainText('a red ball, 2 stars!', () => true)).toBe('a red ball, 2 stars!');
  });
});
