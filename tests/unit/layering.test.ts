// The layering of src/, kept true: app → worker → model → sampling | provenance → gpu | video | store.
// A file may import from its own folder and from the folders to its right, never from one to its
// left, nor across folders of one depth (sampling and provenance; the three at the bottom).
// provenance (C2PA signing and checking, the detector) sits above video because it reads MP4s. The imports are read from the sources themselves (static,
// re-exports, dynamic import() and the worker's new URL(…, import.meta.url)), .ts and .svelte.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../support/source-imports';

const SRC = resolve('src');
/** Each top-level folder of src/ and its depth; files directly in src/ (main.ts, sw.ts) are the entry, above them all. */
const LAYER: Record<string, number> = { '': -1, app: 0, worker: 1, model: 2, sampling: 3, provenance: 3, gpu: 4, video: 4, store: 4 };

const sources = (dir: string) => sourceFiles(dir, /\.(ts|svelte)$/);

/** The top-level folder of src/ a path lies in ('' for src/ itself), or undefined outside src/. */
function folderOf(path: string): string | undefined {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(/[\\/]/);
  return parts.length === 1 ? '' : parts[0];
}

interface Edge {
  from: string;
  to: string;
  fromFolder: string;
  toFolder: string;
}

function edges(): Edge[] {
  return sources(SRC).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .flatMap((spec) => {
        const target = resolve(dirname(file), spec.replace(/\?.*$/, ''));
        const toFolder = folderOf(target);
        if (toFolder === undefined) return []; // shaders/, outside src/
        return [{ from: relative(SRC, file), to: relative(SRC, target), fromFolder: folderOf(file)!, toFolder }];
      }),
  );
}

/** An edge against the layering, or undefined when it goes the right way. */
function violation(e: Pick<Edge, 'fromFolder' | 'toFolder'>): string | undefined {
  const from = LAYER[e.fromFolder];
  const to = LAYER[e.toFolder];
  if (from === undefined || to === undefined) return `src/${from === undefined ? e.fromFolder : e.toFolder}/ has no place in the layering`;
  if (e.fromFolder === e.toFolder || to > from) return undefined;
  return to === from ? 'sideways, within one layer' : 'upwards';
}

describe('layering of src/', () => {
  it('reads the imports it judges', () => {
    expect(importsOf("import type { A } from '../a';\nexport { b } from './b';\nimport './c.css';\nconst w = new URL('../w.ts', import.meta.url);\nawait import('./d');")).toEqual(['../a', './b', './c.css', './d', '../w.ts']);
    const found = edges().map((e) => `${e.from} → ${e.to}`);
    expect(found).toContain('worker/generation-service.ts → model/kinora-model');
    expect(found).toContain('app/worker-client.ts → worker/worker.ts');
  });

  it('judges edges by their layers', () => {
    expect(violation({ fromFolder: 'app', toFolder: 'worker' })).toBeUndefined();
    expect(violation({ fromFolder: 'sampling', toFolder: 'gpu' })).toBeUndefined();
    expect(violation({ fromFolder: 'store', toFolder: 'worker' })).toBe('upwards');
    expect(violation({ fromFolder: 'video', toFolder: 'gpu' })).toBe('sideways, within one layer');
    expect(violation({ fromFolder: 'provenance', toFolder: 'video' })).toBeUndefined();
    expect(violation({ fromFolder: 'provenance', toFolder: 'sampling' })).toBe('sideways, within one layer');
    expect(violation({ fromFolder: 'video', toFolder: 'provenance' })).toBe('upwards');
    expect(violation({ fromFolder: 'plugins', toFolder: 'gpu' })).toMatch(/no place/);
  });

  it('has no edge against app → worker → model → sampling | provenance → gpu | video | store', () => {
    const wrong = edges().flatMap((e) => {
      const why = violation(e);
      return why ? [`${e.from} → ${e.to} (${why})`] : [];
    });
    expect(wrong).toEqual([]);
  });
});
