// npm run eval -- --negative [--seeds N] [--seconds S] [--model ID] [--steps N] [--backend …]
// Measures the negative prompt: for prompts such as "a ball, not red" (whose caption already asks
// for another colour), each seed is made twice through the BUILT site — once with nothing on the
// unconditional side of guidance (the empty caption), once with the negative prompt "red" there —
// and the one scorer (models/kinora/scorer.py, through scripts/eval_suite.py) says how often the
// excluded colour is still the video's dominant colour, or present at all.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recaption } from '../src/model/recaption';
import type { BackendChoice } from '../src/worker/api';
import { evalSuite } from './eval-suite-cli';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';

const CASES = [
  { prompt: 'a ball, not red', excluded: 'red' },
  { prompt: 'a square, not blue', excluded: 'blue' },
  { prompt: 'a star, not yellow', excluded: 'yellow' },
  { prompt: 'a triangle, not green', excluded: 'green' },
];

export async function evalNegative(o: { seeds: number; seconds: number; build?: boolean; model?: string; steps?: number; backend?: BackendChoice }): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kinora-negative-'));
  const scenes: Record<string, unknown> = {};
  const site = await openSite({ build: o.build });
  try {
    for (const [c, test] of CASES.entries()) {
      for (let seed = 0; seed < o.seeds; seed++) {
        for (const arm of ['without', 'with'] as const) {
          const result = await generateInPage(site.page, {
            prompt: test.prompt, seconds: o.seconds, aspect: '1:1', seed: 1000 * c + seed,
            ...(arm === 'with' ? { negativePrompt: test.excluded } : {}),
            ...(o.model ? { modelId: o.model } : {}), ...(o.steps ? { steps: o.steps } : {}), ...(o.backend ? { backend: o.backend } : {}),
          });
          const name = `${c}-${seed}-${arm}`;
          writeFileSync(join(dir, `${name}.mp4`), Buffer.from(result.videoBase64, 'base64'));
          scenes[name] = recaption(test.prompt).parse.scene;
          process.stderr.write(`${name} "${test.prompt}" ${arm} negative: read as "${result.reading.prompts[0].caption}"` +
            `${result.reading.negative ? ` / "${result.reading.negative.caption}" (${result.reading.negative.used ? 'used' : 'not used'})` : ''} (${(result.elapsedMs / 1000).toFixed(1)} s, ${result.settings.modelId}, ${result.settings.steps} steps)\n`);
        }
      }
    }
  } finally {
    await site.close();
  }
  writeFileSync(join(dir, 'scenes.json'), JSON.stringify(scenes));
  const seen = JSON.parse(evalSuite('colours', dir)) as Record<string, { dominant_colour: string | null; colours: string[] }>;
  const rows = CASES.map((test, c) => {
    const count = (arm: string, hit: (m: { dominant_colour: string | null; colours: string[] }) => boolean) =>
      Array.from({ length: o.seeds }, (_, seed) => seen[`${c}-${seed}-${arm}`]).filter(hit).length;
    const dominant = (m: { dominant_colour: string | null }) => m.dominant_colour === test.excluded;
    const present = (m: { colours: string[] }) => m.colours.includes(test.excluded);
    return { ...test, videos: o.seeds, dominantWithout: count('without', dominant), dominantWith: count('with', dominant), presentWithout: count('without', present), presentWith: count('with', present) };
  });
  console.log(`| prompt | excluded | videos | dominant, no negative | dominant, negative prompt | present, no negative | present, negative prompt |`);
  console.log(`|---|---|---|---|---|---|---|`);
  for (const r of rows) console.log(`| ${r.prompt} | ${r.excluded} | ${r.videos} | ${r.dominantWithout} | ${r.dominantWith} | ${r.presentWithout} | ${r.presentWith} |`);
  console.log(`MP4s in ${dir}`);
  return 0;
}
