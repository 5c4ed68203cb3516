// Runs a TypeScript script through Vite's module runner, so that command-line tools
// (bench, generate, eval) import our sources exactly as the app does, `?raw` WGSL included.
// Usage: node scripts/run-ts.mjs scripts/bench.ts [args...]
import { runnerImport } from 'vite';
import { resolve } from 'node:path';

const [, , script, ...args] = process.argv;
if (!script) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
const { module } = await runnerImport(resolve(script), { configFile: false, logLevel: 'error' });
if (typeof module.main === 'function') {
  const code = await module.main(args);
  process.exit(typeof code === 'number' ? code : 0);
}
