// The kernels on a real browser: opens tests/browser/kernels.html (served by the Vite dev server
// of the `kernels-in-browser` project) in Chromium with SwiftShader WebGPU, which runs the matmul
// and attention kernels (and a few small ones) against their CPU references in the page.
import { expect, test } from '@playwright/test';
import type { KernelResults } from '../browser/kernel-checks';

test('WGSL matmul and attention match the CPU references in Chromium', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto('/tests/browser/kernels.html');
  await page.waitForFunction(() => window.__kernelResults?.done === true, null, { timeout: 170_000 });
  const results = (await page.evaluate(() => window.__kernelResults)) as KernelResults;
  expect(pageErrors).toEqual([]);
  expect(results.error).toBeUndefined();
  expect(results.adapter).toBeTruthy();
  const names = results.checks.map((c) => c.name);
  expect(names.some((n) => n.startsWith('matmul'))).toBe(true);
  expect(names.some((n) => n.startsWith('attention'))).toBe(true);
  for (const check of results.checks) {
    expect(check, `${check.name}: max |err| ${check.maxAbs} (tolerance ${check.tolerance})`).toMatchObject({ ok: true, nonFinite: 0 });
  }
});
