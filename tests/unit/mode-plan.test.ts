// The passes of the multi-pass modes place their frames where assemble() puts them, so the output
// can stream while later passes still run; on format 2 (tiny-v2) every given frame of a pass lies in
// a latent frame it codes whole, or is the lead frame just before one, so nothing given is wasted.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { planRecipe, type Recipe } from '../../src/worker/mode-plan';
import { latentLayout, latentOfFrame } from '../../src/model/latent-layout';
import { planLatents } from '../../src/model/latent-plan';
import type { ModelManifest } from '../../src/model/manifest';
import type { GenerateRequest } from '../../src/worker/api';
import { modelFolder } from '../support/model-folders';

const manifests = ['tiny', 'tiny-v2'].map((id) => JSON.parse(readFileSync(`${modelFolder(id)}/manifest.json`, 'utf8')) as ModelManifest);

/** Runs a recipe with fake frames (each a distinct number) and returns both ways of building the output. */
function runRecipe(recipe: Recipe, manifest: ModelManifest): { assembled: number[]; placed: (number | undefined)[] } {
  const layout = latentLayout(manifest);
  let next = 1000;
  const results: Uint8ClampedArray[][] = [];
  const placed: (number | undefined)[] = new Array(recipe.totalFrames);
  for (const pass of recipe.passes) {
    const previous = results[results.length - 1] ?? [];
    const plan = pass.plan(previous);
    const lp = planLatents(plan, layout);
    expect(lp.windows.length).toBeGreaterThan(0);
    for (const i of plan.given.keys()) {
      const j = latentOfFrame(layout, i);
      expect(lp.known.has(j) || lp.known.has(j + 1), `given frame ${i} codes nothing`).toBe(true);
    }
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

for (const manifest of manifests) {
describe(`recipes place every frame where assemble puts it (${manifest.id})`, () => {
  const cases: [string, GenerateRequest][] = [
    ['text, one window', request({ kind: 'text' }, 2)],
    ['text, 60 s', request({ kind: 'text' }, 60)],
    ['loop', request({ kind: 'loop' }, 5)],
    ['storyboard', request({ kind: 'storyboard', shots: [{ prompt: 'a red ball', seconds: 2 }, { prompt: 'a blue box', seconds: 3 }, { prompt: 'a star', seconds: 1 }] })],
  ];
  for (const [name, req] of cases) {
    it(name, async () => {
      const recipe = await planRecipe(req, manifest);
      const { assembled, placed } = runRecipe(recipe, manifest);
      expect(assembled.length).toBe(recipe.totalFrames);
      expect(placed).toEqual(assembled);
    });
  }
});
}

describe("a loop's way back reuses the clip's latents for the clip's start", () => {
  it('format 1: frame j of the tail is the clip latent frame j; format 2: the tail latent frame is the clip latent frame 1', async () => {
    for (const manifest of manifests) {
      const recipe = await planRecipe(request({ kind: 'loop' }, 2), manifest);
      const clipLatents = new Map(Array.from({ length: 16 }, (_, j) => [j, new Float32Array([j])] as const));
      const clip = Array.from({ length: 16 }, () => new Uint8ClampedArray(4));
      const plan = recipe.passes[1].plan(clip, clipLatents);
      const lp = planLatents(plan, latentLayout(manifest));
      const reused = [...(plan.givenLatents ?? [])].map(([mine, latent]) => [mine, latent[0]]);
      if (latentLayout(manifest).causal) expect(reused).toEqual([[lp.latentFrames - 1, 1]]);
      else expect(reused).toEqual([[plan.total - 4, 0], [plan.total - 3, 1], [plan.total - 2, 2], [plan.total - 1, 3]]);
      for (const [mine] of reused) expect(lp.known.has(mine)).toBe(true);
    }
  });
});
