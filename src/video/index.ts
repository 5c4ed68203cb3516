// The video module's public face: write frames to an MP4 with provenance, read provenance back,
// and import a user's image or clip as frames. Everything here runs in a Web Worker or on the
// main thread alike (WebCodecs, OffscreenCanvas, Mediabunny; no DOM).
export { Mp4VideoWriter, encodeMp4, type Mp4WriterOptions, type EncodedVideo } from './mp4-video-writer';
export { chooseEncoder, CODEC_PREFERENCE, type EncoderChoice, type EncoderConfigCheck } from './encoder-choice';
export type { VideoCodecFamily } from './codec-strings';
export { readProvenance } from './read-provenance';
export {
  PROVENANCE_SCHEMA,
  GENERATOR_NAME,
  type Provenance,
  type GenerationFacts,
  type GenerationSettings,
  type ModelIdentity,
  type EncodingFacts,
} from './provenance';
export { importImage, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, type ImportedImage } from './image-import';
export { importClip, MAX_CLIP_PIXELS, type ClipImportOptions, type ImportedClip, type ClipFacts } from './clip-import';
export type { ClipEnd } from './clip-sample-times';
export { MediaInputError, VideoEncodeError, type MediaInputErrorKind, type VideoEncodeErrorKind } from './media-errors';
export type { RgbaFrame, FrameSize } from './rgba-frame';
