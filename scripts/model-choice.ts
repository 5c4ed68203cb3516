// --model on the command line, checked against the models the site ships (public/models/index.json,
// which the build copies) and the test models the tools add to it (scripts/test-models.mjs) before
// a browser starts: an unknown id is told the ids there are and how to pass one, not the studio's
// "choose one of them in Settings", which a terminal has not.
import { readFileSync } from 'node:fs';
import { readTestModelIndex, TEST_MODELS_DIR, withTestModels, type ModelIndexJson } from './test-models.mjs';

export function modelChoiceProblem(modelId: string, indexPath = 'public/models/index.json', testDir = TEST_MODELS_DIR): string | undefined {
  let site: ModelIndexJson;
  try {
    site = JSON.parse(readFileSync(indexPath, 'utf8')) as ModelIndexJson;
  } catch {
    return undefined; // no index to check against: the page's own check will answer
  }
  let index = site;
  try {
    index = withTestModels(site, readTestModelIndex(testDir));
  } catch {
    // no test models here: the site's own are the choice
  }
  if (index.models.includes(modelId)) return undefined;
  const ids = index.models.map((m) => (m === index.default ? `${m} (the default)` : site.models.includes(m) ? m : `${m} (for tests)`)).join(', ');
  return `There is no model "${modelId}". The models are ${ids}: give one of them with --model, or leave --model out for the default.`;
}
