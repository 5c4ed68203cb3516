// models/kinora/free_suite_captions.json and free_suite_scenes.json are what models/eval.py feeds a
// text model and a scene model for the free-phrasing suite; they must be what the site's recaption
// step makes of those prompts today.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { freeSuiteCaptions, freeSuiteScenes } from '../../scripts/free-suite-captions';

const saved = JSON.parse(readFileSync('models/kinora/free_suite_captions.json', 'utf8')) as Record<string, string>;
const savedScenes = JSON.parse(readFileSync('models/kinora/free_suite_scenes.json', 'utf8')) as Record<string, unknown>;
const REGENERATE = '(regenerate: node scripts/run-ts.mjs scripts/dump-free-suite-captions.ts)';

describe('free-suite captions and scenes for the PyTorch eval', () => {
  it(`captions match the recaption step ${REGENERATE}`, () => {
    expect(Object.keys(saved).length).toBeGreaterThanOrEqual(48);
    expect(freeSuiteCaptions(Object.keys(saved))).toEqual(saved);
  });

  it(`scenes match the recaption step ${REGENERATE}`, () => {
    expect(Object.keys(savedScenes).sort()).toEqual(Object.keys(saved).sort());
    expect(freeSuiteScenes(Object.keys(savedScenes))).toEqual(savedScenes);
  });
});
