// Turns a user's image file (PNG, JPEG or WebP; any size, aspect, alpha or EXIF rotation) into an
// RGBA frame of the model's size, for image-to-video. The file's header is read first so a huge
// image is refused before the browser decodes it. Uses only createImageBitmap and OffscreenCanvas,
// so it runs in a Web Worker as well as on the main thread.
import { centreCropRect } from './centre-crop';
import { readImageHeader, type ImageHeader } from './image-header';
import { MediaInputError } from './media-errors';
import { isValidFrameSize, type FrameSize, type RgbaFrame } from './rgba-frame';

/** 50 megapixels (a 200 MB RGBA decode): above any phone camera's default, well below 10000×10000. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Browsers cap canvases and bitmaps near this side length. */
export const MAX_IMAGE_SIDE = 16_384;
/** Files larger than this are refused unread. */
export const MAX_IMAGE_FILE_BYTES = 200 * 1024 * 1024;
/** Enough for the header of almost every file; a JPEG with huge metadata is read whole. */
const HEADER_PROBE_BYTES = 256 * 1024;

export interface ImportedImage extends RgbaFrame {
  /** The file as found, before orientation, cropping and scaling. */
  source: ImageHeader;
}

export async function importImage(file: Blob, target: FrameSize): Promise<ImportedImage> {
  if (!isValidFrameSize(target)) {
    throw new MediaInputError('bad-request', `The target size must be whole pixels ≥ 1, not ${target.width}×${target.height}.`);
  }
  const header = await readCheckedHeader(file);

  let bitmap: ImageBitmap;
  try {
    // 'from-image' applies EXIF rotation; 'none' keeps colour exact where there is alpha.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  } catch (cause) {
    throw new MediaInputError(
      'corrupt-image',
      `This ${header.format.toUpperCase()} file looks damaged: the browser could not decode it. Try saving it again from an image editor.`,
      { cause },
    );
  }
  try {
    const canvas = new OffscreenCanvas(target.width, target.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('OffscreenCanvas has no 2D context');
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    const crop = centreCropRect(bitmap, target);
    context.drawImage(bitmap, crop.x, crop.y, crop.width, crop.height, 0, 0, target.width, target.height);
    const pixels = context.getImageData(0, 0, target.width, target.height);
    return { width: target.width, height: target.height, data: pixels.data, source: header };
  } finally {
    bitmap.close();
  }
}

async function readCheckedHeader(file: Blob): Promise<ImageHeader> {
  if (file.size === 0) throw new MediaInputError('empty-file', 'This file is empty (0 bytes). Choose the image again, or another one.');
  if (file.size > MAX_IMAGE_FILE_BYTES) {
    throw new MediaInputError(
      'image-too-large',
      `This file is ${Math.round(file.size / 2 ** 20)} MB; Kinora takes images up to ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MB. Make it smaller first.`,
    );
  }
  let result = readImageHeader(new Uint8Array(await file.slice(0, HEADER_PROBE_BYTES).arrayBuffer()));
  if (result.kind === 'need-more-bytes' && file.size > HEADER_PROBE_BYTES) {
    result = readImageHeader(new Uint8Array(await file.arrayBuffer()));
  }
  if (result.kind === 'unknown-format') {
    throw new MediaInputError('not-an-image', 'This file is not a PNG, JPEG or WebP image. Choose an image in one of those formats.');
  }
  if (result.kind === 'need-more-bytes') {
    throw new MediaInputError(
      'corrupt-image',
      `This ${result.format.toUpperCase()} file is cut short: its size is missing. Try saving it again from an image editor.`,
    );
  }
  const { header } = result;
  if (header.width === 0 || header.height === 0) {
    throw new MediaInputError('corrupt-image', `This ${header.format.toUpperCase()} file says it is ${header.width}×${header.height} pixels, which cannot be right.`);
  }
  if (header.width * header.height > MAX_IMAGE_PIXELS || Math.max(header.width, header.height) > MAX_IMAGE_SIDE) {
    throw new MediaInputError(
      'image-too-large',
      `This image is ${header.width}×${header.height} pixels; Kinora takes images up to ${MAX_IMAGE_PIXELS / 1e6} megapixels ` +
        `and ${MAX_IMAGE_SIDE} pixels a side. Scale it down first (the video is far smaller anyway).`,
    );
  }
  return header;
}
