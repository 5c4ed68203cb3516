// npm run eval -- --modes [--model ID] [--steps N] [--backend auto|webgpu|wasm] [--long N] [--seconds S]
// Measures Sora's modes with a model through the BUILT site (headless Chromium, as a visitor's tab)
// and the model's scorer (scripts/eval_suite.py):
//  - image → video: the first frame of each single-object suite scene, rendered from the ground
//    truth, is animated for 2 s under its caption; the made frames are scored (does the object
//    keep its colour and shape, does it move as asked), beside ground truth and a frozen image;
//  - a long video: N of those images animated for S seconds (60 by default), scored per 2-s
//    segment: how long the object keeps its colour and shape; and how long it took.
// Writes bench-results/eval-modes-<id>.json.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice } from '../src/worker/api';
import type { AutomationRequest } from '../src/app/automation';
import { evalSuite } from './eval-suite-cli';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';

/** Suite scenes for the long videos, in order: still, bouncing, sliding left, sliding right, … */
const LONG_SCENES = [10, 0, 1, 11, 4, 6];
const SEGMENT_FRAMES = 16;

const percent = (v: number | null | undefined) => (v == null ? '–' : `${Math.round(v * 100)}%`);

export interface ModesOptions {
  /** Rebuild dist/ first. */
  build?: boolean;
  model?: string;
  steps?: number;
  backend?: BackendChoice;
  long: number;
  seconds: number;
}

export async function evalModes(options: ModesOptions): Promise<number> {
  const suite = JSON.parse(evalSuite('suite')) as { index: number; group: string; prompt: string }[];
  const images = mkdtempSync(join(tmpdir(), 'kinora-i2v-in-'));
  const i2vDir = mkdtempSync(join(tmpdir(), 'kinora-i2v-'));
  const longDir = mkdtempSync(join(tmpdir(), 'kinora-long-'));
  const indices = JSON.parse(evalSuite('first-frames', images)) as number[];
  const site = await openSite({ build: options.build });
  const common = {
    aspect: '1:1' as const,
    ...(options.model ? { modelId: options.model } : {}),
    ...(options.steps ? { steps: options.steps } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  };
  const animate = async (index: number, seconds: number, out: string) => {
    const request: AutomationRequest = {
      ...common, prompt: suite[index].prompt, seconds, seed: index,
      mode: { kind: 'image', image: { base64: readFileSync(join(images, `${index}.png`)).toString('base64'), type: 'image/png' } },
    };
    const result = await generateInPage(site.page, request);
    writeFileSync(join(out, `${index}.mp4`), Buffer.from(result.videoBase64, 'base64'));
    return result;
  };

  let modelId = '';
  const long: { index: number; prompt: string; seconds: number; frames: number; backend: string }[] = [];
  try {
    for (const index of indices) {
      const r = await animate(index, 2, i2vDir);
      modelId = r.settings.modelId;
      process.stderr.write(`image→video ${index}: ${suite[index].prompt} (${(r.elapsedMs / 1000).toFixed(1)} s)\n`);
    }
    for (const index of LONG_SCENES.slice(0, options.long)) {
      const r = await animate(index, options.seconds, longDir);
      long.push({ index, prompt: suite[index].prompt, seconds: r.elapsedMs / 1000, frames: r.frameCount, backend: r.backend.label });
      process.stderr.write(`${options.seconds}-s video ${index}: ${(r.elapsedMs / 1000).toFixed(1)} s on ${r.backend.label}\n`);
    }
  } finally {
    await site.close();
  }

  type Row = Record<string, number | null>;
  const i2v = JSON.parse(evalSuite('score-i2v', i2vDir)) as { model: Row; ground_truth: Row; still_image: Row; videos: number };
  const attributes = Object.keys(i2v.model);
  console.log(`Image → video with ${modelId}: ${i2v.videos} ground-truth first frames animated for 2 s; the made frames scored`);
  console.log(`${''.padEnd(22)}${attributes.map((a) => a.padStart(10)).join('')}`);
  for (const [name, row] of [['model', i2v.model], ['ground truth', i2v.ground_truth], ['the image, frozen', i2v.still_image]] as const) {
    console.log(`${name.padEnd(22)}${attributes.map((a) => percent(row[a]).padStart(10)).join('')}`);
  }
  let drift: { videos: number; segments: { start_s: number; colour: number; shape: number; object_seen: number }[] } | undefined;
  if (long.length > 0) {
    drift = JSON.parse(evalSuite('score-long', longDir, String(SEGMENT_FRAMES)));
    console.log(`\n${options.seconds}-s videos from an image (${long.length}): share whose object keeps its colour / shape, per 2-s segment`);
    console.log(drift!.segments.map((s) => `${String(s.start_s).padStart(4)} s: ${percent(s.colour).padStart(4)} / ${percent(s.shape).padStart(4)}`).join('\n'));
    console.log(`\nTime per ${options.seconds}-s video: ${long.map((l) => `${l.seconds.toFixed(0)} s`).join(', ')} (${long[0].backend})`);
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(`bench-results/eval-modes-${modelId}.json`, JSON.stringify({ model: modelId, i2v, long, drift, mp4s: { i2v: i2vDir, long: longDir } }, null, 1));
  return 0;
}
