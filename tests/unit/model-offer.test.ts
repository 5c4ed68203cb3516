// Which models a visitor is offered: the site's index (public/models/index.json, which the build
// copies) lists the real models only, each with one line on what it is good at; the test models
// live in tests/fixtures/models/ and reach the tests through their servers (scripts/test-models.mjs),
// which add them after the site's own. The built site itself is checked in tests/e2e/app.spec.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { modelChoiceProblem } from '../../scripts/model-choice';
import { testModelHandler, withTestModels } from '../../scripts/test-models.mjs';
import { parseModelIndex } from '../../src/model/loader/site-files';
import { ModelCache } from '../../src/store/model-cache';
import { SiteModelProvider } from '../../src/worker/site-model-provider';
import { fakeHost, memoryStorage, patternBytes, sha256 } from './model-test-helpers';
import { SHIPPED_MODELS_DIR, TEST_MODELS_DIR } from '../support/model-folders';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const site = readJson(`${SHIPPED_MODELS_DIR}/index.json`) as { default: string; models: string[]; good_at: Record<string, string> };
const tests = readJson(`${TEST_MODELS_DIR}/index.json`) as { models: string[]; good_at: Record<string, string> };

describe('the models on offer', () => {
  it('are the shipped ones, each with its folder and one line on what it is good at; no test model among them', () => {
    expect(site.models).toEqual(['kinora-small', 'kinora-small-fast']);
    expect(site.models).toContain(site.default);
    for (const id of site.models) {
      expect(readJson(`${SHIPPED_MODELS_DIR}/${id}/manifest.json`).id).toBe(id);
      expect(site.good_at[id]).toMatch(/^[^\n]{20,160}$/);
    }
    expect(site.models.filter((id) => tests.models.includes(id))).toEqual([]);
    // Nor are their files in public/, which the build copies whole.
    for (const id of tests.models) expect(existsSync(`${SHIPPED_MODELS_DIR}/${id}`)).toBe(false);
    expect(parseModelIndex(site, 'index.json').goodAt).toEqual(site.good_at);
  });

  it('leave the test models in tests/fixtures/models/, each with its manifest and line', () => {
    expect(tests.models).toEqual(['tiny', 'tiny-v2']);
    expect(readdirSync(TEST_MODELS_DIR).filter((name) => name !== 'index.json').sort()).toEqual(tests.models);
    for (const id of tests.models) {
      expect(readJson(`${TEST_MODELS_DIR}/${id}/manifest.json`).id).toBe(id);
      expect(tests.good_at[id]).toMatch(/^Tests only/);
    }
  });

  it('an index without lines is read as before, and lines that are not text are refused', () => {
    expect(parseModelIndex({ models: ['a'], default: 'a' }, 'index.json')).toEqual({ models: ['a'], default: 'a' });
    expect(() => parseModelIndex({ models: ['a'], default: 'a', good_at: { a: 3 } }, 'index.json')).toThrow(/"good_at" is not an object of model id to one line/);
  });
});

describe('the test servers', () => {
  it('list the test models after the site’s own, the site’s default kept', () => {
    const merged = withTestModels(site, tests);
    expect(merged.default).toBe(site.default);
    expect(merged.models).toEqual([...site.models, 'tiny', 'tiny-v2']);
    expect(merged.good_at).toMatchObject({ ...site.good_at, tiny: tests.good_at.tiny });
    // A test model of a site model's id does not shadow it.
    expect(withTestModels({ default: 'tiny', models: ['tiny'], good_at: { tiny: 'real' } }, tests).good_at!.tiny).toBe('real');
  });

  it('serve the merged index and the test models’ files at models/<id>/, and leave everything else to the site', async () => {
    const handler = testModelHandler({ siteIndexPath: `${SHIPPED_MODELS_DIR}/index.json` });
    const server = http.createServer((req, res) => handler(req, res) || void res.writeHead(418).end());
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await (await fetch(`${base}/models/index.json`)).json()).models).toEqual([...site.models, 'tiny', 'tiny-v2']);
      const manifest = await fetch(`${base}/models/tiny/manifest.json`);
      expect((await manifest.json()).id).toBe('tiny');
      const onnx = await fetch(`${base}/models/tiny-v2/dit.onnx`, { method: 'HEAD' });
      expect(onnx.headers.get('content-type')).toBe('application/octet-stream');
      expect((await fetch(`${base}/models/kinora-small/manifest.json`)).status).toBe(418);
      expect((await fetch(`${base}/index.html`)).status).toBe(418);
    } finally {
      server.close();
    }
  });

  it('let the command line name a test model, and say which models are for tests', () => {
    expect(modelChoiceProblem('tiny-v2')).toBeUndefined();
    expect(modelChoiceProblem('kinora-big')).toBe(
      'There is no model "kinora-big". The models are kinora-small (the default), kinora-small-fast, tiny (for tests), tiny-v2 (for tests): give one of them with --model, or leave --model out for the default.',
    );
  });
});

describe('the picker’s listing', () => {
  it('carries each model’s line, default steps and frame rate (what its speed on this device is reckoned at)', async () => {
    const MODELS = 'http://host/models/';
    const bytes = patternBytes(1000, 1);
    const manifest = { id: 'a', format_version: 1, description: 'the long story', weights: { file: 'dit.safetensors' }, sampler: { default_steps: 16, default_guidance: 6 }, video: { fps: 8 }, files: { 'dit.safetensors': { size: 1000, sha256: sha256(bytes) } } };
    const host = fakeHost({
      [`${MODELS}index.json`]: { models: ['a', 'b'], default: 'a', good_at: { a: 'Colours.' } },
      [`${MODELS}a/manifest.json`]: manifest,
      [`${MODELS}b/manifest.json`]: { ...manifest, id: 'b' },
    });
    const listed = await new SiteModelProvider('http://host/', async () => 'wasm', new ModelCache(memoryStorage()), host.fetch).list();
    expect(listed.map(({ id, goodAt, description, defaultSteps, fps }) => ({ id, goodAt, description, defaultSteps, fps }))).toEqual([
      { id: 'a', goodAt: 'Colours.', description: 'the long story', defaultSteps: 16, fps: 8 },
      { id: 'b', goodAt: '', description: 'the long story', defaultSteps: 16, fps: 8 },
    ]);
  });
});
