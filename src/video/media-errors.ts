// The errors the video module throws, each with a kind that code can branch on and a message
// written for the person who chose the file or asked for the video: what happened, what to do.
// (comlink carries only `name` and `message` across the worker boundary, so the message must
// stand on its own.)

/** Why a user's image or clip could not be read. */
export type MediaInputErrorKind =
  | 'empty-file'
  | 'not-an-image'
  | 'image-too-large'
  | 'corrupt-image'
  | 'not-a-video'
  | 'corrupt-video'
  | 'no-video-track'
  | 'unsupported-codec'
  | 'video-too-large'
  | 'bad-request';

export class MediaInputError extends Error {
  override readonly name = 'MediaInputError';
  /** The user's to fix: another file, not another try. */
  readonly userError = true;
  constructor(
    readonly kind: MediaInputErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a video could not be written. */
export type VideoEncodeErrorKind = 'no-webcodecs' | 'no-supported-codec' | 'bad-frame' | 'no-frames' | 'encoder-failed';

export class VideoEncodeError extends Error {
  override readonly name = 'VideoEncodeError';
  constructor(
    readonly kind: VideoEncodeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
