// npm run eval -- --suite free [--seeds 2] [--model ID] [--steps N] [--backend …] [--limit N] [--build]
// The free-phrasing suite (models/kinora/free_suite.py: 51 prompts written the way people type them,
// held-out compositions, 2-3 objects, camera moves) through the BUILT site in headless Chromium, as a
// visitor's tab makes them: the worker recaptions each prompt, the model draws it at its own output
// size, and the one scorer (models/kinora/scorer.py) judges each MP4 against the prompt's scene at that
// size. Prints per-group, per-attribute accuracy and writes bench-results/eval-free-<id>.json. This is
// the measure issue 13's gates are stated in.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice } from '../src/worker/api';
import { evalSuite } from './eval-suite-cli';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';

export interface FreeSuiteOptions {
  build?: boolean;
  model?: string;
  steps?: number;
  backend?: BackendChoice;
  seeds: number;
  limit?: number;
}

type Table = Record<string, Record<string, number | null>>;

const ATTRIBUTES = ['colour', 'shape', 'direction', 'physics', 'count', 'camera', 'identity'];

export function formatFreeTable(table: Table): string {
  const cell = (v: number | null | undefined) => (v == null ? '–' : `${Math.round(v * 100)}%`).padStart(10);
  const lines = [`${'group'.padEnd(8)}${ATTRIBUTES.map((a) => a.padStart(10)).join('')}`];
  for (const group of ['all', 'train', 'heldout', 'multi', 'camera']) {
    if (table[group]) lines.push(`${group.padEnd(8)}${ATTRIBUTES.map((a) => cell(table[group][a])).join('')}`);
  }
  // the floors, on the same scenes: what drawing the asked background and no object scores, and noise
  for (const [key, label] of [['floor_background', 'no obj.'], ['floor_noise', 'noise']] as const) {
    if (table[key]) lines.push(`${label.padEnd(8)}${ATTRIBUTES.map((a) => cell(table[key][a])).join('')}`);
  }
  return lines.join('\n');
}

export async function evalFreeSuite(options: FreeSuiteOptions): Promise<number> {
  if (!Number.isInteger(options.seeds) || options.seeds < 1) {
    console.error('--seeds is a whole number of at least 1.');
    return 2;
  }
  const suite = JSON.parse(evalSuite('free-suite')) as { index: number; group: string; prompt: string }[];
  const entries = suite.slice(0, options.limit ?? suite.length);
  const dir = mkdtempSync(join(tmpdir(), 'kinora-eval-free-'));
  const site = await openSite({ build: options.build });
  let modelId = '';
  let stepsUsed = 0;
  let backendUsed = '';
  let size = 0;
  const started = Date.now();
  try {
    for (let k = 0; k < options.seeds; k++) {
      for (const entry of entries) {
        const result = await generateInPage(site.page, {
          prompt: entry.prompt, seconds: 2, aspect: '1:1', seed: entry.index + 1000 * k,
          ...(options.model ? { modelId: options.model } : {}),
          ...(options.steps ? { steps: options.steps } : {}),
          ...(options.backend ? { backend: options.backend } : {}),
        });
        modelId = result.settings.modelId;
        stepsUsed = result.settings.steps;
        backendUsed = result.backend.kind;
        writeFileSync(join(dir, `${entry.index}-${k}.mp4`), Buffer.from(result.videoBase64, 'base64'));
        process.stderr.write(`seed ${k} ${entry.index + 1}/${entries.length} ${entry.group.padEnd(8)} ${entry.prompt}  (${(result.elapsedMs / 1000).toFixed(1)} s)\n`);
      }
    }
  } finally {
    await site.close();
  }
  // Judged at the size the model draws (v1 64 px, v2 128 px), whatever the MP4's upscaling.
  const manifest = JSON.parse(readFileSync(`public/models/${modelId}/manifest.json`, 'utf8')) as { video: { sizes: Record<string, { width: number }> } };
  size = manifest.video.sizes['1:1'].width;
  const table = JSON.parse(evalSuite('score-free', dir, String(size))) as Table;
  const seconds = (Date.now() - started) / 1000;
  console.log(`Free-phrasing suite, ${modelId} through the browser: ${entries.length} prompts × ${options.seeds} seeds, ` +
    `${stepsUsed} steps, ${backendUsed}, judged at ${size} px (${seconds.toFixed(0)} s)`);
  console.log(formatFreeTable(table));
  if (entries.length < suite.length) console.log(`(${entries.length} of ${suite.length} prompts: --limit)`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(`bench-results/eval-free-${modelId}.json`, JSON.stringify({ model: modelId, steps: stepsUsed, backend: backendUsed, seeds: options.seeds, size, prompts: entries.length, table, mp4s: dir }, null, 1));
  return 0;
}
