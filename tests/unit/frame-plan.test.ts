// Window planning for long videos and given frames.
import { describe, expect, it } from 'vitest';
import { planWindows } from '../../src/model/frame-plan';

const given = (...indices: number[]) => new Map(indices.map((i) => [i, new Uint8ClampedArray(4)]));

describe('planWindows', () => {
  it('makes a short text-to-video in one window with nothing given', () => {
    expect(planWindows({ total: 8, given: given() }, 16)).toEqual([{ start: 0, length: 8, known: Array(8).fill(false) }]);
  });

  it('makes a long video window by window, each carrying 4 frames of context', () => {
    const w = planWindows({ total: 40, given: given() }, 16);
    expect(w.map((x) => [x.start, x.length])).toEqual([[0, 16], [12, 16], [24, 16]]);
    expect(w[1].known).toEqual([...Array(4).fill(true), ...Array(12).fill(false)]);
    // The last window ends at the last frame: here it overlaps more context rather than run past the end.
    expect(w[2].known.filter(Boolean).length).toBe(4);
  });

  it('keeps the last window inside the video, taking more context when the rest is short', () => {
    const w = planWindows({ total: 20, given: given() }, 16);
    expect(w.map((x) => [x.start, x.length])).toEqual([[0, 16], [4, 16]]);
    expect(w[1].known.filter(Boolean).length).toBe(12);
  });

  it('animates an image: frame 0 given', () => {
    const w = planWindows({ total: 16, given: given(0) }, 16);
    expect(w).toHaveLength(1);
    expect(w[0].known[0]).toBe(true);
    expect(w[0].known.slice(1).every((k) => !k)).toBe(true);
  });

  it('extends a clip forwards from its last frames, not from its start', () => {
    const clip = Array.from({ length: 30 }, (_, i) => i);
    const w = planWindows({ total: 38, given: given(...clip) }, 16);
    expect(w.map((x) => [x.start, x.length])).toEqual([[22, 16]]);
    expect(w[0].known).toEqual([...Array(8).fill(true), ...Array(8).fill(false)]);
  });

  it("extends backwards with the clip's first frames at the end of the window", () => {
    const w = planWindows({ total: 40, given: given(...Array.from({ length: 30 }, (_, i) => i + 10)) }, 16);
    expect(w).toEqual([{ start: 0, length: 16, known: [...Array(10).fill(false), ...Array(6).fill(true)] }]);
  });

  it('connects two images across the frames between them', () => {
    const w = planWindows({ total: 12, given: given(0, 11) }, 16);
    expect(w[0].known.filter(Boolean)).toHaveLength(2);
    expect([w[0].known[0], w[0].known[11]]).toEqual([true, true]);
  });

  it('rejects an empty video', () => {
    expect(() => planWindows({ total: 0, given: given() }, 16)).toThrow(RangeError);
  });
});
