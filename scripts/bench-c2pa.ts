// What C2PA Content Credentials cost: `node scripts/run-ts.mjs scripts/bench-c2pa.ts [--reps N]`.
// In headless Chromium, through tests/browser/c2pa.ts (served by a Vite dev server on a free
// port): for each size the studio writes, a 2-s clip (16 frames at 8 fps) is encoded and then
// signed N times in a module Web Worker as the app's generation worker does. Prints, per size,
// the MP4's bytes before and after and the milliseconds signMp4 took: the first signature of
// the page (it starts the SDK — fetch and compile its 8 MB wasm, start its worker — and makes the
// device key on a fresh profile) and the median of the rest; and how long verifyC2pa takes.
// A 60-s clip shows how the cost grows with the file (the SDK hashes every byte). Then, in the
// BUILT site (built if missing) through the automation door, N real 2-s videos of the `tiny`
// model in one page: what the generation worker reports for each (GenerateResult.contentCredentials).
// Not a test: nothing here asserts.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { launchChromium } from './chromium';
import type { C2paChecksApi } from '../tests/browser/c2pa';
import { generateInPage } from './page-generate';
import { openSite } from './site-session';

const SIZES: { label: string; width: number; height: number; frames: number }[] = [
  { label: '1:1, 2 s', width: 64, height: 64, frames: 16 },
  { label: '16:9, 2 s', width: 112, height: 64, frames: 16 },
  { label: '9:16, 2 s', width: 64, height: 112, frames: 16 },
  { label: 'v2 128 px, 2 s', width: 128, height: 128, frames: 16 },
  { label: '16:9, 60 s', width: 112, height: 64, frames: 480 },
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function main(args: string[]): Promise<number> {
  const repsAt = args.indexOf('--reps');
  const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 5;
  if (!Number.isInteger(reps) || reps < 2) throw new Error('--reps takes a whole number of at least 2 (the first signature starts the SDK).');

  const port = await freePort();
  const vite = spawn('npx', ['vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  const browser = await launchChromium();
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitFor(`${origin}/tests/browser/c2pa.html`, 60_000);
    const page = await browser.newPage();
    await page.goto(`${origin}/tests/browser/c2pa.html`);
    await page.waitForFunction(() => 'kinoraC2paChecks' in globalThis, undefined, { timeout: 120_000 });
    const sign = (size: (typeof SIZES)[number]) =>
      page.evaluate(
        (s) => (globalThis as unknown as { kinoraC2paChecks: C2paChecksApi }).kinoraC2paChecks.inWorker('makeSigned', { promptInFile: false, as: 'this-device', width: s.width, height: s.height, frameCount: s.frames }),
        size,
      );
    const verify = (mp4: string) => page.evaluate((m) => (globalThis as unknown as { kinoraC2paChecks: C2paChecksApi }).kinoraC2paChecks.checks.timeVerify({ mp4: m }), mp4);

    const rows: string[][] = [];
    let firstOfPage: number | undefined;
    for (const size of SIZES) {
      const times: number[] = [];
      let unsignedBytes = 0;
      let signedBytes = 0;
      let lastSigned = '';
      for (let i = 0; i < reps; i++) {
        const clip = await sign(size);
        if (!clip.warmSdk) firstOfPage = clip.signMs;
        else times.push(clip.signMs);
        unsignedBytes = Buffer.from(clip.unsigned, 'base64').length;
        signedBytes = Buffer.from(clip.signed, 'base64').length;
        lastSigned = clip.signed;
      }
      const verifyMs: number[] = [];
      for (let i = 0; i < reps; i++) {
        const v = await verify(lastSigned);
        if (v.state !== 'valid') throw new Error(`verifyC2pa said ${v.state} for a file it signed`);
        verifyMs.push(v.ms);
      }
      rows.push([
        `${size.label} (${size.width}×${size.height}, ${size.frames} frames)`,
        String(unsignedBytes),
        String(signedBytes),
        `+${signedBytes - unsignedBytes} (${((100 * (signedBytes - unsignedBytes)) / unsignedBytes).toFixed(0)} %)`,
        median(times).toFixed(1),
        median(verifyMs).toFixed(1),
      ]);
    }
    const head = ['clip', 'MP4 bytes', 'signed bytes', 'bytes added', 'sign ms (median)', 'verify ms (median)'];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));
    console.log(`\nThe page's first signature, which starts the SDK and makes the device key: ${firstOfPage?.toFixed(0)} ms. Medians over ${reps - 1}–${reps} signatures in a module worker and ${reps} checks on the page; Chromium ${browser.version()}.`);
  } finally {
    await browser.close();
    vite.kill();
  }

  // The app itself: real 2-s videos, signed by the generation worker.
  const site = await openSite();
  try {
    console.log('\n| studio video (tiny, 2 s, 64×64) | MP4 bytes | bytes added by C2PA | sign ms |');
    console.log('|---|---|---|---|');
    for (let i = 0; i < reps; i++) {
      const made = await generateInPage(site.page, { prompt: 'a red ball bounces on the grass', seconds: 2, aspect: '1:1', steps: 4, seed: 100 + i, modelId: 'tiny', backend: 'wasm' });
      const c = made.contentCredentials;
      if (c?.state !== 'signed') throw new Error(`The studio's video was not signed: ${c?.reason ?? 'no outcome'}`);
      console.log(`| ${i === 0 ? '1st of the page (SDK and key started as the frames began)' : `${i + 1}.`} | ${made.videoBytes} | ${c.bytesAdded} | ${c.signMs.toFixed(0)} |`);
    }
  } finally {
    await site.close();
  }
  return 0;
}
