// Parse accuracy on the 300+ prompt corpus, per attribute, at the aim of issue 14 (≥ 97 % on
// colour, shape, motion, count, background and camera). Size, speed and unknown nouns are
// measured and reported in docs/recaption.md, not held to the aim.
import { describe, expect, it } from 'vitest';
import { loadCorpus, measure, percent, type Measure } from './recaption-accuracy';

const AIM = 97;
const HELD_TO_AIM: Measure[] = ['colour', 'shape', 'motion', 'count', 'background', 'camera'];

describe('recaption corpus', () => {
  const corpus = loadCorpus();
  const accuracy = measure(corpus);

  it('holds at least 300 prompts of every kind the issue asks for', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const prompts = corpus.map((e) => e.prompt);
    expect(prompts.filter((p) => p.length > 80).length).toBeGreaterThan(20); // long
    expect(prompts.filter((p) => p.split(' ').length <= 3).length).toBeGreaterThan(5); // short
    expect(prompts.filter((p) => /[A-Z]{3,}/.test(p)).length).toBeGreaterThan(10); // upper case
    expect(prompts.filter((p) => /\p{Extended_Pictographic}/u.test(p)).length).toBeGreaterThan(10); // emoji
    expect(prompts.filter((p) => /\b(pls|4k|cinematic|please)\b/i.test(p)).length).toBeGreaterThan(10); // filler
    expect(corpus.filter((e) => e.objects.length >= 2).length).toBeGreaterThan(50); // several objects
    expect(corpus.filter((e) => e.unknown.length > 0).length).toBeGreaterThan(20); // unknown nouns
    expect(corpus.filter((e) => e.source === 'hand').length).toBeGreaterThan(100);
  });

  for (const m of HELD_TO_AIM) {
    it(`parses ${m} right on at least ${AIM} % of the corpus`, () => {
      const misses = accuracy.misses.filter((x) => x.measure === m).map((x) => `${x.prompt} — want ${JSON.stringify(x.expected)}, got ${JSON.stringify(x.got)}`);
      expect(percent(accuracy.tally[m]), misses.join('\n')).toBeGreaterThanOrEqual(AIM);
    });
  }

  it('names the unknown nouns of the prompts that have them', () => {
    expect(percent(accuracy.tally['unknown nouns'])).toBeGreaterThanOrEqual(90);
  });
});
