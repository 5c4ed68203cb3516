// The one frame format the video module speaks: 8-bit RGBA, rows top to bottom, no row padding.
// It is what ImageData holds, what VideoFrame accepts as format 'RGBA', and what the generator's
// decoded frames are converted to, so frames cross the worker boundary as plain transferable bytes.

export interface RgbaFrame {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes: R, G, B, A per pixel. */
  readonly data: Uint8ClampedArray | Uint8Array;
}

export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/** True when `size` is a whole number of pixels in each direction, at least one. */
export function isValidFrameSize(size: FrameSize): boolean {
  return Number.isInteger(size.width) && Number.isInteger(size.height) && size.width >= 1 && size.height >= 1;
}

/** True when the frame's byte length matches its stated size. */
export function hasRgbaLength(frame: RgbaFrame): boolean {
  return frame.data.length === frame.width * frame.height * 4;
}
