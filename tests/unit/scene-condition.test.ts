// The browser's scene lookup (src/model/scene-condition.ts) against models/kinora/scene_tokens.py:
// tests/fixtures/scene-condition holds 41 world scenes with the ids and tokens PyTorch computed for
// them over a seeded table (models/tools/dump_scene_condition_fixture.py). Tokens agree within 1e-5
// (float32 sums in another order). Then the negative side and the condition a model reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSafetensors } from '../../src/model/loader/safetensors';
import { tensorToFloat32 } from '../../src/model/loader/to-float32';
import { SceneMissingError, SceneTableCondition } from '../../src/model/model-condition';
import { negativeScene } from '../../src/model/negative-scene';
import { parseNegative, recaption, type Scene } from '../../src/model/recaption';
import { SceneConditionError, SceneTable, type SceneConditionFacts } from '../../src/model/scene-condition';

interface Case { scene: Scene; ids: number[][]; text: number[][]; mask: number[] }
const fixture = JSON.parse(readFileSync('tests/fixtures/scene-condition/cases.json', 'utf8')) as { facts: SceneConditionFacts; cases: Case[] };
const tableTensor = parseSafetensors(new Uint8Array(readFileSync('tests/fixtures/scene-condition/table.safetensors'))).tensors.get('table')!;
const table = new SceneTable(fixture.facts, tensorToFloat32(tableTensor), tableTensor.shape[1]);
const words = (ids: Int32Array, k: number) => [...ids.subarray(k * 7, k * 7 + 7)].filter(Boolean).map((i) => fixture.facts.vocab[i]);

describe('scene condition', () => {
  it('writes the ids PyTorch writes, for every kind of scene', () => {
    expect(fixture.cases.length).toBeGreaterThan(40);
    const kinds = new Set(fixture.cases.map((c) => c.scene.background.kind));
    expect([...kinds].sort()).toEqual(['day', 'gradient', 'night', 'plain']);
    for (const c of fixture.cases) expect([...table.ids(c.scene)]).toEqual(c.ids.flat());
  });

  it('sums the same tokens and masks the same absent objects', () => {
    const scenes = fixture.cases.map((c) => c.scene);
    const encoded = table.encode(scenes);
    expect([encoded.batch, encoded.length, encoded.width]).toEqual([scenes.length, 5, 16]);
    fixture.cases.forEach((c, b) => {
      expect([...encoded.mask.subarray(b * 5, b * 5 + 5)]).toEqual(c.mask);
      c.text.flat().forEach((v, i) => expect(Math.abs(encoded.text[b * 80 + i] - v)).toBeLessThan(1e-5));
    });
  });

  it('reads the scene the site reads from a typed prompt', () => {
    const read = recaption('a small red star slowly moving left on a pink background');
    const ids = table.ids(read.parse.scene);
    expect(words(ids, 0)).toEqual(['role:background', 'bg:plain', 'bgcolour:pink']);
    expect(words(ids, 2)).toEqual(['role:object', 'slot:1', 'colour:red', 'shape:star', 'size:small', 'motion:left', 'speed:slowly']);
    expect(words(ids, 3)).toEqual([]);
  });

  it('gives the negative prompt only the parts it names, and nothing when it names nothing', () => {
    const neg = negativeScene(parseNegative('no red stars, no zoom in'))!;
    const ids = table.ids(neg);
    expect(words(ids, 2)).toEqual(['role:object', 'slot:1', 'colour:red', 'shape:star']);
    expect(words(ids, 1)).toEqual(['role:camera', 'camera:zoom_in']);
    expect(words(ids, 0)).toEqual([]);
    expect(negativeScene(parseNegative('something pleasant'))).toBeUndefined();
  });

  it('puts the negative scene, else the dropped one, on the unconditional side', async () => {
    const condition = new SceneTableCondition(table);
    const scene = fixture.cases[0].scene;
    const guided = await condition.read({ caption: '', scene }, true);
    expect(guided.text.batch).toBe(2);
    expect([...guided.text.mask.subarray(5)]).toEqual([0, 0, 0, 0, 0]);
    expect([...guided.text.text.subarray(80)].every((v) => v === 0)).toBe(true);
    const negative = await condition.read({ caption: '', scene, negativeScene: { objects: [{ colour: 'red' }] } }, true);
    expect([...negative.text.mask.subarray(5)]).toEqual([0, 0, 1, 0, 0]);
    expect((await condition.read({ caption: '', scene }, false)).text.batch).toBe(1);
    await expect(condition.read({ caption: 'A red ball.' }, true)).rejects.toBeInstanceOf(SceneMissingError);
  });

  it('refuses a part the model does not know and a table of the wrong size', () => {
    expect(() => table.ids({ objects: [{ colour: 'teal' as never }] })).toThrow(SceneConditionError);
    expect(() => new SceneTable(fixture.facts, new Float32Array(10), 16)).toThrow(/rows of 16/);
  });
});
