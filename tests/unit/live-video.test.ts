import { describe, expect, it } from 'vitest';
import { appendStreamed, nextPosition } from '../../src/app/live-video';

const run = (start: number, n: number, total = 10) => ({
  start, total, width: 2, height: 1, fps: 8,
  frames: Array.from({ length: n }, (_, i) => new Uint8ClampedArray(8).fill(start + i)),
});

describe('live video', () => {
  it('grows by each streamed run, in order', () => {
    let live = appendStreamed(undefined, run(0, 4));
    live = appendStreamed(live, run(4, 3));
    expect(live.frames.map((f) => f[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(live.total).toBe(10);
  });

  it('refuses a run that leaves a gap or repeats frames', () => {
    const live = appendStreamed(undefined, run(0, 4));
    expect(() => appendStreamed(live, run(5, 2))).toThrow(/start at 5, but 4 frames/);
    expect(() => appendStreamed(live, run(2, 2))).toThrow(RangeError);
  });

  it('plays forward, waits at the end of what is ready, and loops once everything is there', () => {
    expect(nextPosition(0, 4, 10)).toEqual({ position: 1, waiting: false });
    expect(nextPosition(3, 4, 10)).toEqual({ position: 3, waiting: true });
    expect(nextPosition(3, 8, 10)).toEqual({ position: 4, waiting: false });
    expect(nextPosition(9, 10, 10)).toEqual({ position: 0, waiting: false });
  });
});
