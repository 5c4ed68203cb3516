// The sampler's time grid against the closed form in models/kinora/sampling.py.
import { describe, expect, it } from 'vitest';
import { timeSchedule } from '../../src/sampling/schedule';

describe('timeSchedule', () => {
  it('runs linearly from 1 to 0 without shift', () => {
    expect([...timeSchedule(4)]).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });
  it('spends more steps at high noise with shift > 1, keeping both ends', () => {
    const t = timeSchedule(4, 3);
    expect(t[0]).toBe(1);
    expect(t[4]).toBe(0);
    expect(t[2]).toBeCloseTo((3 * 0.5) / (1 + 2 * 0.5), 12);
    for (let i = 1; i < 4; i++) expect(t[i]).toBeGreaterThan(1 - i / 4);
  });
  it('scales every time by the edit strength', () => {
    expect([...timeSchedule(4, 1, 0.6)].map((t) => +t.toFixed(12))).toEqual([0.6, 0.45, 0.3, 0.15, 0]);
  });
  it('rejects nonsense', () => {
    expect(() => timeSchedule(4, 1, 0)).toThrow(RangeError);
    expect(() => timeSchedule(4, 1, 1.5)).toThrow(RangeError);
    expect(() => timeSchedule(0)).toThrow(RangeError);
    expect(() => timeSchedule(2.5)).toThrow(RangeError);
    expect(() => timeSchedule(4, 0)).toThrow(RangeError);
  });
});
