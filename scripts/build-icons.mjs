// Draws Kinora's app icons as PNG (192 and 512 px) from the shapes of public/favicon.svg, for the
// web app manifest: Chromium wants raster icons of at least 144 px to offer installing the app.
// Usage: node scripts/build-icons.mjs   (writes public/icon-192.png and public/icon-512.png)
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BACKGROUND = [0x1d, 0x1b, 0x3a];
const TRIANGLE = [0xf4, 0xb8, 0x60];
const DOT = [0x7c, 0xc4, 0xff];

/** The favicon's colour at (x, y) in its 64-unit square: a triangle (22,16)-(22,48)-(50,32) and a dot at (19,45) r 6, on a full-bleed square (maskable). */
function colourAt(x, y) {
  if ((x - 19) ** 2 + (y - 45) ** 2 <= 36) return DOT;
  const inTriangle = x >= 22 && Math.abs(y - 32) <= (16 * (50 - x)) / 28;
  return inTriangle ? TRIANGLE : BACKGROUND;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0, then RGB
    for (let x = 0; x < size; x++) row.set(colourAt(((x + 0.5) * 64) / size, ((y + 0.5) * 64) / size), 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

for (const size of [192, 512]) writeFileSync(`public/icon-${size}.png`, png(size));
