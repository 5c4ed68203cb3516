// Writes RGBA frames into an MP4 file: WebCodecs' VideoEncoder compresses them (H.264, else VP9,
// else AV1, as encoder-choice.ts decides) and Mediabunny puts the packets and the provenance
// tags into the container. Frames are added one at a time so a long video is encoded while it is
// still being generated; it works the same in a Web Worker and on the main thread.
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import type { VideoCodecFamily } from './codec-strings';
import { chooseEncoder, type EncoderChoice } from './encoder-choice';
import { VideoEncodeError } from './media-errors';
import { upscaleNearest } from './nearest-upscale';
import { buildProvenance, provenanceTags, type GenerationFacts, type Provenance } from './provenance';
import { hasRgbaLength, type FrameSize, type RgbaFrame } from './rgba-frame';

export interface Mp4WriterOptions {
  /** The size of every frame that will be added. */
  frame: FrameSize;
  fps: number;
  generation: GenerationFacts;
  /** Codec families to try, best first; defaults to H.264, VP9, AV1. */
  codecs?: readonly VideoCodecFamily[];
}

export interface EncodedVideo {
  blob: Blob;
  choice: EncoderChoice;
  frameCount: number;
  provenance: Provenance;
}

/** A key frame every 2 s: seeking stays quick and a cut file loses at most 2 s. */
const KEY_FRAME_INTERVAL_SECONDS = 2;
/** Frames waiting in the encoder before addFrame waits: bounds memory when frames come faster than they encode. */
const MAX_ENCODE_QUEUE = 8;

export class Mp4VideoWriter {
  private frameCount = 0;
  private failure: unknown = null;
  /** Packets go to the muxer strictly in the order the encoder emits them. */
  private muxing: Promise<void> = Promise.resolve();

  private readonly encoder: VideoEncoder;

  private constructor(
    readonly choice: EncoderChoice,
    readonly provenance: Provenance,
    private readonly output: Output<Mp4OutputFormat, BufferTarget>,
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

  static async create(options: Mp4WriterOptions): Promise<Mp4VideoWriter> {
    if (typeof VideoEncoder === 'undefined' || typeof VideoFrame === 'undefined') {
      throw new VideoEncodeError(
        'no-webcodecs',
        'This browser has no WebCodecs video encoder, so it cannot save videos. Try a recent Chrome, Edge, Safari or Firefox.',
      );
    }
    const choice = await chooseEncoder(options.frame, options.fps, { families: options.codecs });
    const provenance = buildProvenance(options.generation, {
      codec: choice.codec,
      fps: choice.fps,
      frameWidth: choice.frame.width,
      frameHeight: choice.frame.height,
      upscale: choice.encoded.scale,
    });

    // 'in-memory' fast start puts the index (moov) before the media, so players start at once.
    const output = new Output({
      format: new Mp4OutputFormat({ fastStart: 'in-memory', metadataFormat: 'mdir' }),
      target: new BufferTarget(),
    });
    const source = new EncodedVideoPacketSource(choice.family);
    // frameRate makes Mediabunny snap timestamps to the frame grid and write an exact rate.
    output.addVideoTrack(source, { frameRate: choice.fps });
    output.setMetadataTags(provenanceTags(provenance));
    await output.start();
    return new Mp4VideoWriter(choice, provenance, output, source);
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
  async finish(): Promise<EncodedVideo> {
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
    if (!bytes) throw new VideoEncodeError('encoder-failed', 'The MP4 file came out empty.');
    return {
      blob: new Blob([bytes], { type: 'video/mp4' }),
      choice: this.choice,
      frameCount: this.frameCount,
      provenance: this.provenance,
    };
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

/** Encodes a whole sequence of frames into one MP4. */
export async function encodeMp4(frames: Iterable<RgbaFrame> | AsyncIterable<RgbaFrame>, options: Mp4WriterOptions): Promise<EncodedVideo> {
  const writer = await Mp4VideoWriter.create(options);
  try {
    for await (const frame of frames) await writer.addFrame(frame);
  } catch (e) {
    await writer.cancel();
    throw e;
  }
  return writer.finish();
}
