// The property test: every caption the Python caption generator writes (models/kinora/captions.py,
// 300 random world scenes at each of the three detail levels, dumped to
// tests/fixtures/recaption-captions.json by scripts/dump_recaption_fixtures.py) parses back to its own
// scene. A short caption may leave out size, speed and background; then the parser must say it did
// not read them, and whatever it does read must match.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caption } from '../../src/model/recaption/caption';
import { parse } from '../../src/model/recaption/parse';
import type { Scene } from '../../src/model/recaption/scene';

interface Case { seed: number; scene: Scene; captions: [string, string, string] }
const cases = (JSON.parse(readFileSync('tests/fixtures/recaption-captions.json', 'utf8')) as { cases: Case[] }).cases;
const SPEED_IN_WORDS = new Set(['left', 'right', 'up', 'down', 'rotate']); // the motions whose phrases carry a speed

function disagreements(text: string, scene: Scene, detail: number): string[] {
  const r = parse(text);
  const out: string[] = [];
  if (r.objects.length !== scene.objects.length) return [`${r.objects.length} objects, want ${scene.objects.length}`];
  scene.objects.forEach((want, i) => {
    const got = r.objects[i];
    for (const a of ['colour', 'shape', 'motion'] as const) if (got[a] !== want[a]) out.push(`object ${i} ${a} ${got[a]}, want ${want[a]}`);
    for (const a of ['size', 'speed'] as const) if (got.stated[a] && got[a] !== want[a]) out.push(`object ${i} ${a} ${got[a]}, want ${want[a]}`);
    if (detail > 0 && !got.stated.size) out.push(`object ${i} size not read`);
    if (detail > 0 && SPEED_IN_WORDS.has(want.motion) && !got.stated.speed) out.push(`object ${i} speed not read`);
  });
  if (r.scene.camera !== scene.camera) out.push(`camera ${r.scene.camera}, want ${scene.camera}`);
  if (r.backgroundStated && JSON.stringify(r.scene.background) !== JSON.stringify(scene.background)) out.push(`background ${JSON.stringify(r.scene.background)}`);
  if (detail > 0 && !r.backgroundStated) out.push('background not read');
  if (detail > 0 && r.scene.occlusion !== scene.occlusion) out.push(`occlusion ${r.scene.occlusion}`);
  if (r.unknown.length) out.push(`unknown ${r.unknown.join(', ')}`);
  return out;
}

describe('captions.py captions parse back to their scenes', () => {
  it('has 300 scenes with captions at the three detail levels', () => {
    expect(cases.length).toBe(300);
    expect(cases.every((c) => c.captions.length === 3)).toBe(true);
    expect(cases.filter((c) => c.scene.objects.length === 3).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.scene.occlusion).length).toBeGreaterThan(10);
  });

  for (const detail of [0, 1, 2]) {
    it(`at detail ${detail}`, () => {
      const failures = cases.flatMap((c) => {
        const found = disagreements(c.captions[detail], c.scene, detail);
        return found.length ? [`seed ${c.seed}: "${c.captions[detail]}": ${found.join('; ')}`] : [];
      });
      expect(failures).toEqual([]);
    });
  }

  // Training captions say a speed only for moves along and for spins (captions.py MOTION_PHRASES),
  // so a bounce's or an orbit's speed is the world's business, not the caption's.
  const sayable = (scene: Scene): Scene => ({
    ...scene,
    objects: scene.objects.map((o) => (SPEED_IN_WORDS.has(o.motion) ? o : { ...o, speed: 'slowly' })),
  });

  it("and Kinora's own caption of each scene parses back to the whole scene", () => {
    const failures = cases.flatMap((c) => {
      const written = caption(c.scene);
      if (!written.ok) return [`seed ${c.seed}: ${written.reason}`];
      const back = parse(written.caption);
      return JSON.stringify(sayable(back.scene)) === JSON.stringify(sayable(c.scene)) ? [] : [`seed ${c.seed}: "${written.caption}" → ${JSON.stringify(back.scene)}`];
    });
    expect(failures).toEqual([]);
  });
});
