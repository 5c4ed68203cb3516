// Every way WebGPU can be unavailable has its own title and advice, and names browsers that work.
import { describe, expect, it } from 'vitest';
import { BROWSERS_WITH_WEBGPU, unavailableAdvice } from '../../src/app/webgpu-help';
import type { GpuUnavailableKind } from '../../src/worker/api';

describe('unavailableAdvice', () => {
  const kinds: GpuUnavailableKind[] = ['no-webgpu', 'no-adapter', 'device-refused', 'error'];
  it('gives each kind a distinct title', () => {
    const titles = kinds.map((k) => unavailableAdvice(k).title);
    expect(new Set(titles).size).toBe(kinds.length);
  });
  it('ends each piece of advice by pointing at the list of browsers', () => {
    for (const k of kinds) expect(unavailableAdvice(k).advice).toMatch(/:$/);
    expect(BROWSERS_WITH_WEBGPU.join(' ')).toMatch(/Chrome.*Safari.*Firefox/s);
  });
});
