// --model on the command line, checked against the models the site ships (public/models/index.json,
// which the build copies) before a browser starts: an unknown id is told the ids there are and how
// to pass one, not the studio's "choose one of them in Settings", which a terminal has not.
import { readFileSync } from 'node:fs';

interface ModelIndex {
  default: string;
  models: string[];
}

export function modelChoiceProblem(modelId: string, indexPath = 'public/models/index.json'): string | undefined {
  let index: ModelIndex;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as ModelIndex;
  } catch {
    return undefined; // no index to check against: the page's own check will answer
  }
  if (index.models.includes(modelId)) return undefined;
  const ids = index.models.map((m) => (m === index.default ? `${m} (the default)` : m)).join(', ');
  return `There is no model "${modelId}". The models are ${ids}: give one of them with --model, or leave --model out for the default.`;
}
