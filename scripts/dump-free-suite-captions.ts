// Writes models/kinora/free_suite_captions.json and free_suite_scenes.json: for each prompt of the
// free-phrasing suite (models/kinora/free_suite.py), the caption and the scene the site's recaption
// step (src/model/recaption) makes of it. models/eval.py then judges a checkpoint in PyTorch on what
// the model would read in the browser, not on the raw prompt (whose unknown words the tokenizer
// drops) nor on the suite's own ground truth.
//   node scripts/run-ts.mjs scripts/dump-free-suite-captions.ts
// tests/unit/free-suite-captions.test.ts fails when the files and the recaption step disagree.
import { writeFileSync } from 'node:fs';
import { evalSuite } from './eval-suite-cli';
import { freeSuiteCaptions, freeSuiteScenes } from './free-suite-captions';

export function main(): number {
  const prompts = (JSON.parse(evalSuite('free-suite')) as { prompt: string }[]).map((e) => e.prompt);
  writeFileSync('models/kinora/free_suite_captions.json', JSON.stringify(freeSuiteCaptions(prompts), null, 1) + '\n');
  writeFileSync('models/kinora/free_suite_scenes.json', JSON.stringify(freeSuiteScenes(prompts)) + '\n');
  console.log(`wrote the captions and scenes of ${prompts.length} prompts to models/kinora/free_suite_{captions,scenes}.json`);
  return 0;
}
