// The test models (tiny, tiny-v2: tests/fixtures/models/, listed in its index.json) are not part
// of the site: public/models/index.json lists only the models a visitor can use, and the build
// (dist/) holds only those. The servers the tests use add them back where the app looks for
// models: each test model's files at models/<id>/…, and models/index.json answered with the
// site's own index plus the test models (the site's default stays the default). Used by
// scripts/serve.mjs --test-models (the end-to-end servers), scripts/site-session.ts (the
// command-line tools) and Vite's dev server (vite.config.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';

export const TEST_MODELS_DIR = 'tests/fixtures/models';

/** Model files have no registered type; with nosniff they must still be named as bytes (as scripts/serve.mjs names them). */
const BINARY_EXTENSIONS = /\.(onnx|safetensors|bin)$/;
const MODEL_FILE = /^\/models\/([A-Za-z0-9._-]+)\/[^/]+$/;

/** The test models' index: { models: [ids], good_at: { id: line } }. */
export function readTestModelIndex(testDir = TEST_MODELS_DIR) {
  return JSON.parse(readFileSync(join(testDir, 'index.json'), 'utf8'));
}

/** The site's index with the test models after its own (a test model of the same id as a site model is left out). */
export function withTestModels(siteIndex, testIndex) {
  const added = testIndex.models.filter((id) => !siteIndex.models.includes(id));
  return {
    ...siteIndex,
    models: [...siteIndex.models, ...added],
    good_at: { ...Object.fromEntries(added.map((id) => [id, testIndex.good_at?.[id] ?? 'For tests only.'])), ...siteIndex.good_at },
  };
}

/**
 * A request handler for paths relative to the site's root ('/models/index.json', '/models/tiny/…'):
 * answers those of the test models and returns true, or returns false and leaves the request to
 * the site. `siteIndexPath` is the site's own index (dist/models/index.json, or public/'s in dev).
 */
export function testModelHandler({ siteIndexPath, testDir = TEST_MODELS_DIR }) {
  const testIndex = readTestModelIndex(testDir);
  const files = sirv(testDir, {
    dev: true,
    etag: true,
    setHeaders: (res, pathname) => {
      if (BINARY_EXTENSIONS.test(pathname)) res.setHeader('Content-Type', 'application/octet-stream');
    },
  });
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/models/index.json') {
      const index = withTestModels(JSON.parse(readFileSync(siteIndexPath, 'utf8')), testIndex);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' }).end(JSON.stringify(index));
      return true;
    }
    const id = MODEL_FILE.exec(path)?.[1];
    if (!id || !testIndex.models.includes(id)) return false;
    // The test folder holds <id>/<file>: the same path less its models/ part.
    req.url = req.url.slice('/models'.length);
    files(req, res, () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n'));
    return true;
  };
}
