// models/kinora/free_suite_captions.json is what models/eval.py feeds the model for the free-phrasing
// suite; it must be what the site's recaption step makes of those prompts today.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { freeSuiteCaptions } from '../../scripts/free-suite-captions';

const saved = JSON.parse(readFileSync('models/kinora/free_suite_captions.json', 'utf8')) as Record<string, string>;

describe('free-suite captions for the PyTorch eval', () => {
  it('match the recaption step (regenerate: node scripts/run-ts.mjs scripts/dump-free-suite-captions.ts)', () => {
    expect(Object.keys(saved).length).toBeGreaterThanOrEqual(48);
    expect(freeSuiteCaptions(Object.keys(saved))).toEqual(saved);
  });
});
