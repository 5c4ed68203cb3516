// The output video as it is being made: frames arrive out of order (a backward extension makes
// the start last; a loop's bridge comes after the clip), but a player and an encoder can only use
// them from the start on. ReadyFrames keeps what has arrived and hands out each newly contiguous
// run from the start, once.

export class ReadyFrames {
  private readonly frames: (Uint8ClampedArray | undefined)[];
  /** Frames 0 … ready-1 have arrived and been handed out. */
  private ready = 0;

  constructor(readonly total: number) {
    this.frames = new Array(total);
  }

  /** Frames handed out so far (a prefix of the output). */
  get count(): number {
    return this.ready;
  }

  /**
   * Records frame `index` (a frame already recorded is kept as it was) and returns the frames that
   * became ready from the start because of it, in order, with the index of the first.
   */
  put(index: number, frame: Uint8ClampedArray): { start: number; frames: Uint8ClampedArray[] } {
    if (!Number.isInteger(index) || index < 0 || index >= this.total) {
      throw new RangeError(`Frame ${index} is outside a video of ${this.total} frames.`);
    }
    this.frames[index] ??= frame;
    const start = this.ready;
    const run: Uint8ClampedArray[] = [];
    while (this.ready < this.total && this.frames[this.ready] !== undefined) run.push(this.frames[this.ready++]!);
    return { start, frames: run };
  }
}
