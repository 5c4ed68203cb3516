// What the parity tests share: a committed model, its PyTorch goldens, and the measure they are
// held to (normalised mean squared error, bound 1e-5: f32 arithmetic on the same fp16-rounded
// weights the goldens were computed with).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseSafetensors, type SafeTensor } from '../src/model/loader/safetensors';
import type { ModelManifest } from '../src/model/manifest';
import { modelFolder } from './support/model-folders';

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

export interface ModelGoldens {
  manifest: ModelManifest;
  tensors: ReadonlyMap<string, SafeTensor>;
  golden(name: string): SafeTensor;
  f32(name: string): Float32Array;
  file(name: string): Uint8Array<ArrayBuffer>;
}

/** The model `id` (a test model's folder, else public/models/<id>/) with its goldens. */
export function modelGoldens(id: string): ModelGoldens {
  const dir = modelFolder(id);
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as ModelManifest;
  const tensors = parseSafetensors(new Uint8Array(readFileSync(`${dir}/goldens.safetensors`))).tensors;
  const golden = (name: string): SafeTensor => {
    const t = tensors.get(name);
    if (!t) throw new Error(`The goldens of ${id} have no tensor ${name}.`);
    return t;
  };
  // a file kept in another model's folder (manifest `stored_in`) is read from there
  const fileDir = (name: string) => (manifest.files[name]?.stored_in ? modelFolder(manifest.files[name].stored_in) : dir);
  return { manifest, tensors, golden, f32: (name) => golden(name).data as Float32Array, file: (name) => new Uint8Array(readFileSync(`${fileDir(name)}/${name}`)) };
}
