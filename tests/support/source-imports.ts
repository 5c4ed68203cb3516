// Reading a source file's imports without running it: the module specifiers of static imports,
// re-exports, side-effect imports, dynamic import() and a worker's or asset's new URL(…, import.meta.url).
// Shared by the layering test and the declared-imports test, so both judge the same edges.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The module specifiers a source file's text imports, in the order of the patterns below. */
export function importsOf(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm, // static imports and re-exports
    /^\s*import\s*['"]([^'"]+)['"]/gm, // side-effect imports
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic import()
    /new URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g, // a worker's or asset's URL
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]));
}

/** Every file under dir (recursively) whose name matches the pattern, node_modules left out. */
export function sourceFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}
