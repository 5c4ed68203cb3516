// Reads an image's format and pixel size from the first bytes of its file, without decoding it.
// A 10000×10000 PNG is a few hundred kilobytes on disk but 400 MB once decoded, so the size must
// be known and checked before the browser is asked to decode anything.

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  /** As stored; EXIF orientation may swap width and height when the picture is shown. */
  width: number;
  height: number;
}

/**
 * 'ok' with the header; 'unknown-format' when the bytes start like no PNG, JPEG or WebP;
 * 'need-more-bytes' when they start like one but the size lies beyond `bytes`
 * (a JPEG can carry large EXIF, ICC or thumbnail segments before its frame header).
 */
export type ImageHeaderResult =
  | { kind: 'ok'; header: ImageHeader }
  | { kind: 'unknown-format' }
  | { kind: 'need-more-bytes'; format: ImageFormat };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

export function readImageHeader(bytes: Uint8Array): ImageHeaderResult {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPng(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return readJpeg(bytes);
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return readWebp(bytes);
  return { kind: 'unknown-format' };
}

function readPng(bytes: Uint8Array): ImageHeaderResult {
  // Signature (8), then the IHDR chunk: length (4), "IHDR" (4), width (4, big-endian), height (4).
  if (bytes.length < 24) return { kind: 'need-more-bytes', format: 'png' };
  if (ascii(bytes, 12, 4) !== 'IHDR') return { kind: 'unknown-format' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return ok('png', view.getUint32(16), view.getUint32(20));
}

function readJpeg(bytes: Uint8Array): ImageHeaderResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { kind: 'unknown-format' };
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM and RST0–7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrameHeader) {
      // FFCx, length (2), precision (1), height (2), width (2).
      if (at + 9 > bytes.length) break;
      return ok('jpeg', view.getUint16(at + 7), view.getUint16(at + 5));
    }
    if (marker === 0xd9 || marker === 0xda) return { kind: 'unknown-format' }; // end or scan data before any frame header
    at += 2 + view.getUint16(at + 2);
  }
  return { kind: 'need-more-bytes', format: 'jpeg' };
}

function readWebp(bytes: Uint8Array): ImageHeaderResult {
  // "RIFF", size, "WEBP", then the first chunk's fourcc at 12 and its data at 20.
  if (bytes.length < 30) return { kind: 'need-more-bytes', format: 'webp' };
  const chunk = ascii(bytes, 12, 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (chunk === 'VP8 ') {
    // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (little-endian).
    if (!startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return { kind: 'unknown-format' };
    return ok('webp', view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    // Lossless: signature 0x2F, then width − 1 and height − 1 in 14 bits each.
    if (bytes[20] !== 0x2f) return { kind: 'unknown-format' };
    const bits = view.getUint32(21, true);
    return ok('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    // Extended: flags (4), then canvas width − 1 and height − 1 in 24 bits each.
    const width = (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)) + 1;
    const height = (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) + 1;
    return ok('webp', width, height);
  }
  return { kind: 'unknown-format' };
}

function ok(format: ImageFormat, width: number, height: number): ImageHeaderResult {
  return { kind: 'ok', header: { format, width, height } };
}
