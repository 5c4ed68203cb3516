// Per-attribute parse accuracy of the recaptioner on the prompt corpus
// (tests/fixtures/recaption-corpus.json, written by scripts/build-recaption-corpus.ts).
// Shared by the corpus test and scripts/recaption-report.ts, which prints the table for docs/recaption.md.
import { readFileSync } from 'node:fs';
import { parse, type Attribute, type Parse } from '../../src/model/recaption/parse';
import type { CorpusEntry } from '../../scripts/build-recaption-corpus';

export const CORPUS_PATH = 'tests/fixtures/recaption-corpus.json';
export const OBJECT_ATTRIBUTES: readonly Attribute[] = ['colour', 'shape', 'size', 'motion', 'speed'];
export type Measure = Attribute | 'count' | 'background' | 'camera' | 'unknown nouns';

export interface Miss {
  measure: Measure;
  prompt: string;
  expected: unknown;
  got: unknown;
}

export interface Accuracy {
  prompts: number;
  /** measure → [right, judged] */
  tally: Record<Measure, [number, number]>;
  misses: Miss[];
}

export function loadCorpus(): CorpusEntry[] {
  return (JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as { entries: CorpusEntry[] }).entries;
}

/**
 * An attribute the prompt states must be parsed to its value; one it does not state must not be
 * claimed (the parser fills a default and marks it unstated). Objects align by order; a missing
 * object misses every attribute.
 */
export function measure(entries: readonly CorpusEntry[], parseOf: (prompt: string) => Parse = parse): Accuracy {
  const measures: Measure[] = [...OBJECT_ATTRIBUTES, 'count', 'background', 'camera', 'unknown nouns'];
  const tally = Object.fromEntries(measures.map((m) => [m, [0, 0]])) as Accuracy['tally'];
  const misses: Miss[] = [];
  const judge = (m: Measure, right: boolean, prompt: string, expected: unknown, got: unknown) => {
    tally[m][1]++;
    if (right) tally[m][0]++;
    else misses.push({ measure: m, prompt, expected, got });
  };
  for (const entry of entries) {
    const result = parseOf(entry.prompt);
    judge('count', result.objects.length === entry.objects.length, entry.prompt, entry.objects.length, result.objects.length);
    entry.objects.forEach((expected, i) => {
      const got = result.objects[i];
      for (const a of OBJECT_ATTRIBUTES) {
        const label = expected[a];
        const right = !!got && (label === undefined ? !got.stated[a] : got[a] === label);
        judge(a, right, entry.prompt, label ?? '(unstated)', got ? (got.stated[a] ? got[a] : '(unstated)') : '(no object)');
      }
    });
    const background = result.backgroundStated ? result.scene.background : null;
    judge('background', JSON.stringify(background) === JSON.stringify(entry.background), entry.prompt, entry.background, background);
    judge('camera', result.scene.camera === entry.camera, entry.prompt, entry.camera, result.scene.camera);
    if (entry.unknown.length) {
      const named = entry.unknown.every((u) => result.unknown.includes(u));
      judge('unknown nouns', named, entry.prompt, entry.unknown, result.unknown);
    }
  }
  return { prompts: entries.length, tally, misses };
}

export function percent([right, judged]: [number, number]): number {
  return judged ? (100 * right) / judged : 100;
}
