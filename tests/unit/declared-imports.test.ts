// Every bare import in src/, scripts/ and tests/ names a package that package.json declares (or a
// Node built-in, or a module a declared plugin provides), so `npm ci` on a fresh machine brings all
// of them: a package that is only there because another one pulled it in may vanish on any upgrade.
// The Python side is models/tests/test_declared_imports.py.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../support/source-imports';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const DECLARED = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
/** Modules that no package on disk holds: a Vite plugin makes them at build time (its package is declared). */
const VIRTUAL: Record<string, string> = { 'virtual:pwa-register': 'vite-plugin-pwa' };

/** The package a bare specifier belongs to ('@scope/name/sub?url' → '@scope/name'), or undefined for a relative or absolute path. */
export function packageOf(specifier: string): string | undefined {
  if (/^[./]/.test(specifier) || specifier.startsWith('node:')) return undefined;
  const parts = specifier.replace(/\?.*$/, '').split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why a specifier is not covered by package.json, or undefined when it is. */
export function undeclared(specifier: string, declared: Set<string>): string | undefined {
  if (specifier.startsWith('node:')) return builtinModules.includes(specifier.slice(5)) ? undefined : 'no such Node built-in';
  if (specifier in VIRTUAL) return declared.has(VIRTUAL[specifier]) ? undefined : `${VIRTUAL[specifier]} is not declared`;
  const name = packageOf(specifier);
  if (name === undefined) return undefined;
  if (builtinModules.includes(name)) return undefined;
  return declared.has(name) ? undefined : `${name} is not in package.json`;
}

function allImports(): { file: string; specifier: string }[] {
  return ['src', 'scripts', 'tests'].flatMap((dir) =>
    sourceFiles(resolve(dir), /\.(ts|mts|js|mjs|svelte)$/).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).map((specifier) => ({ file, specifier })),
    ),
  );
}

describe('declared imports', () => {
  it('tells a package from a path', () => {
    expect(packageOf('@contentauth/c2pa-web/resources/c2pa.wasm?url')).toBe('@contentauth/c2pa-web');
    expect(packageOf('onnxruntime-web/wasm')).toBe('onnxruntime-web');
    expect(packageOf('./a')).toBeUndefined();
    expect(undeclared('left-pad', new Set(['vitest']))).toBe('left-pad is not in package.json');
    expect(undeclared('node:fs', new Set())).toBeUndefined();
    expect(undeclared('node:nope', new Set())).toBe('no such Node built-in');
    expect(undeclared('virtual:pwa-register', new Set())).toBe('vite-plugin-pwa is not declared');
  });

  it('finds every bare import of src/, scripts/ and tests/ in package.json', () => {
    const found = allImports();
    expect(found.length).toBeGreaterThan(200); // the walk reads the sources it judges
    expect(found.map((i) => i.specifier)).toContain('comlink');
    const wrong = found.flatMap(({ file, specifier }) => {
      const why = undeclared(specifier, DECLARED);
      return why ? [`${file.replace(resolve('.') + '/', '')}: '${specifier}': ${why}`] : [];
    });
    expect(wrong).toEqual([]);
  });
});
