// The browser tokenizer follows the training rules: case, punctuation, unknown words and length.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Tokenizer, normaliseWords } from '../../src/model/tokenizer';

const vocab = ['[pad]', 'a', 'ball', 'bounces', 'red', 'left', 'the', 'to'];

describe('Tokenizer', () => {
  const tok = new Tokenizer(vocab, 6);

  it('lowercases, splits on anything outside [a-z0-9] and maps words to line numbers', () => {
    expect(normaliseWords('A  red-BALL, bounces!')).toEqual(['a', 'red', 'ball', 'bounces']);
    expect([...tok.encode('A  red-BALL, bounces!').ids]).toEqual([1, 4, 2, 3, 0, 0]);
  });

  it('drops unknown words and reports each once', () => {
    const r = tok.encode('the shiny red ball, shiny!');
    expect(r.known).toEqual(['the', 'red', 'ball']);
    expect(r.unknown).toEqual(['shiny']);
    expect([...r.ids]).toEqual([6, 4, 2, 0, 0, 0]);
  });

  it('keeps at most maxTokens ids and says what it cut', () => {
    const r = tok.encode('a red ball bounces to the left');
    expect(r.ids.length).toBe(6);
    expect(r.known).toEqual(['a', 'red', 'ball', 'bounces', 'to', 'the']);
    expect(r.truncated).toEqual(['left']);
  });

  it('never maps the word "pad" or an empty prompt to anything but padding', () => {
    expect([...tok.encode('[pad]').ids]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...tok.encode('   ').ids]).toEqual([...tok.emptyPrompt()]);
  });

  it('refuses a vocabulary without [pad] first', () => {
    expect(() => new Tokenizer(['a', '[pad]'], 4)).toThrow(/\[pad\]/);
  });

  it('knows every word of a plain training-style caption with the real vocabulary', () => {
    const words = readFileSync('models/kinora/vocab.txt', 'utf8').split('\n').filter(Boolean);
    const real = new Tokenizer(words, 64);
    expect(real.encode('A RED ball bounces.').unknown).toEqual([]);
  });
});
