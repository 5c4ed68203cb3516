// Writes a generation's RGBA frames into an MP4 file with its provenance tags: the video file
// writer (video-file-writer.ts: WebCodecs, H.264, else VP9, else AV1, as encoder-choice.ts
// decides; Mediabunny's MP4 container) with the record of provenance.ts in its metadata. Frames
// are added one at a time so a long video is encoded while it is still being generated; it works
// the same in a Web Worker and on the main thread.
import type { VideoCodecFamily } from './codec-strings';
import type { EncoderChoice } from './encoder-choice';
import { buildProvenance, provenanceTags, type GenerationFacts, type Provenance } from './provenance';
import type { FrameSize, RgbaFrame } from './rgba-frame';
import { VideoFileWriter } from './video-file-writer';

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

export class Mp4VideoWriter {
  private constructor(
    private readonly file: VideoFileWriter,
    readonly provenance: Provenance,
  ) {}

  get choice(): EncoderChoice {
    return this.file.choice;
  }

  static async create(options: Mp4WriterOptions): Promise<Mp4VideoWriter> {
    // The record names the codec and size the encoder was given, so it is built once they are chosen.
    let provenance: Provenance | undefined;
    const file = await VideoFileWriter.create({
      container: 'mp4',
      frame: options.frame,
      fps: options.fps,
      codecs: options.codecs,
      tags: (choice) => {
        provenance = buildProvenance(options.generation, {
          codec: choice.codec,
          fps: choice.fps,
          frameWidth: choice.frame.width,
          frameHeight: choice.frame.height,
          upscale: choice.encoded.scale,
        });
        return provenanceTags(provenance);
      },
    });
    return new Mp4VideoWriter(file, provenance!);
  }

  /** Encodes the next frame; resolves when the encoder is ready for another. */
  addFrame(frame: RgbaFrame): Promise<void> {
    return this.file.addFrame(frame);
  }

  /** Flushes the encoder and closes the file. */
  async finish(): Promise<EncodedVideo> {
    const { blob, frameCount } = await this.file.finish();
    return { blob, choice: this.choice, frameCount, provenance: this.provenance };
  }

  /** Stops encoding and drops what was written. */
  cancel(): Promise<void> {
    return this.file.cancel();
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
