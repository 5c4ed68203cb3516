// The studio's scene parts: changes sit on top of the prompt's reading, and damaged saved changes are dropped.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/model/recaption';
import { applyOverrides, hasOverrides, NO_OVERRIDES, reviveOverrides, withObjectPart } from '../../src/app/scene-overrides';

describe('scene overrides', () => {
  it('change only the parts set, and keep them when the prompt is re-read with more objects', () => {
    const changed = withObjectPart({ ...NO_OVERRIDES, camera: 'zoom_in' }, 0, 'colour', 'green');
    expect(hasOverrides(changed)).toBe(true);
    const scene = applyOverrides(parse('a red ball bounces and a blue star').scene, changed);
    expect(scene.objects.map((o) => `${o.colour} ${o.shape}`)).toEqual(['green circle', 'blue star']);
    expect(scene.camera).toBe('zoom_in');
    expect(hasOverrides(NO_OVERRIDES)).toBe(false);
  });

  it('drop saved parts the world does not know', () => {
    expect(reviveOverrides({ objects: [{ colour: 'mauve' }, { shape: 'star' }], camera: 'tilt', background: { kind: 'plain', colour: 'red' } }))
      .toEqual({ objects: [{}, { shape: 'star' }], background: { kind: 'plain', colour: 'red' } });
    expect(reviveOverrides('<b>x</b>')).toEqual(NO_OVERRIDES);
  });
});
