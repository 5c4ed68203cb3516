// npm run detect -- file… [--details] [--build]
// Checks each file for signs that Kinora made it, with the BUILT site in headless Chromium — the
// studio's own check (src/provenance/detect.ts through window.kinora.check), so both answer alike.
// One line per file: "<file>": <answer>, the name quoted and escaped (quoted-name.ts). Exits 0
// when every file was checked (whatever the answer), 1 when any could not be (unreadable, not a
// video or image, undecodable), 2 for a usage error.
import { accessSync, constants, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import type { FileCheck } from '../src/provenance/detect';
import { openSite } from './site-session';
import { quotedName } from './quoted-name';

const USAGE = 'usage: npm run detect -- <video or image>… [--details] [--build]\n  (--details adds the C2PA facts and the watermark score under each line)';

/** Why the file cannot be read, or nothing when it can: the page is then given it by URL (file-offers.ts). */
function unreadable(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return 'is a folder, not a file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `cannot be read (${e.code ?? e.message})`;
  }
}

/**
 * Checks one file in the page; the page's error message when it cannot. The page fetches the file
 * from the tools' local server, streamed, so its size is bounded by what the page can check, not
 * by what fits in one string.
 */
async function checkInPage(page: Page, url: string): Promise<FileCheck | { error: string }> {
  try {
    return await page.evaluate(async (fileUrl) => {
      const response = await fetch(fileUrl);
      if (!response.ok) throw new Error(`cannot be read (${await response.text()})`);
      const kinora = (globalThis as unknown as { kinora: { check(f: Blob): Promise<FileCheck> } }).kinora;
      return kinora.check(await response.blob());
    }, url);
  } catch (err) {
    return { error: (err as Error).message.replace(/^page\.evaluate: /, '').replace(/^\w*Error: /, '').split('\n')[0] };
  }
}

/** The answer in one line, with the facts that matter most. */
export function summarise(check: FileCheck): string {
  const extra: string[] = [];
  if (check.signer) extra.push(check.signer === 'this-device' ? 'signature from this device' : 'signature from another device');
  if (check.facts?.modelId) extra.push(`model ${check.facts.modelId}`);
  if (check.facts?.mode) extra.push(`mode ${check.facts.mode}`);
  if (check.facts?.createdAt) extra.push(check.facts.createdAt);
  extra.push(`watermark score ${check.watermark.score.toFixed(1)}`);
  return `${check.headline} (${extra.join(', ')})`;
}

/** One line of the report: the file's name quoted and escaped (a name cannot forge a line), then what was found. */
export function reportLine(path: string, answer: string): string {
  return `${quotedName(path)}: ${answer}`;
}

export async function main(argv: string[]): Promise<number> {
  let values: { details?: boolean; build?: boolean };
  let files: string[];
  try {
    ({ values, positionals: files } = parseArgs({ args: argv, allowPositionals: true, options: { details: { type: 'boolean' }, build: { type: 'boolean' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    console.error(`Give at least one file to check.\n${USAGE}`);
    return 2;
  }
  let failures = 0;
  const site = await openSite({ build: values.build ?? false });
  try {
    for (const path of files) {
      const whyNot = unreadable(path);
      const check = whyNot ? { error: whyNot } : await checkInPage(site.page, site.offerFile(path));
      if ('error' in check) {
        failures++;
        console.log(reportLine(path, `error: ${check.error}`));
        continue;
      }
      console.log(reportLine(path, summarise(check)));
      if (values.details) for (const line of check.details) console.log(`    ${line}`);
    }
  } finally {
    await site.close();
  }
  return failures > 0 ? 1 : 0;
}
