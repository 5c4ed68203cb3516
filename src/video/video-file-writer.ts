// Writes RGBA frames into a video file, MP4 or WebM: WebCodecs' VideoEncoder compresses them (in
// the first codec family of the container's list that this browser encodes, as encoder-choice.ts
// decides) and Mediabunny puts the packets and the metadata tags into the container. Frames are
// added one at a time so a long video is encoded while it is still being generated; it works the
// same in a Web Worker and on the main thread. What the tags say is the caller's (provenance.ts
// for the MP4 a generation writes, download-provenance.ts for a downloaded copy).
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output, WebMOutputFormat, type MetadataTags, type OutputFormat } from 'mediabunny';
import type { VideoCodecFamily } from './codec-strings';
import { CODEC_PREFERENCE, chooseEncoder, type EncoderChoice } from './encoder-choice';
import { VideoEncodeError } from './media-errors';
import { upscaleNearest } from './nearest-upscale';
import { hasRgbaLength, type FrameSize, type RgbaFrame } from './rgba-frame';

export type VideoContainer = 'mp4' | 'webm';

interface ContainerSpec {
  mimeType: string;
  /** The codec families the container takes, best first. */
  codecs: readonly VideoCodecFamily[];
  output(): OutputFormat;
}

const CONTAINERS: Record<VideoContainer, ContainerSpec> = {
  // 'in-memory' fast start puts the index (moov) before the media, so players start at once.
  mp4: { mimeType: 'video/mp4', codecs: CODEC_PREFERENCE, output: () => new Mp4OutputFormat({ fastStart: 'in-memory', metadataFormat: 'mdir' }) },
  // WebM holds VP8, VP9 and AV1 only: VP9 first (every browser with WebM decodes it), AV1 where VP9 cannot be encoded.
  webm: { mimeType: 'video/webm', codecs: ['vp9', 'av1'], output: () => new WebMOutputFormat() },
};

export interface VideoFileOptions {
  container: VideoContainer;
  /** The size of every frame that will be added. */
  frame: FrameSize;
  fps: number;
  /** Codec families to try, best first; defaults to the container's own list. */
  codecs?: readonly VideoCodecFamily[];
  /** The file's metadata tags, which may name the codec and size the encoder was given. */
  tags?: (choice: EncoderChoice) => MetadataTags;
}

/** A key frame every 2 s: seeking stays quick and a cut file loses at most 2 s. */
const KEY_FRAME_INTERVAL_SECONDS = 2;
/** Frames waiting in the encoder before addFrame waits: bounds memory when frames come faster than they encode. */
const MAX_ENCODE_QUEUE = 8;

export class VideoFileWriter {
  private frameCount = 0;
  private failure: unknown = null;
  /** Packets go to the muxer strictly in the order the encoder emits them. */
  private muxing: Promise<void> = Promise.resolve();

  private readonly encoder: VideoEncoder;

  private constructor(
    readonly choice: EncoderChoice,
    readonly mimeType: string,
    private readonly output: Output<OutputFormat, BufferTarget>,
    private readonly source: EncodedVideoPacketSource,
  ) {
    this.encoder = new VideoEncoder({
      output: (chunk, meta) => this.mux(chunk, meta),
      error: (e) => {
        this.failure ??= e;
      },
    });
    this.encoder.configure(choice.config);
  }

  static async create(options: VideoFileOptions): Promise<VideoFileWriter> {
    if (typeof VideoEncoder === 'undefined' || typeof VideoFrame === 'undefined') {
      throw new VideoEncodeError(
        'no-webcodecs',
        'This browser has no WebCodecs video encoder, so it cannot save videos. Try a recent Chrome, Edge, Safari or Firefox.',
      );
    }
    const container = CONTAINERS[options.container];
    const choice = await chooseEncoder(options.frame, options.fps, { families: options.codecs ?? container.codecs });
    const output = new Output({ format: container.output(), target: new BufferTarget() });
    const source = new EncodedVideoPacketSource(choice.family);
    // frameRate makes Mediabunny snap timestamps to the frame grid and write an exact rate.
    output.addVideoTrack(source, { frameRate: choice.fps });
    if (options.tags) output.setMetadataTags(options.tags(choice));
    await output.start();
    return new VideoFileWriter(choice, container.mimeType, output, source);
  }

  /** Encodes the next frame; resolves when the encoder is ready for another. */
  async addFrame(frame: RgbaFrame): Promise<void> {
    this.throwIfFailed();
    const expected = this.choice.frame;
    if (frame.width !== expected.width || frame.height !== expected.height || !hasRgbaLength(frame)) {
      throw new VideoEncodeError(
        'bad-frame',
        `Frame ${this.frameCount} is ${frame.width}×${frame.height} with ${frame.data.length} bytes; ` +
          `this video takes ${expected.width}×${expected.height} RGBA frames (${expected.width * expected.height * 4} bytes).`,
      );
    }
    const encoded = upscaleNearest(frame, this.choice.encoded.scale);
    const fps = this.choice.fps;
    const videoFrame = new VideoFrame(encoded.data, {
      format: 'RGBA',
      codedWidth: encoded.width,
      codedHeight: encoded.height,
      timestamp: Math.round((this.frameCount * 1e6) / fps),
      duration: Math.round(1e6 / fps),
    });
    try {
      const keyFrame = this.frameCount % Math.max(1, Math.round(KEY_FRAME_INTERVAL_SECONDS * fps)) === 0;
      this.encoder.encode(videoFrame, { keyFrame });
    } finally {
      videoFrame.close();
    }
    this.frameCount++;
    while (this.encoder.encodeQueueSize > MAX_ENCODE_QUEUE) {
      await new Promise((resolve) => this.encoder.addEventListener('dequeue', resolve, { once: true }));
    }
  }

  /** Flushes the encoder and closes the file. */
  async finish(): Promise<{ blob: Blob; frameCount: number }> {
    if (this.frameCount === 0) {
      await this.cancel();
      throw new VideoEncodeError('no-frames', 'The video has no frames, so there is nothing to save.');
    }
    try {
      await this.encoder.flush();
    } catch (e) {
      this.failure ??= e;
    }
    if (this.encoder.state !== 'closed') this.encoder.close();
    await this.muxing;
    if (this.failure !== null) {
      await this.cancel();
      this.throwIfFailed();
    }
    await this.output.finalize();
    const bytes = this.output.target.buffer;
    if (!bytes) throw new VideoEncodeError('encoder-failed', 'The video file came out empty.');
    return { blob: new Blob([bytes], { type: this.mimeType }), frameCount: this.frameCount };
  }

  /** Stops encoding and drops what was written. */
  async cancel(): Promise<void> {
    if (this.encoder.state !== 'closed') this.encoder.close();
    if (this.output.state !== 'canceled' && this.output.state !== 'finalized') await this.output.cancel();
  }

  private mux(chunk: EncodedVideoChunk, meta: EncodedVideoChunkMetadata | undefined): void {
    this.muxing = this.muxing
      .then(() => this.source.add(EncodedPacket.fromEncodedChunk(chunk), meta))
      .catch((e: unknown) => {
        this.failure ??= e;
      });
  }

  private throwIfFailed(): void {
    if (this.failure === null) return;
    const cause = this.failure;
    throw new VideoEncodeError(
      'encoder-failed',
      `The video encoder stopped: ${cause instanceof Error ? cause.message : String(cause)}. Try again; if it keeps failing, try a shorter or smaller video.`,
      { cause },
    );
  }
}
