// Chooses the codec, codec string and encoded size for a video, by asking the browser's
// WebCodecs which configurations it can encode. H.264 first (it plays everywhere, Safari and
// every phone included), then VP9, then AV1; within a codec the frame's own size before an
// enlarged one, so frames are enlarged only when an encoder refuses their size.
import { codecStringsFor, type VideoCodecFamily } from './codec-strings';
import { encodedSizeCandidates, type EncodedSize } from './encoded-size';
import { VideoEncodeError } from './media-errors';
import { isValidFrameSize, type FrameSize } from './rgba-frame';

export const CODEC_PREFERENCE: readonly VideoCodecFamily[] = ['avc', 'vp9', 'av1'];

const FAMILY_NAMES: Record<VideoCodecFamily, string> = { avc: 'H.264', vp9: 'VP9', av1: 'AV1' };

/** Says whether this configuration can be encoded here; VideoEncoder.isConfigSupported in a browser. */
export type EncoderConfigCheck = (config: VideoEncoderConfig) => Promise<boolean>;

export interface EncoderChoice {
  family: VideoCodecFamily;
  /** The full WebCodecs codec string, profile and level included (e.g. "avc1.64000C"). */
  codec: string;
  /** The size of the frames given to the writer. */
  frame: FrameSize;
  /** The size actually encoded: frame × scale. */
  encoded: EncodedSize;
  fps: number;
  bitrate: number;
  config: VideoEncoderConfig;
}

/**
 * Bits per second for a stream: about 0.4 bit per pixel per frame, which keeps the small flat
 * scenes our model makes visually lossless, and at least 200 kbit/s because tiny frames need
 * a larger share per pixel. A 256×256 clip at 8 fps gets 210 kbit/s: 2 s is about 50 KB.
 */
export function targetBitrate(size: FrameSize, fps: number): number {
  return Math.round(Math.min(40_000_000, Math.max(200_000, size.width * size.height * fps * 0.4)));
}

/** VideoEncoder.isConfigSupported, treating a thrown TypeError (a malformed config) as "no". */
export const browserEncoderConfigCheck: EncoderConfigCheck = async (config) => {
  try {
    return (await VideoEncoder.isConfigSupported(config)).supported === true;
  } catch {
    return false;
  }
};

export function encoderConfig(codec: string, encoded: FrameSize, fps: number, bitrate: number): VideoEncoderConfig {
  return {
    codec,
    width: encoded.width,
    height: encoded.height,
    bitrate,
    framerate: fps,
    latencyMode: 'quality',
    // MP4 stores H.264 parameter sets once in the avcC box, which needs the 'avc' (length-prefixed) format.
    ...(codec.startsWith('avc1') ? { avc: { format: 'avc' as const } } : {}),
  };
}

export async function chooseEncoder(
  frame: FrameSize,
  fps: number,
  options: { families?: readonly VideoCodecFamily[]; isSupported?: EncoderConfigCheck } = {},
): Promise<EncoderChoice> {
  if (!isValidFrameSize(frame)) {
    throw new VideoEncodeError('bad-frame', `A video frame must be whole pixels, at least 1×1, not ${frame.width}×${frame.height}.`);
  }
  if (!(fps > 0 && fps <= 240)) throw new VideoEncodeError('bad-frame', `The frame rate must be between 0 and 240 fps, not ${fps}.`);
  const families = options.families ?? CODEC_PREFERENCE;
  const isSupported = options.isSupported ?? browserEncoderConfigCheck;
  const tried: string[] = [];
  for (const family of families) {
    for (const encoded of encodedSizeCandidates(frame)) {
      const bitrate = targetBitrate(encoded, fps);
      for (const codec of codecStringsFor(family, { width: encoded.width, height: encoded.height, fps, bitrate })) {
        const config = encoderConfig(codec, encoded, fps, bitrate);
        if (await isSupported(config)) return { family, codec, frame, encoded, fps, bitrate, config };
        tried.push(`${codec} ${encoded.width}×${encoded.height}`);
      }
    }
  }
  const names = families.map((f) => FAMILY_NAMES[f]).join(', ');
  throw new VideoEncodeError(
    'no-supported-codec',
    `This browser cannot encode a ${frame.width}×${frame.height} video at ${fps} fps with ${names} ` +
      `(tried ${tried.join(', ') || 'nothing that fits'}). Try a recent Chrome, Edge or Safari.`,
  );
}
