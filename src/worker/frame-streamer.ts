// Frames become final out of order (ReadyFrames); the video file and the page take them from the
// start on. FrameStreamer writes each newly contiguous run into the file and sends it to the page,
// so a long video plays while it is being made and its MP4 is written as it goes.
import type { StreamedFrames } from './api';
import type { ClipWriter } from './clip-writer';
import { ReadyFrames } from './ready-frames';

export class FrameStreamer {
  private readonly ready: ReadyFrames;

  constructor(
    total: number,
    private readonly writer: ClipWriter,
    private readonly video: { width: number; height: number; fps: number },
    private readonly send: (frames: StreamedFrames) => void,
  ) {
    this.ready = new ReadyFrames(total);
  }

  /** Frames the finished video will have. */
  get total(): number {
    return this.ready.total;
  }

  /** Takes frames by output index; writes and sends those that are now ready from the start. */
  async put(made: Iterable<readonly [number, Uint8ClampedArray]>): Promise<void> {
    const start = this.ready.count;
    const run: Uint8ClampedArray[] = [];
    for (const [index, frame] of made) run.push(...this.ready.put(index, frame).frames);
    if (run.length === 0) return;
    for (const f of run) await this.writer.add(f);
    this.send({ start, frames: run, total: this.ready.total, ...this.video });
  }
}
