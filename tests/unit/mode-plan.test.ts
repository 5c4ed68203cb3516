// The passes of the multi-pass modes place their frames where assemble() puts them, so the output
// can stream while later passes still run.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { planRecipe, type Recipe } from '../../src/worker/mode-plan';
import { planWindows } from '../../src/model/frame-plan';
import type { ModelManifest } from '../../src/model/manifest';
import type { GenerateRequest } from '../../src/worker/api';

const manifest = JSON.parse(readFileSync('public/models/tiny/manifest.json', 'utf8')) as ModelManifest;

/** Runs a recipe with fake frames (each a distinct number) and returns both ways of building the output. */
function runRecipe(recipe: Recipe): { assembled: number[]; placed: (number | undefined)[] } {
  let next = 1000;
  const results: Uint8ClampedArray[][] = [];
  const placed: (number | undefined)[] = new Array(recipe.totalFrames);
  for (const pass of recipe.passes) {
    const previous = results[results.length - 1] ?? [];
    const plan = pass.plan(previous);
    expect(planWindows(plan, manifest.video.max_frames).length).toBeGreaterThan(0);
    const frames = Array.from({ length: plan.total }, (_, i) => plan.given.get(i) ?? new Uint8ClampedArray([next++ % 256, Math.floor(next / 256)]));
    frames.forEach((f, i) => {
      const at = pass.outputIndex ? pass.outputIndex(i, previous) : i;
      if (at !== null) placed[at] = f[0] + 256 * f[1];
    });
    results.push(frames);
  }
  return { assembled: recipe.assemble(results).map((f) => f[0] + 256 * f[1]), placed };
}

const request = (mode: GenerateRequest['mode'], seconds = 6): GenerateRequest => ({ prompt: 'a red ball', seconds, aspect: '1:1', seed: 1, mode });

describe('recipes place every frame where assemble puts it', () => {
  const cases: [string, GenerateRequest][] = [
    ['text, one window', request({ kind: 'text' }, 2)],
    ['text, 60 s', request({ kind: 'text' }, 60)],
    ['loop', request({ kind: 'loop' }, 5)],
    ['storyboard', request({ kind: 'storyboard', shots: [{ prompt: 'a red ball', seconds: 2 }, { prompt: 'a blue box', seconds: 3 }, { prompt: 'a star', seconds: 1 }] })],
  ];
  for (const [name, req] of cases) {
    it(name, async () => {
      const recipe = await planRecipe(req, manifest);
      const { assembled, placed } = runRecipe(recipe);
      expect(assembled.length).toBe(recipe.totalFrames);
      expect(placed).toEqual(assembled);
    });
  }
});
