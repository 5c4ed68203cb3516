// Which pixel sizes to offer an encoder for a given frame size. Encoders want even sizes
// (4:2:0 chroma is subsampled 2×2), and some refuse tiny ones (Chromium's H.264 wants at least
// 16 px a side), so besides the frame's own size we offer one enlarged by a whole-number
// nearest-neighbour factor, never by a blurring resample.
import { isValidFrameSize, type FrameSize } from './rgba-frame';

/** The short side an enlarged fallback reaches at least: comfortably above every encoder's minimum. */
export const FALLBACK_MIN_SHORT_SIDE = 256;

/** Neither side of an encoded video is made larger than this by enlarging. */
export const MAX_ENLARGED_SIDE = 4096;

export interface EncodedSize extends FrameSize {
  /** Each frame pixel becomes a scale × scale block. */
  readonly scale: number;
}

/**
 * The sizes to try, best first: the frame's own size (doubled when a side is odd, the only
 * whole-number way to make it even), then, when that is small, an enlargement whose short side
 * reaches `minShortSide`.
 */
export function encodedSizeCandidates(frame: FrameSize, minShortSide = FALLBACK_MIN_SHORT_SIDE): EncodedSize[] {
  if (!isValidFrameSize(frame)) throw new RangeError(`frame size must be whole pixels ≥ 1, got ${frame.width}×${frame.height}`);
  const needsEvenFactor = frame.width % 2 === 1 || frame.height % 2 === 1;
  const nativeScale = needsEvenFactor ? 2 : 1;
  const sized = (scale: number): EncodedSize => ({ width: frame.width * scale, height: frame.height * scale, scale });

  const candidates = [sized(nativeScale)];
  const shortSide = Math.min(frame.width, frame.height);
  let enlargedScale = Math.max(nativeScale, Math.ceil(minShortSide / shortSide));
  if (needsEvenFactor && enlargedScale % 2 === 1) enlargedScale += 1;
  const longSide = Math.max(frame.width, frame.height);
  if (enlargedScale > nativeScale && longSide * enlargedScale <= MAX_ENLARGED_SIDE) candidates.push(sized(enlargedScale));
  return candidates;
}
