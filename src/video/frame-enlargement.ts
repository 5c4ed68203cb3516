// The enlargement a downloaded copy may ask for: 2× or 4×, with crisp pixels (nearest neighbour:
// each pixel a block, colours exact, what the player shows) or smooth (the browser's resampling).
// Kinora's frames are small (64 px a side for the shipped models), so a chat or a slide shows them
// blurred by its own scaling unless the file is larger already.
import { upscaleNearest } from './nearest-upscale';
import type { FrameSize, RgbaFrame } from './rgba-frame';
import { upscaleSmooth } from './smooth-upscale';

export const ENLARGEMENT_FACTORS = [1, 2, 4] as const;
export type EnlargementFactor = (typeof ENLARGEMENT_FACTORS)[number];
export type Resample = 'nearest' | 'smooth';

export interface Enlargement {
  factor: EnlargementFactor;
  resample: Resample;
}

export const AS_MADE: Enlargement = { factor: 1, resample: 'nearest' };

export function isEnlargement(value: unknown): value is Enlargement {
  const e = value as Enlargement;
  return typeof e === 'object' && e !== null && ENLARGEMENT_FACTORS.includes(e.factor) && (e.resample === 'nearest' || e.resample === 'smooth');
}

export function enlargedSize(size: FrameSize, enlargement: Enlargement): FrameSize {
  return { width: size.width * enlargement.factor, height: size.height * enlargement.factor };
}

export function enlargeFrame(frame: RgbaFrame, enlargement: Enlargement): RgbaFrame {
  return enlargement.resample === 'nearest' ? upscaleNearest(frame, enlargement.factor) : upscaleSmooth(frame, enlargement.factor);
}
