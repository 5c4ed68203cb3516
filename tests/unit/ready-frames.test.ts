import { describe, expect, it } from 'vitest';
import { ReadyFrames } from '../../src/worker/ready-frames';

const frame = (n: number) => new Uint8ClampedArray([n]);

describe('ReadyFrames', () => {
  it('hands out each frame once, in order, as soon as everything before it has arrived', () => {
    const r = new ReadyFrames(6);
    expect(r.put(2, frame(2)).frames).toEqual([]);
    expect(r.put(1, frame(1)).frames).toEqual([]);
    const run = r.put(0, frame(0));
    expect(run.start).toBe(0);
    expect(run.frames.map((f) => f[0])).toEqual([0, 1, 2]);
    expect(r.count).toBe(3);
    expect(r.put(1, frame(99)).frames).toEqual([]); // already handed out: nothing new
    expect(r.put(5, frame(5)).frames).toEqual([]);
    const rest = r.put(3, frame(3));
    expect(rest.start).toBe(3);
    expect(rest.frames.map((f) => f[0])).toEqual([3]);
    expect(r.put(4, frame(4)).frames.map((f) => f[0])).toEqual([4, 5]);
    expect(r.count).toBe(6);
  });

  it('hands out the same prefix whatever order the frames come in', () => {
    for (let trial = 0; trial < 20; trial++) {
      const order = Array.from({ length: 12 }, (_, i) => i).sort(() => Math.random() - 0.5);
      const r = new ReadyFrames(12);
      const out: number[] = [];
      for (const i of order) {
        const run = r.put(i, frame(i));
        expect(run.start).toBe(out.length);
        out.push(...run.frames.map((f) => f[0]));
      }
      expect(out).toEqual(Array.from({ length: 12 }, (_, i) => i));
    }
  });

  it('refuses a frame outside the video', () => {
    const r = new ReadyFrames(3);
    expect(() => r.put(3, frame(0))).toThrow(/outside a video of 3 frames/);
    expect(() => r.put(-1, frame(0))).toThrow(RangeError);
  });
});
