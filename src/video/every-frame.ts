// Every frame of a video, in order, as RGBA of a given size: what a downloaded copy in another
// format is made from. The gallery keeps a video as its MP4 only, so a copy decodes it (Mediabunny
// reads the container, WebCodecs decodes) rather than asking the generator for frames it no longer
// has. Given the model's frame size, an MP4 whose frames the encoder had to enlarge comes back at
// the size the model made. Runs in a Web Worker as well as on the main thread.
import { BlobSource, CanvasSink, Input } from 'mediabunny';
import { openVideoTrack, VIDEO_FORMATS } from './clip-import';
import { MediaInputError } from './media-errors';
import { isValidFrameSize, type FrameSize, type RgbaFrame } from './rgba-frame';

export async function* everyFrame(file: Blob, size: FrameSize): AsyncGenerator<RgbaFrame> {
  if (!isValidFrameSize(size)) throw new MediaInputError('bad-request', `Cannot read frames of ${size.width}×${size.height} from a video.`);
  if (file.size === 0) throw new MediaInputError('empty-file', 'This video is empty (0 bytes), so it has no frames to copy.');
  const input = new Input({ source: new BlobSource(file), formats: VIDEO_FORMATS });
  try {
    const track = await openVideoTrack(input);
    const sink = new CanvasSink(track, { width: size.width, height: size.height, fit: 'fill' });
    let decoded = 0;
    try {
      for await (const { canvas } of sink.canvases()) {
        const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
        if (!context) throw new Error('the decoded frame has no 2D context');
        decoded++;
        yield { width: size.width, height: size.height, data: context.getImageData(0, 0, size.width, size.height).data };
      }
    } catch (e) {
      throw new MediaInputError('corrupt-video', `This video could not be decoded to the end (after ${decoded} frames).`, { cause: e });
    }
    if (decoded === 0) throw new MediaInputError('corrupt-video', 'This video has no frame that could be decoded.');
  } finally {
    input.dispose();
  }
}
