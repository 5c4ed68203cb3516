// What the parity tests share: the committed tiny model, its PyTorch goldens, and the measure
// they are held to (normalised mean squared error, bound 1e-5: f32 arithmetic on the same
// fp16-rounded weights the goldens were computed with).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseSafetensors, type SafeTensor } from '../src/model/loader/safetensors';
import type { ModelManifest } from '../src/model/manifest';

export const TINY_DIR = 'public/models/tiny';
export const NMSE_BOUND = 1e-5;

export function nmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return num / Math.max(den, 1e-30);
}

export const tinyManifest = JSON.parse(readFileSync(`${TINY_DIR}/manifest.json`, 'utf8')) as ModelManifest;
export const tinyGoldens: ReadonlyMap<string, SafeTensor> = parseSafetensors(new Uint8Array(readFileSync(`${TINY_DIR}/goldens.safetensors`))).tensors;
export const golden = (name: string): SafeTensor => {
  const t = tinyGoldens.get(name);
  if (!t) throw new Error(`The tiny model's goldens have no tensor ${name}.`);
  return t;
};
export const goldenF32 = (name: string) => golden(name).data as Float32Array;
export const tinyFile = (name: string) => new Uint8Array(readFileSync(`${TINY_DIR}/${name}`));
