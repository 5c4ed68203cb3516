// What image and clip import decide before decoding anything: an image's format and size from
// its first bytes, the centre crop to the model's aspect, and which clip timestamps to take.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centreCropRect } from '../../src/video/centre-crop';
import { clipSampleTimes } from '../../src/video/clip-sample-times';
import { readImageHeader } from '../../src/video/image-header';

const scratch = mkdtempSync(join(tmpdir(), 'kinora-image-header-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A real image file written by FFmpeg (installed with the test dependencies). */
function imageByFfmpeg(name: string, width: number, height: number, codecArgs: string[]): Uint8Array {
  const file = join(scratch, name);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:duration=1`, '-frames:v', '1', ...codecArgs, '-y', file]);
  return new Uint8Array(readFileSync(file));
}

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));
const u16be = (n: number) => [n >> 8, n & 0xff];

describe('readImageHeader', () => {
  it('reads real PNG, JPEG and WebP (lossy and lossless) files', () => {
    expect(readImageHeader(imageByFfmpeg('a.png', 321, 123, []))).toEqual({ kind: 'ok', header: { format: 'png', width: 321, height: 123 } });
    expect(readImageHeader(imageByFfmpeg('a.jpg', 320, 122, []))).toEqual({ kind: 'ok', header: { format: 'jpeg', width: 320, height: 122 } });
    expect(readImageHeader(imageByFfmpeg('a.webp', 322, 124, ['-c:v', 'libwebp']))).toEqual({ kind: 'ok', header: { format: 'webp', width: 322, height: 124 } });
    expect(readImageHeader(imageByFfmpeg('b.webp', 323, 125, ['-c:v', 'libwebp', '-lossless', '1']))).toEqual({
      kind: 'ok',
      header: { format: 'webp', width: 323, height: 125 },
    });
  });

  it('reads a 10000×10000 PNG size from its first 24 bytes', () => {
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR', [0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10]);
    expect(readImageHeader(png)).toEqual({ kind: 'ok', header: { format: 'png', width: 10000, height: 10000 } });
  });

  it('skips JPEG segments (APP, DHT, fill bytes) to reach the frame header', () => {
    const jpeg = bytes(
      [0xff, 0xd8],
      [0xff, 0xe1, ...u16be(6), 1, 2, 3, 4], // APP1 (EXIF) with 4 bytes of data
      [0xff, 0xc4, ...u16be(3), 0], // DHT: its marker C4 is not a frame header
      [0xff, 0xff], // a fill byte before the next marker
      [0xc2, ...u16be(17), 8, ...u16be(480), ...u16be(640), 3], // SOF2 (progressive)
    );
    expect(readImageHeader(jpeg)).toEqual({ kind: 'ok', header: { format: 'jpeg', width: 640, height: 480 } });
  });

  it('asks for more bytes when a JPEG frame header lies beyond them', () => {
    const jpeg = bytes([0xff, 0xd8], [0xff, 0xe1, ...u16be(60000)], new Array(100).fill(0));
    expect(readImageHeader(jpeg)).toEqual({ kind: 'need-more-bytes', format: 'jpeg' });
    expect(readImageHeader(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toEqual({ kind: 'need-more-bytes', format: 'png' });
  });

  it('reads the canvas size of an extended (VP8X) WebP', () => {
    const webp = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', [10, 0, 0, 0], [0x10, 0, 0, 0], [0x0f, 0x27, 0], [0x37, 0x04, 0]);
    expect(readImageHeader(webp)).toEqual({ kind: 'ok', header: { format: 'webp', width: 10000, height: 1080 } });
  });

  it('does not recognise other files', () => {
    expect(readImageHeader(bytes('GIF89a', [1, 0, 1, 0]))).toEqual({ kind: 'unknown-format' });
    expect(readImageHeader(bytes('hello, this is text'))).toEqual({ kind: 'unknown-format' });
    expect(readImageHeader(new Uint8Array(0))).toEqual({ kind: 'unknown-format' });
  });
});

describe('centreCropRect', () => {
  it('cuts the sides of a wider picture and the top and bottom of a taller one', () => {
    expect(centreCropRect({ width: 300, height: 150 }, { width: 64, height: 64 })).toEqual({ x: 75, y: 0, width: 150, height: 150 });
    const tall = centreCropRect({ width: 100, height: 400 }, { width: 112, height: 64 });
    expect(tall.x).toBe(0);
    expect(tall.width).toBe(100);
    expect(tall.height).toBeCloseTo((100 * 64) / 112, 9);
    expect(tall.y).toBeCloseTo((400 - tall.height) / 2, 9);
    expect(centreCropRect({ width: 640, height: 360 }, { width: 112, height: 63 })).toEqual({ x: 0, y: 0, width: 640, height: 360 });
  });
});

describe('clipSampleTimes', () => {
  it('takes frames from the start at the model rate', () => {
    expect(clipSampleTimes(0, 2, 4, 3, 'start')).toEqual([0, 0.25, 0.5]);
    expect(clipSampleTimes(1, 3, 8, 2, 'start')).toEqual([1, 1.125]);
  });

  it('takes the last frames, ending one frame before the end', () => {
    expect(clipSampleTimes(0, 2, 8, 4, 'end')).toEqual([1.5, 1.625, 1.75, 1.875]);
  });

  it('takes no more frames than the clip holds, and at least one', () => {
    expect(clipSampleTimes(0, 2, 8, 100, 'start')).toHaveLength(16);
    expect(clipSampleTimes(0, 2, 8, 100, 'end')[0]).toBe(0);
    expect(clipSampleTimes(0, 0.05, 8, 4, 'end')).toEqual([0]);
  });

  it('refuses a frame rate or count that makes no sense', () => {
    expect(() => clipSampleTimes(0, 2, 0, 4, 'start')).toThrow(RangeError);
    expect(() => clipSampleTimes(0, 2, 8, 0, 'start')).toThrow(RangeError);
  });
});
