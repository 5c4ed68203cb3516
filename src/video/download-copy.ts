// A finished video as another file to download: WebM (VP9, else AV1), an animated GIF, or an
// enlarged MP4, each made from the frames of Kinora's MP4 (decoded: the gallery keeps nothing
// else), enlarged if asked, with the MP4's provenance record in the copy's own metadata
// (download-provenance.ts). The invisible watermark is in the pixels and goes wherever they go;
// the C2PA manifest is the original file's and is not copied (a copy's bytes are not the ones it
// signed): Content Credentials for an enlarged MP4 are added by the download worker.
import { everyFrame } from './every-frame';
import { enlargedSize, enlargeFrame, type Enlargement } from './frame-enlargement';
import { clipPalette, GifWriter, paletteSample } from './gif-writer';
import { VideoEncodeError } from './media-errors';
import { copyProvenance, gifCopyComment, mp4CopyTags, webmCopyTags, type CopyFacts, type CopyProvenance, type DownloadFormat } from './download-provenance';
import type { EncodingFacts, Provenance } from './provenance';
import { readProvenance } from './read-provenance';
import type { FrameSize, RgbaFrame } from './rgba-frame';
import { VideoFileWriter } from './video-file-writer';

export interface CopyRequest {
  format: DownloadFormat;
  enlargement: Enlargement;
  /** The size the model made the frames at (the MP4 may hold them enlarged by its encoder). */
  frame: FrameSize;
  fps: number;
}

export interface DownloadCopy {
  blob: Blob;
  mimeType: string;
  frameCount: number;
  width: number;
  height: number;
  /** The record the copy carries; null when the original carried none. */
  provenance: CopyProvenance | null;
}

/** Every codec family is tried for the MP4 (as for the original), VP9 then AV1 for WebM (video-file-writer.ts). */
export async function makeCopy(video: Blob, request: CopyRequest): Promise<DownloadCopy> {
  const original = await readProvenance(video).catch(() => null);
  const facts: CopyFacts = { format: request.format, enlarged: { factor: request.enlargement.factor, resample: request.enlargement.resample } };
  const frames = everyFrame(video, request.frame);
  return request.format === 'gif'
    ? writeGif(frames, request, original, facts)
    : writeVideo(frames, request, request.format, original, facts);
}

async function writeVideo(
  frames: AsyncIterable<RgbaFrame>,
  request: CopyRequest,
  container: 'mp4' | 'webm',
  original: Provenance | null,
  facts: CopyFacts,
): Promise<DownloadCopy> {
  let record: CopyProvenance | null = null;
  const writer = await VideoFileWriter.create({
    container,
    frame: enlargedSize(request.frame, request.enlargement),
    fps: request.fps,
    tags: (choice) => {
      if (!original) return {};
      const encoding: EncodingFacts = { codec: choice.codec, fps: choice.fps, frameWidth: choice.frame.width, frameHeight: choice.frame.height, upscale: choice.encoded.scale };
      record = copyProvenance(original, encoding, facts);
      return container === 'mp4' ? mp4CopyTags(record) : webmCopyTags(record);
    },
  });
  try {
    for await (const frame of frames) await writer.addFrame(enlargeFrame(frame, request.enlargement));
  } catch (e) {
    await writer.cancel();
    throw e;
  }
  const { blob, frameCount } = await writer.finish();
  const { width, height } = writer.choice.encoded;
  return { blob, mimeType: writer.mimeType, frameCount, width, height, provenance: record };
}

async function writeGif(frames: AsyncIterable<RgbaFrame>, request: CopyRequest, original: Provenance | null, facts: CopyFacts): Promise<DownloadCopy> {
  // The palette comes before the first frame, so the frames are held at the model's size (small)
  // and enlarged one at a time as they are written.
  const made: RgbaFrame[] = [];
  for await (const frame of frames) made.push(frame);
  if (made.length === 0) throw new VideoEncodeError('no-frames', 'The video has no frames, so there is nothing to save.');
  const size = enlargedSize(request.frame, request.enlargement);
  const palette = clipPalette(paletteSample(made).map((f) => enlargeFrame(f, request.enlargement)));
  const writer = new GifWriter(size, palette, request.fps);
  for (const frame of made) writer.addFrame(enlargeFrame(frame, request.enlargement));
  const record = original
    ? copyProvenance(original, { codec: 'gif', fps: request.fps, frameWidth: size.width, frameHeight: size.height, upscale: 1 }, facts)
    : null;
  const { blob, frameCount } = writer.finish(record ? gifCopyComment(record) : undefined);
  return { blob, mimeType: 'image/gif', frameCount, ...size, provenance: record };
}
