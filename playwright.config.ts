// End-to-end tests in Debian's Chromium with SwiftShader WebGPU (see ../shared/ENVIRONMENT.md):
// the BUILT site served by a plain static server, at the root and under a sub-path,
// and a Vite dev server that serves the in-browser kernel checks.
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const ROOT_URL = 'http://127.0.0.1:4173/';
export const SUBPATH_URL = 'http://127.0.0.1:4174/kinora/deep/path/';
export const KERNEL_PAGE_ORIGIN = 'http://127.0.0.1:5174';
const IN_BROWSER_LIBRARY_SPECS = /(kernels|model-cache|video)\.spec\.ts/;

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
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
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
    { command: 'node scripts/serve.mjs dist --port 4173', url: ROOT_URL, reuseExistingServer: false, timeout: 30_000 },
    // As plain static hosts serve it, with no headers: the service worker isolates the page (tests/e2e/isolation.spec.ts).
    { command: 'node scripts/serve.mjs dist --port 4174 --prefix /kinora/deep/path/ --no-isolation-headers', url: SUBPATH_URL, reuseExistingServer: false, timeout: 30_000 },
    { command: 'node scripts/serve.mjs dist --port 4175 --no-isolation-headers', url: 'http://127.0.0.1:4175/', reuseExistingServer: false, timeout: 30_000 },
    { command: 'npx vite --port 5174 --strictPort --host 127.0.0.1', url: `${KERNEL_PAGE_ORIGIN}/index.html`, reuseExistingServer: false, timeout: 60_000 },
  ],
});
