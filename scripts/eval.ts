// npm run eval -- [--model ID] [--steps N] [--backend auto|webgpu|wasm] [--limit N] [--build]
// npm run eval -- --suite free [--seeds 2] …: the free-phrasing suite (models/kinora/free_suite.py), prompts as
//   people type them, recaptioned by the site as a visitor's would be; each prompt at seeds i, i+1000, …
// npm run eval -- --modes [--long N] [--seconds S] …: Sora's modes instead (scripts/eval-modes.ts).
// npm run eval -- --negative [--seeds N] [--seconds S] …: the negative prompt measured (scripts/eval-negative.ts).
// Generates the model's fixed prompt suite (models/eval.py) through the BUILT site in headless
// Chromium — the same path as `npm run generate` and a visitor's tab — and scores the MP4s with
// the model's scorer (models/kinora/scorer.py). Prints per-group, per-attribute accuracy beside
// what PyTorch sampling scored at export (the manifest's `eval`), and writes bench-results/eval-<id>.json.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendChoice } from '../src/worker/api';
import { evalSuite } from './eval-suite-cli';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';
import { evalModes } from './eval-modes';
import { evalNegative } from './eval-negative';
import { evalFreeSuite } from './eval-free-suite';

type Table = Record<string, Record<string, number | null>>;

function formatTable(browser: Table, pytorch: Table | undefined): string {
  const attributes = [...new Set(Object.values(browser).flatMap((row) => Object.keys(row)))];
  const cell = (v: number | null | undefined) => (v == null ? '   –' : `${Math.round(v * 100)}%`.padStart(4));
  const lines = [`${'group'.padEnd(8)} ${attributes.map((a) => a.padStart(14)).join(' ')}`];
  for (const [group, row] of Object.entries(browser)) {
    lines.push(`${group.padEnd(8)} ${attributes.map((a) => `${cell(row[a])}${pytorch?.[group] ? ` (${cell(pytorch[group][a]).trim()})` : ''}`.padStart(14)).join(' ')}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' }, steps: { type: 'string' }, backend: { type: 'string' }, limit: { type: 'string' }, build: { type: 'boolean' },
      modes: { type: 'boolean' }, long: { type: 'string' }, seconds: { type: 'string' }, negative: { type: 'boolean' }, seeds: { type: 'string' }, suite: { type: 'string' },
    },
  });
  if (values.modes) {
    return evalModes({
      build: values.build, model: values.model, steps: values.steps ? Number(values.steps) : undefined, backend: values.backend as BackendChoice | undefined,
      long: values.long ? Number(values.long) : 4, seconds: values.seconds ? Number(values.seconds) : 60,
    });
  }
  if (values.negative) {
    return evalNegative({
      build: values.build, model: values.model, steps: values.steps ? Number(values.steps) : undefined, backend: values.backend as BackendChoice | undefined,
      seeds: values.seeds ? Number(values.seeds) : 5, seconds: values.seconds ? Number(values.seconds) : 1,
    });
  }
  if (values.suite !== undefined && values.suite !== 'free' && values.suite !== 'classic') {
    console.error(`--suite is "free" or "classic", not "${values.suite}".`);
    return 2;
  }
  if (values.suite === 'free') {
    return evalFreeSuite({
      build: values.build, model: values.model, steps: values.steps ? Number(values.steps) : undefined, backend: values.backend as BackendChoice | undefined,
      seeds: values.seeds ? Number(values.seeds) : 2, limit: values.limit ? Number(values.limit) : undefined,
    });
  }
  const suite = JSON.parse(evalSuite('suite')) as { index: number; group: string; prompt: string }[];
  const limit = values.limit ? Number(values.limit) : suite.length;
  const dir = mkdtempSync(join(tmpdir(), 'kinora-eval-'));
  const site = await openSite({ build: values.build });
  let modelId = '';
  let stepsUsed = 0;
  let pytorch: Table | undefined;
  const started = Date.now();
  try {
    for (const entry of suite.slice(0, limit)) {
      const result = await generateInPage(site.page, {
        prompt: entry.prompt, seconds: 2, aspect: '1:1', seed: entry.index,
        ...(values.model ? { modelId: values.model } : {}),
        ...(values.steps ? { steps: Number(values.steps) } : {}),
        ...(values.backend ? { backend: values.backend as BackendChoice } : {}),
      });
      modelId = result.settings.modelId;
      stepsUsed = result.settings.steps;
      writeFileSync(join(dir, `${entry.index}.mp4`), Buffer.from(result.videoBase64, 'base64'));
      process.stderr.write(`${entry.index + 1}/${limit} ${entry.group.padEnd(8)} ${entry.prompt}  (${(result.elapsedMs / 1000).toFixed(1)} s, ${result.settings.steps} steps, ${result.backend.kind})\n`);
    }
  } finally {
    await site.close();
  }
  if (limit < suite.length) {
    console.log(`Generated ${limit} of ${suite.length} prompts in ${dir}; scoring needs the whole suite.`);
    return 0;
  }
  const browser = JSON.parse(evalSuite('score', dir)) as Table;
  try {
    const manifest = JSON.parse(readFileSync(`public/models/${modelId}/manifest.json`, 'utf8')) as { eval?: Record<string, unknown> };
    // models/eval.py scores PyTorch sampling per step count (a distilled student's as student_N_steps): like with like.
    pytorch = (manifest.eval?.[`steps_${stepsUsed}`] ?? manifest.eval?.[`student_${stepsUsed}_steps`]) as Table | undefined;
  } catch {
    pytorch = undefined;
  }
  console.log(`Scores of ${modelId} through the browser (${suite.length} prompts, ${((Date.now() - started) / 1000).toFixed(0)} s)${pytorch ? '; in brackets: PyTorch sampling at export, same steps' : ''}`);
  console.log(formatTable(browser, pytorch));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(`bench-results/eval-${modelId}.json`, JSON.stringify({ model: modelId, browser, pytorch, mp4s: dir }, null, 1));
  return 0;
}
