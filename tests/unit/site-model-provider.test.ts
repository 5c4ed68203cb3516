// The worker's model provider over a fake host and an in-memory cache: listing models and reading
// a manifest store nothing, open() reads the manifest once (a file the engine did not need comes
// later without reading it again), and a second visit's progress says it loads from this device.
import { describe, expect, it } from 'vitest';
import { ModelCache } from '../../src/store/model-cache';
import { ProgressMeter, type ModelLoadReport } from '../../src/worker/progress-meter';
import { SiteModelProvider } from '../../src/worker/site-model-provider';
import { fakeHost, memoryStorage, patternBytes, sha256 } from './model-test-helpers';

const SITE = 'http://host/kinora/';
const MODELS = `${SITE}models/`;
const files = { 'dit.safetensors': patternBytes(4000, 1), 'dit.onnx': patternBytes(3000, 2), 'text_encoder.onnx': patternBytes(2000, 3) };
const manifest = (id: string) => ({
  id,
  format_version: 1,
  description: `the model ${id}`,
  weights: { file: 'dit.safetensors' },
  files: Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, { size: bytes.byteLength, sha256: sha256(bytes) }])),
});

function site() {
  const served: Record<string, Uint8Array | object> = { [`${MODELS}index.json`]: { models: ['tiny', 'other'], default: 'tiny' } };
  for (const id of ['tiny', 'other']) {
    served[`${MODELS}${id}/manifest.json`] = manifest(id);
    for (const [name, bytes] of Object.entries(files)) served[`${MODELS}${id}/${name}`] = bytes;
  }
  return fakeHost(served);
}

const provider = (host: ReturnType<typeof site>, storage = memoryStorage()) => new SiteModelProvider(SITE, async () => 'wasm', new ModelCache(storage), host.fetch);

describe('SiteModelProvider', () => {
  it('lists the models and reads a manifest without storing anything', async () => {
    const storage = memoryStorage();
    const models = provider(site(), storage);
    const listed = await models.list();
    expect(listed.map((m) => [m.id, m.isDefault, m.cached, m.sizeBytes])).toEqual([
      ['tiny', true, false, 5000],
      ['other', false, false, 5000],
    ]);
    expect((await models.manifest(undefined)).id).toBe('tiny');
    expect(storage.map.size).toBe(0);
  });

  it('opens a model reading its manifest once, and fetches a file its engine did not need on first use without reading it again', async () => {
    const host = site();
    const source = await provider(host).open(undefined, 'wasm', () => {}, new AbortController().signal);
    expect(host.count('index.json')).toBe(1);
    expect(host.count('manifest.json')).toBe(1);
    expect(host.count('dit.safetensors')).toBe(0);
    expect(await source.file('dit.safetensors')).toEqual(files['dit.safetensors']);
    expect(host.count('dit.safetensors')).toBe(1);
    expect(host.count('manifest.json')).toBe(1);
  });

  it('says where the files come from: the network on the first visit, this device on the next', async () => {
    const storage = memoryStorage();
    const visit = async () => {
      const loads: ModelLoadReport[] = [];
      await provider(site(), storage).open('tiny', 'wasm', (p) => loads.push(p), new AbortController().signal);
      return loads;
    };
    const first = await visit();
    expect(new Set(first.map((p) => p.source))).toEqual(new Set(['network']));
    const second = await visit();
    expect(second.map((p) => p.source)).toEqual(['cache', 'cache']);
    const meter = new ProgressMeter(() => 0);
    expect(meter.loading(second[0]).message).toBe('Loading the model from this device…');
    expect(meter.loading(first[0]).message).toMatch(/^Downloading the model/);
  });
});
