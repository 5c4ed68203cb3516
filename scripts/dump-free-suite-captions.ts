// Writes models/kinora/free_suite_captions.json: for each prompt of the free-phrasing suite
// (models/kinora/free_suite.py), the caption the site's recaption step makes of it
// (src/model/recaption). models/eval.py then judges a checkpoint in PyTorch on what the model would
// read in the browser, not on the raw prompt (whose unknown words the tokenizer drops).
//   node scripts/run-ts.mjs scripts/dump-free-suite-captions.ts
// tests/unit/free-suite-captions.test.ts fails when the file and the recaption step disagree.
import { writeFileSync } from 'node:fs';
import { evalSuite } from './eval-suite-cli';
import { freeSuiteCaptions } from './free-suite-captions';

export function main(): number {
  const prompts = (JSON.parse(evalSuite('free-suite')) as { prompt: string }[]).map((e) => e.prompt);
  writeFileSync('models/kinora/free_suite_captions.json', JSON.stringify(freeSuiteCaptions(prompts), null, 1) + '\n');
  console.log(`wrote captions of ${prompts.length} prompts to models/kinora/free_suite_captions.json`);
  return 0;
}
