// The site's defences and its installability, as a browser meets them: the content-security
// policy still lets the app make a video, `npm start`'s server refuses to be framed and names its
// model files' type, and Chromium sees the app as installable, at the root and under a sub-path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { launchChromiumWithProfile } from '../../scripts/chromium';
import { PLAIN_HOST_URL, ROOT_URL, SUBPATH_URL } from './fixtures';

/** Collects the page's content-security-policy violations from the first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('under its content-security policy the app still makes a video, and an injected inline script does not run', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto(ROOT_URL);
  await expect(page.getByTestId('gpu-ready')).toBeVisible();
  const made = await page.evaluate(() =>
    (window as unknown as { kinora: { generate: (r: unknown) => Promise<{ frameCount: number }> } }).kinora
      .generate({ prompt: 'a red ball bounces', seconds: 0.5, aspect: '1:1', seed: 3, steps: 1, modelId: 'tiny', backend: 'wasm' })
      .then((r) => r.frameCount),
  );
  expect(made).toBe(4);
  expect(await violations()).toEqual([]);

  // The policy is in force: a script an attacker manages to insert inline is refused.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
  expect((await violations()).some((v) => v.startsWith('script-src'))).toBe(true);
});

test('a page of another site that frames Kinora gets nothing', async ({ page }) => {
  // A plain page on another origin (the other test server's 404 page), framing the app.
  await page.goto(`${PLAIN_HOST_URL}some-other-site/`);
  const refused = page.waitForEvent('console', { predicate: (m) => /frame-ancestors|Refused to (display|frame)/i.test(m.text()), timeout: 30_000 });
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
  }, ROOT_URL);
  await refused;
  await expect(page.frameLocator('iframe').getByTestId('prompt')).toHaveCount(0);
});

test("npm start's server sends nosniff, a referrer policy, no framing, and a content type for .onnx", async ({ request }) => {
  const page = await request.get(ROOT_URL);
  expect(page.headers()['x-content-type-options']).toBe('nosniff');
  expect(page.headers()['referrer-policy']).toBe('no-referrer');
  expect(page.headers()['content-security-policy']).toBe("frame-ancestors 'none'");
  const onnx = await request.head(`${ROOT_URL}models/tiny/dit.onnx`);
  expect(onnx.headers()['content-type']).toBe('application/octet-stream');
});

for (const [where, url] of [['at the root', ROOT_URL], ['under a sub-path', SUBPATH_URL]] as const) {
  test(`Chromium sees the app as installable ${where}, with its start and scope at the base path`, async () => {
    // A profile of its own: Chromium never offers to install from an incognito context (Playwright's default).
    const profile = mkdtempSync(join(tmpdir(), 'kinora-install-'));
    const context = await launchChromiumWithProfile(profile);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      await expect(page.getByTestId('gpu-ready')).toBeVisible();
      const cdp = await context.newCDPSession(page);
      await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId), { timeout: 30_000 }).toEqual([]);
      const manifest = await cdp.send('Page.getAppManifest');
      const parsed = JSON.parse(manifest.data ?? '{}') as { start_url: string; scope: string };
      expect(new URL(parsed.start_url, manifest.url).href).toBe(url);
      expect(new URL(parsed.scope, manifest.url).href).toBe(url);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}
