// caption(scene) writes the model's language: every word in models/kinora/vocab.txt, within the
// 64 tokens it reads, a clear refusal when there is nothing to draw; and the negative prompt's caption.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caption, CAPTION_MAX_TOKENS } from '../../src/model/recaption/caption';
import { parseNegative } from '../../src/model/recaption/negative';
import { CAMERAS, COLOURS, MOTIONS, SHAPES, SIZES, type Scene } from '../../src/model/recaption/scene';

const vocabulary = new Set(readFileSync('models/kinora/vocab.txt', 'utf8').split('\n').filter(Boolean));
const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(' ').filter(Boolean);

/** Every value of every attribute, in scenes of three objects (the longest captions). */
function everyValueScenes(): Scene[] {
  const scenes: Scene[] = [];
  for (let i = 0; i < 60; i++) {
    const pick = <T>(list: readonly T[], k: number) => list[(i * 7 + k * 3) % list.length];
    scenes.push({
      objects: [0, 1, 2].map((k) => ({ colour: pick(COLOURS, k + i), shape: pick(SHAPES, k), size: 'medium', motion: pick(MOTIONS, k + i), speed: k % 2 ? 'quickly' : 'slowly' })),
      background: [{ kind: 'plain', colour: pick(COLOURS, 5) }, { kind: 'gradient', top: pick(COLOURS, 1), bottom: pick(COLOURS, 2) }, { kind: 'day' }, { kind: 'night' }][i % 4] as Scene['background'],
      camera: pick(CAMERAS, i),
      occlusion: i % 3 === 0,
    });
  }
  scenes.forEach((s, i) => s.objects.forEach((o, k) => (o.size = SIZES[(i + k) % 3])));
  return scenes;
}

describe('caption', () => {
  it('uses only the model\'s words and stays within its 64 tokens, even for three objects and an occlusion', () => {
    for (const scene of everyValueScenes()) {
      const result = caption(scene);
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(words(result.caption).filter((w) => !vocabulary.has(w)), result.caption).toEqual([]);
      expect(result.tokens).toBeLessThanOrEqual(CAPTION_MAX_TOKENS);
    }
  });

  it('writes the long training style', () => {
    const scene: Scene = {
      objects: [{ colour: 'red', shape: 'circle', size: 'small', motion: 'left', speed: 'slowly' }, { colour: 'blue', shape: 'square', size: 'large', motion: 'still', speed: 'slowly' }],
      background: { kind: 'plain', colour: 'white' }, camera: 'static', occlusion: true,
    };
    expect(caption(scene)).toEqual({
      ok: true,
      caption: 'A small red circle moves slowly to the left and passes behind a large blue square. A large blue square stays still on a white background. The camera is static.',
      tokens: 30,
    });
  });

  it('refuses a scene with nothing to draw instead of writing an empty caption', () => {
    const result = caption({ objects: [], background: { kind: 'day' }, camera: 'static', occlusion: false });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/Nothing to draw/);
  });
});

describe('parseNegative', () => {
  it.each([
    ['no stars', 'A star.'],
    ['not blue', 'A blue object.'],
    ['without a ball', 'A circle.'],
    ['no red squares, nothing bouncing', 'A red square. An object bounces.'],
    ['night sky', 'At night under the stars.'],
    ['no zoom in', 'The camera zooms in.'],
  ])('"%s" → "%s"', (text, expected) => {
    const n = parseNegative(text);
    expect(n.caption).toBe(expected);
    expect(words(n.caption!).filter((w) => !vocabulary.has(w))).toEqual([]);
  });

  it('says when a negative prompt names nothing Kinora draws, and gives no caption', () => {
    const n = parseNegative('no dogs');
    expect(n.caption).toBeUndefined();
    expect(n.notes.join(' ')).toMatch(/guidance stays unconditional/);
  });
});
