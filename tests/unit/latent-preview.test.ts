// The progress preview (src/model/latent-preview.ts): the manifest's 3×C map per latent pixel, for
// format 1's 4 channels and format 2's 16 (and tiny-v2's 8), each latent frame shown for the frames it codes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { latentPreview } from '../../src/model/latent-preview';
import type { ModelManifest } from '../../src/model/manifest';

describe('latentPreview', () => {
  it('maps 16 channels by a 3×16 matrix, one pixel per latent pixel', () => {
    const C = 16;
    const matrix = [0, 1, 2].map((ch) => Array.from({ length: C }, (_, c) => (c === ch + 13 ? 0.25 : 0))); // red ← channel 13, green ← 14, blue ← 15
    const latents = new Float32Array(C * 1 * 2 * 2); // [C, 1, 2, 2]
    latents.fill(1, 13 * 4, 14 * 4); // channel 13 is 1 everywhere
    latents.fill(2, 15 * 4, 16 * 4); // channel 15 is 2
    const out = latentPreview(latents, [C, 1, 2, 2], { matrix, bias: [0.5, 0, 0] });
    expect([out.width, out.height, out.frames.length]).toEqual([2, 2, 1]);
    expect([...out.frames[0].subarray(0, 4)]).toEqual([191, 0, 128, 255]); // 0.75, 0, 0.5 of 255
  });

  it('shows a format 2 latent frame for its 4 frames, and frame 0 of a clip once', () => {
    const C = 2;
    const map = { matrix: [[1, 0], [0, 1], [0, 0]], bias: [0, 0, 0] };
    const latents = Float32Array.from({ length: C * 3 }, (_, i) => (i % 3) / 2); // [C, 3, 1, 1]: frames 0, ½, 1
    const first = latentPreview(latents, [C, 3, 1, 1], map, { timeFactor: 4, startsClip: true });
    expect(first.frames.map((f) => f[0])).toEqual([0, 128, 128, 128, 128, 255, 255, 255, 255]); // 1 + 4 + 4 = the 9 frames of 3 latent frames
    const later = latentPreview(latents, [C, 3, 1, 1], map, { timeFactor: 4, startsClip: false });
    expect(later.frames).toHaveLength(12); // a window after the first: every latent frame codes 4
  });

  it("refuses a map that is not 3×C for the latents' channels", () => {
    const m = JSON.parse(readFileSync('tests/fixtures/models/tiny-v2/manifest.json', 'utf8')) as ModelManifest;
    const C = m.architecture.dit.latent_channels;
    expect(m.preview.matrix.map((row) => row.length)).toEqual([C, C, C]);
    expect(() => latentPreview(new Float32Array(4 * 4), [4, 1, 2, 2], m.preview)).toThrow(/not 3×4/);
  });
});
