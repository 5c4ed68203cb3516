// The layering of src/, kept true: app → worker → model → sampling | provenance → gpu | video | store.
// A file may import from its own folder and from the folders to its right, never from one to its
// left, nor across folders of one depth (sampling and provenance; the three at the bottom).
// provenance (C2PA signing and checking, the detector) sits above video because it reads MP4s. The imports are read from the sources themselves (static,
// re-exports, dynamic import() and the worker's new URL(…, import.meta.url)), .ts and .svelte.
import { existsSync, readFileSync, statSync } from 'node:fs';
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
        return [{ from: relative(SRC, file), to: relative(SRC, sourceFile(target)), fromFolder: folderOf(file)!, toFolder }];
      }),
  );
}

/** The file an import resolves to: the path itself, or with .ts, or its folder's index.ts. */
function sourceFile(target: string): string {
  for (const candidate of [target, `${target}.ts`, join(target, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return target;
}

/** The groups of files that import each other round in a circle (strongly connected, more than one file, or a file importing itself). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm: one depth-first walk, each file's lowest reachable index on the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
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
    expect(found).toContain('worker/generation-service.ts → model/kinora-model.ts');
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

describe('import cycles in src/', () => {
  it('finds a circle of files, type-only imports included, and nothing in a chain', () => {
    expect(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(importCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
    expect(importCycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(importsOf("import type { ModelSource } from './model-source';")).toEqual(['./model-source']);
  });

  it('has none: every file can be read without the ones that read it', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges()) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    expect(graph.get('model/kinora-model.ts')).toContain('model/generate-frames.ts'); // the edges resolve to files
    expect(importCycles(graph)).toEqual([]);
  });
});
