// The studio's scene parts: changes sit on top of the prompt's reading, stay on the object they were
// made on, and damaged saved changes are dropped.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/model/recaption';
import { applyOverrides, hasOverrides, NO_OVERRIDES, overridesFor, reviveOverrides, withObjectPart } from '../../src/app/scene-overrides';

const shown = (prompt: string, o: Parameters<typeof applyOverrides>[1]) => applyOverrides(parse(prompt), o).objects.map((x) => `${x.colour} ${x.shape}`);

describe('scene overrides', () => {
  it('change only the parts set, and keep them when the prompt is re-read with more objects', () => {
    const changed = withObjectPart({ ...NO_OVERRIDES, camera: 'zoom_in' }, parse('a red ball bounces'), 0, 'colour', 'green');
    expect(hasOverrides(changed, parse('a red ball'))).toBe(true);
    const scene = applyOverrides(parse('a red ball bounces and a blue star'), changed);
    expect(scene.objects.map((o) => `${o.colour} ${o.shape}`)).toEqual(['green circle', 'blue star']);
    expect(scene.camera).toBe('zoom_in');
    expect(hasOverrides(NO_OVERRIDES, parse('a red ball'))).toBe(false);
  });

  it('leave with their object: deleting the object before an edited one does not hand its edit on', () => {
    // The person sets object 1's shape to star, then deletes "a red ball and ".
    const star = withObjectPart(NO_OVERRIDES, parse('a red ball and a blue square'), 0, 'shape', 'star');
    expect(shown('a red ball and a blue square', star)).toEqual(['red star', 'blue square']);
    expect(shown('a blue square', star)).toEqual(['blue square']);
    expect(hasOverrides(star, parse('a blue square'))).toBe(false);
    // An object typed in front of an edited one does not take its edit either.
    expect(shown('a green triangle and a red ball and a blue square', star)).toEqual(['green triangle', 'red star', 'blue square']);
  });

  it('stay on the second of two alike objects, and are dropped with gone objects at the next edit', () => {
    const second = withObjectPart(NO_OVERRIDES, parse('a ball and a ball'), 1, 'colour', 'pink');
    expect(applyOverrides(parse('a ball and a ball'), second).objects.map((o) => o.colour)).toEqual(['red', 'pink']);
    const next = withObjectPart(second, parse('a star'), 0, 'size', 'large');
    expect(next.objects.map((x) => x.object)).toEqual(['star #1']);
  });

  it('give back a gallery video\'s scene for its prompt', () => {
    const reading = parse('a red ball and a blue square');
    const made = applyOverrides(reading, withObjectPart(NO_OVERRIDES, reading, 1, 'motion', 'orbit'));
    expect(applyOverrides(reading, overridesFor(reading, made))).toEqual(made);
  });

  it('drop saved parts the world does not know, and changes saved by position', () => {
    expect(reviveOverrides({ objects: [{ object: 'red circle #1', parts: { colour: 'mauve' } }, { object: 'star #1', parts: { shape: 'star' } }, { shape: 'star' }], camera: 'tilt', background: { kind: 'plain', colour: 'red' } }))
      .toEqual({ objects: [{ object: 'red circle #1', parts: {} }, { object: 'star #1', parts: { shape: 'star' } }], background: { kind: 'plain', colour: 'red' } });
    expect(reviveOverrides('<b>x</b>')).toEqual(NO_OVERRIDES);
  });
});
