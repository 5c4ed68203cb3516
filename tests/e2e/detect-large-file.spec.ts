// `npm run detect` checks a file of any size the page can check (issue 24, defect 7): the file is
// streamed to the page from the tool's local server (scripts/file-offers.ts), not sent as one
// base64 string, which Node cannot even build past ~400 MB (ERR_STRING_TOO_LONG). The tool runs
// as a person runs it, on the built site, in its own headless Chromium.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';

/** Past the size whose base64 exceeds V8's longest string (2^29 − 24 characters). */
const LARGE_BYTES = 420 * 1024 * 1024;

/** A short ffmpeg clip followed by a `free` box (which MP4 readers skip) of zeros up to `bytes`, sparse on disk, so it costs no write. */
function largeMp4(dir: string, bytes: number): string {
  const path = join(dir, 'large.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=8:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path, '-y']);
  const clip = readFileSync(path);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(bytes - clip.length, 0);
  header.write('free', 4, 'latin1');
  const fd = openSync(path, 'a');
  writeSync(fd, header);
  closeSync(fd);
  truncateSync(path, bytes);
  return path;
}

test('npm run detect checks a 420 MB MP4, and still names a folder and a missing file', async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'kinora-detect-'));
  try {
    const large = largeMp4(dir, LARGE_BYTES);
    let stdout: string;
    let status = 0;
    try {
      stdout = execFileSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/detect.ts', large, dir, join(dir, 'missing.mp4')], { encoding: 'utf8', timeout: 150_000 });
    } catch (err) {
      const e = err as { stdout: string; status: number };
      stdout = e.stdout;
      status = e.status;
    }
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^"${large.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": No sign of Kinora \\(watermark score -?\\d`));
    expect(lines.slice(1)).toEqual([`"${dir}": error: is a folder, not a file`, `"${join(dir, 'missing.mp4')}": error: cannot be read (ENOENT)`]);
    expect(status).toBe(1); // two files could not be checked
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
