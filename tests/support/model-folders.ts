// Where a model's files are for the tests that read them from disk: the test models (tiny,
// tiny-v2) in tests/fixtures/models/, out of the site; the shipped ones in public/models/.
import { existsSync } from 'node:fs';

export const TEST_MODELS_DIR = 'tests/fixtures/models';
export const SHIPPED_MODELS_DIR = 'public/models';

/** The folder of model `id`: a test model's, else the shipped one's. */
export function modelFolder(id: string): string {
  const test = `${TEST_MODELS_DIR}/${id}`;
  return existsSync(`${test}/manifest.json`) ? test : `${SHIPPED_MODELS_DIR}/${id}`;
}
