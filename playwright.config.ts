// End-to-end tests in Debian's Chromium with SwiftShader WebGPU (docs/machines-without-gpu.md):
// the BUILT site served by a plain static server, at the root and under a sub-path, with the test
// models added (serve.mjs --test-models: they are not in the build), and a Vite dev server that
// serves the in-browser kernel checks.
// CHROMIUM_PATH names another Chromium to run them in (default: Debian's /usr/bin/chromium).
import { createServer, type Server } from 'node:net';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './scripts/chromium';

/** `count` TCP ports free on 127.0.0.1 right now, all different (the OS picks them). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

// The test servers listen on ports of their own, chosen when the run starts, so `npm test` runs
// beside `npm start` (4173) or any other server, and never stops or reuses one it did not start.
// The runner chooses them once; its worker processes inherit the environment, so all agree.
process.env.KINORA_E2E_PORTS ||= (await freePorts(4)).join(',');
const [ROOT_PORT, SUBPATH_PORT, PLAIN_HOST_PORT, KERNEL_PAGE_PORT] = process.env.KINORA_E2E_PORTS.split(',').map(Number);


export const ROOT_URL = `http://127.0.0.1:${ROOT_PORT}/`;
export const SUBPATH_URL = `http://127.0.0.1:${SUBPATH_PORT}/kinora/deep/path/`;
/** A second copy of the site on the same origin as SUBPATH_URL, under another sub-path. */
export const OTHER_SUBPATH_URL = `http://127.0.0.1:${SUBPATH_PORT}/kinora/other/`;
/** The built site as a host that sends no isolation headers serves it. */
export const PLAIN_HOST_URL = `http://127.0.0.1:${PLAIN_HOST_PORT}/`;
export const KERNEL_PAGE_ORIGIN = `http://127.0.0.1:${KERNEL_PAGE_PORT}`;
const IN_BROWSER_LIBRARY_SPECS = /(kernels|model-cache|video|c2pa)\.spec\.ts/;

export default defineConfig({
  testDir: 'tests/e2e',
  // Two cores and a CPU-emulated GPU: one browser at a time keeps timings sane.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'app', testIgnore: IN_BROWSER_LIBRARY_SPECS, use: { baseURL: ROOT_URL } },
    // Library checks in a real browser (kernels, model cache, video): pages under tests/browser/
    // served by a Vite dev server, since the built site contains no test pages.
    { name: 'kernels-in-browser', testMatch: IN_BROWSER_LIBRARY_SPECS, use: { baseURL: KERNEL_PAGE_ORIGIN } },
  ],
  webServer: [
    // As `npm start` serves it: with COOP/COEP headers, so isolated from the first load.
    { command: `node scripts/serve.mjs dist --port ${ROOT_PORT} --test-models`, url: ROOT_URL, reuseExistingServer: false, timeout: 30_000 },
    // As plain static hosts serve it, with no headers: the service worker isolates the page (tests/e2e/isolation.spec.ts).
    { command: `node scripts/serve.mjs dist --port ${SUBPATH_PORT} --prefix /kinora/deep/path/ --prefix /kinora/other/ --no-isolation-headers --test-models`, url: SUBPATH_URL, reuseExistingServer: false, timeout: 30_000 },
    { command: `node scripts/serve.mjs dist --port ${PLAIN_HOST_PORT} --no-isolation-headers --test-models`, url: PLAIN_HOST_URL, reuseExistingServer: false, timeout: 30_000 },
    { command: `npx vite --port ${KERNEL_PAGE_PORT} --strictPort --host 127.0.0.1`, url: `${KERNEL_PAGE_ORIGIN}/index.html`, reuseExistingServer: false, timeout: 60_000 },
  ],
});
