// WebCodecs codec strings for H.264, VP9 and AV1 at the lowest level that fits a stream.
// A level caps picture size, pixel rate and bitrate; encoders refuse a stream that exceeds the
// level they were asked for (Chromium rejects 256×256 at H.264 level 1.0), and decoders on small
// devices refuse files whose level is higher than they can play, so we ask for the least we need.

export type VideoCodecFamily = 'avc' | 'vp9' | 'av1';

export interface StreamShape {
  readonly width: number;
  readonly height: number;
  /** Frames per second. */
  readonly fps: number;
  /** Bits per second. */
  readonly bitrate: number;
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
const dec2 = (n: number) => n.toString().padStart(2, '0');

// H.264 (ITU-T H.264 Table A-1): level_idc, max macroblocks per second, max frame size in
// macroblocks, max bitrate in kbit/s for Baseline/Main (High allows 1.25×). Level 1b is skipped.
const AVC_LEVELS: readonly (readonly [levelIdc: number, maxMbPerSecond: number, maxFrameMbs: number, maxKbps: number])[] = [
  [10, 1485, 99, 64],
  [11, 3000, 396, 192],
  [12, 6000, 396, 384],
  [13, 11880, 396, 768],
  [20, 11880, 396, 2000],
  [21, 19800, 792, 4000],
  [22, 20250, 1620, 4000],
  [30, 40500, 1620, 10000],
  [31, 108000, 3600, 14000],
  [32, 216000, 5120, 20000],
  [40, 245760, 8192, 20000],
  [41, 245760, 8192, 50000],
  [42, 522240, 8704, 50000],
  [50, 589824, 22080, 135000],
  [51, 983040, 36864, 240000],
  [52, 2073600, 36864, 240000],
  [60, 4177920, 139264, 240000],
  [61, 8355840, 139264, 480000],
  [62, 16711680, 139264, 800000],
];

// profile_idc + constraint byte, best first. High compresses best and every browser and phone
// of the last decade decodes it; Constrained Baseline is the floor that every H.264 decoder has.
const AVC_PROFILES = [
  { name: 'High', prefix: '6400', bitrateFactor: 1.25 },
  { name: 'Main', prefix: '4D00', bitrateFactor: 1 },
  { name: 'Constrained Baseline', prefix: '42E0', bitrateFactor: 1 },
] as const;

/** The lowest H.264 level_idc that fits, or null when even level 6.2 does not. */
export function avcLevel(shape: StreamShape, bitrateFactor = 1): number | null {
  const widthMbs = Math.ceil(shape.width / 16);
  const heightMbs = Math.ceil(shape.height / 16);
  const frameMbs = widthMbs * heightMbs;
  for (const [levelIdc, maxMbPerSecond, maxFrameMbs, maxKbps] of AVC_LEVELS) {
    // A.3.1: neither side may exceed sqrt(8 × MaxFS) macroblocks.
    const maxSideMbs = Math.sqrt(8 * maxFrameMbs);
    if (
      frameMbs <= maxFrameMbs &&
      widthMbs <= maxSideMbs &&
      heightMbs <= maxSideMbs &&
      frameMbs * shape.fps <= maxMbPerSecond &&
      shape.bitrate <= maxKbps * 1000 * bitrateFactor
    ) {
      return levelIdc;
    }
  }
  return null;
}

/** avc1 strings, one per profile, best first; empty when the stream exceeds every level. */
export function avcCodecStrings(shape: StreamShape): string[] {
  return AVC_PROFILES.flatMap(({ prefix, bitrateFactor }) => {
    const level = avcLevel(shape, bitrateFactor);
    return level === null ? [] : [`avc1.${prefix}${hex2(level)}`];
  });
}

// VP9 (WebM Project, "VP9 Levels and Decoder Testing"): level, max luma picture size,
// max luma samples per second, max bitrate in kbit/s.
const VP9_LEVELS: readonly (readonly [level: number, maxPictureSize: number, maxSampleRate: number, maxKbps: number])[] = [
  [10, 36864, 829440, 200],
  [11, 73728, 2764800, 800],
  [20, 122880, 4608000, 1800],
  [21, 245760, 9216000, 3600],
  [30, 552960, 20736000, 7200],
  [31, 983040, 36864000, 12000],
  [40, 2228224, 83558400, 18000],
  [41, 2228224, 160432128, 30000],
  [50, 8912896, 311951360, 60000],
  [51, 8912896, 588251136, 120000],
  [52, 8912896, 1176502272, 180000],
  [60, 35651584, 1176502272, 180000],
  [61, 35651584, 2353004544, 240000],
  [62, 35651584, 4706009088, 480000],
];

/** vp09 string (profile 0, 8-bit) at the lowest level that fits, or null. */
export function vp9CodecString(shape: StreamShape): string | null {
  const pictureSize = shape.width * shape.height;
  for (const [level, maxPictureSize, maxSampleRate, maxKbps] of VP9_LEVELS) {
    if (pictureSize <= maxPictureSize && pictureSize * shape.fps <= maxSampleRate && shape.bitrate <= maxKbps * 1000) {
      return `vp09.00.${dec2(level)}.08`;
    }
  }
  return null;
}

// AV1 (AV1 spec Annex A.3, Main tier): seq_level_idx, max picture size, max width, max height,
// max display rate (samples per second), max bitrate in Mbit/s.
const AV1_LEVELS: readonly (readonly [
  seqLevelIdx: number,
  maxPictureSize: number,
  maxWidth: number,
  maxHeight: number,
  maxDisplayRate: number,
  maxMbps: number,
])[] = [
  [0, 147456, 2048, 1152, 4423680, 1.5],
  [1, 278784, 2816, 1584, 8363520, 3],
  [4, 665856, 4352, 2448, 19975680, 6],
  [5, 1065024, 5504, 3096, 31950720, 10],
  [8, 2359296, 6144, 3456, 70778880, 12],
  [9, 2359296, 6144, 3456, 141557760, 20],
  [12, 8912896, 8192, 4352, 267386880, 30],
  [13, 8912896, 8192, 4352, 534773760, 40],
  [14, 8912896, 8192, 4352, 1069547520, 60],
  [16, 35651584, 16384, 8704, 1069547520, 60],
  [17, 35651584, 16384, 8704, 2139095040, 100],
  [18, 35651584, 16384, 8704, 4278190080, 160],
];

/** av01 string (Main profile, Main tier, 8-bit) at the lowest level that fits, or null. */
export function av1CodecString(shape: StreamShape): string | null {
  const pictureSize = shape.width * shape.height;
  for (const [seqLevelIdx, maxPictureSize, maxWidth, maxHeight, maxDisplayRate, maxMbps] of AV1_LEVELS) {
    if (
      pictureSize <= maxPictureSize &&
      shape.width <= maxWidth &&
      shape.height <= maxHeight &&
      pictureSize * shape.fps <= maxDisplayRate &&
      shape.bitrate <= maxMbps * 1e6
    ) {
      return `av01.0.${dec2(seqLevelIdx)}M.08`;
    }
  }
  return null;
}

/** Every codec string worth asking the encoder about for this family, best first. */
export function codecStringsFor(family: VideoCodecFamily, shape: StreamShape): string[] {
  switch (family) {
    case 'avc':
      return avcCodecStrings(shape);
    case 'vp9':
      return [vp9CodecString(shape)].filter((s): s is string => s !== null);
    case 'av1':
      return [av1CodecString(shape)].filter((s): s is string => s !== null);
  }
}
