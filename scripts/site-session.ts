// Opens the BUILT site in headless Chromium for the command-line tools (generate, eval): serves
// dist/ on a free loopback port, with the test models added (scripts/test-models.mjs: the tools
// and the tests that run them use tiny), launches Debian's Chromium with WebGPU (SwiftShader where
// there is no GPU), and waits for the page's automation door (src/app/automation.ts).
import http from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Browser, Page } from '@playwright/test';
import { launchChromium } from './chromium';
import { FileOffers } from './file-offers';
import { testModelHandler } from './test-models.mjs';

export interface SiteSession {
  page: Page;
  url: string;
  /** The URL at which the page can fetch a file of this machine, streamed from disk (file-offers.ts). */
  offerFile(path: string): string;
  close(): Promise<void>;
}

/** Serves a built site on a free loopback port as a plain host would (static files, no isolation headers), with the test models, and any file offered to the page. */
export async function serveDir(dir: string): Promise<{ url: string; offerFile(path: string): string; close(): void }> {
  const files = sirv(dir, { dev: true });
  const testModels = testModelHandler({ siteIndexPath: join(dir, 'models', 'index.json') });
  const offers = new FileOffers();
  const server = http.createServer((req, res) => offers.handle(req, res) || testModels(req, res) || files(req, res, () => void res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, offerFile: (path) => new URL(offers.offer(path), url).href, close: () => void server.close() };
}

export async function openSite(options: { build?: boolean } = {}): Promise<SiteSession> {
  // KINORA_SITE_DIR: a built site elsewhere than dist/ (an eval that must not see a rebuild of dist/
  // under way beside it; build it with `npx vite build --outDir <dir>`)
  const siteDir = process.env.KINORA_SITE_DIR ?? 'dist';
  if (options.build || !existsSync(`${siteDir}/index.html`)) {
    process.stderr.write(`Building the site (${siteDir}/)…\n`);
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', siteDir, '--emptyOutDir'], { stdio: 'inherit' });
  }
  const server = await serveDir(siteDir);
  const url = server.url;

  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    await page.goto(url);
    await page.waitForFunction(() => 'kinora' in globalThis, undefined, { timeout: 60_000 });
    const b = browser;
    return {
      page,
      url,
      offerFile: server.offerFile,
      close: async () => {
        await b.close();
        server.close();
      },
    };
  } catch (err) {
    await browser?.close();
    server.close();
    throw err;
  }
}
