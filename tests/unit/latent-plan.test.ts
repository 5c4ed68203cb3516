// Frame plans in latent frames (src/model/latent-plan.ts): format 1 is the identity, format 2
// counts 1 + 4k frames per 1 + k latent frames, knows a latent frame only when all its frames (and
// the lead frame before it, unless it starts the clip) are given, encodes with the encoder's
// context and decodes with the decoder's, and cuts the frames past the output's end.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { latentLayout, latentFramesFor, framesOfLatent } from '../../src/model/latent-layout';
import { decoderRange, editEncoderFrames, encoderInput, planLatents, ENCODER_CONTEXT } from '../../src/model/latent-plan';
import type { ModelManifest } from '../../src/model/manifest';
import { modelFolder } from '../support/model-folders';

const read = (id: string) => JSON.parse(readFileSync(`${modelFolder(id)}/manifest.json`, 'utf8')) as ModelManifest;
const v1 = latentLayout(read('tiny'));
const v2 = latentLayout(read('tiny-v2'));
const frame = new Uint8ClampedArray(4);
const given = (...indices: number[]) => new Map(indices.map((i) => [i, frame]));
const span = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('the layouts', () => {
  it('reads format 1 as one latent frame per frame and format 2 as 1 + 4k frames per 1 + k', () => {
    expect(v1).toMatchObject({ timeFactor: 1, causal: false, upsample: 1, maxLatentFrames: 16, decoderContext: 0 });
    expect(v2).toMatchObject({ timeFactor: 4, causal: true, upsample: 2, maxLatentFrames: 5, decoderContext: 7 });
    expect([1, 2, 5, 6, 17, 40, 480].map((n) => latentFramesFor(v2, n))).toEqual([1, 2, 2, 3, 5, 11, 121]);
    expect([0, 1, 2, 5].map((j) => framesOfLatent(v2, j))).toEqual([[0, 0], [1, 4], [5, 8], [17, 20]]);
  });

  it('says so of a VAE kind it cannot run', () => {
    const m = read('tiny-v2');
    const other = { ...m, architecture: { ...m.architecture, vae: { ...m.architecture.vae, kind: 'wavelet' as never } } };
    expect(() => latentLayout(other)).toThrow(/VAE is of a kind this version of Kinora cannot run \("wavelet"\)/);
  });
});

describe('planLatents', () => {
  it('format 1: the frame plan as it was (windows of 16 with 4 frames of context)', () => {
    const lp = planLatents({ total: 40, given: given(0) }, v1);
    expect(lp.latentFrames).toBe(40);
    expect([...lp.known]).toEqual([0]);
    expect(lp.windows.map((w) => [w.start, w.length])).toEqual([[0, 16], [12, 16], [24, 16]]);
  });

  it('format 2 text-to-video of 40 frames: 11 latent frames in windows of 5, each after the last latent frame of the one before', () => {
    const lp = planLatents({ total: 40, given: new Map() }, v2);
    expect(lp.latentFrames).toBe(11);
    expect(lp.windows.map((w) => [w.start, w.length])).toEqual([[0, 5], [4, 5], [6, 5]]);
    expect(lp.windows[1].known).toEqual([true, false, false, false, false]);
  });

  it('format 2: an image is latent frame 0; a clip from frame 0 codes each latent frame it fills', () => {
    expect([...planLatents({ total: 17, given: given(0) }, v2).known]).toEqual([0]);
    expect([...planLatents({ total: 30, given: given(...span(0, 12)) }, v2).known]).toEqual([0, 1, 2, 3]); // 13 frames = 1 + 4·3
    expect([...planLatents({ total: 30, given: given(...span(0, 10)) }, v2).known]).toEqual([0, 1, 2]); // frames 9, 10 fill no latent frame
  });

  it('format 2: a clip after new frames is known from the latent frame after its first (lead) frame', () => {
    // extend backwards: 8 new frames, then the clip's 9 frames from frame 8 (its lead) on
    const lp = planLatents({ total: 17, given: given(...span(8, 16)) }, v2);
    expect([...lp.known]).toEqual([3, 4]);
    expect(encoderInput(lp, 3, 4)).toEqual({ frames: span(8, 16), drop: 1 }); // the lead is coded alone and dropped
  });

  it('format 2: a run that starts inside a latent frame needs the next lead', () => {
    const lp = planLatents({ total: 17, given: given(...span(6, 16)) }, v2);
    expect([...lp.known]).toEqual([3, 4]); // latent frame 2 (frames 5–8) is not all given; 3 has its lead, frame 8
    expect(encoderInput(lp, 3, 4)).toEqual({ frames: span(8, 16), drop: 1 });
  });
});

describe('encoderInput', () => {
  it('format 1 encodes just the frames asked for', () => {
    const lp = planLatents({ total: 40, given: given(...span(0, 30)) }, v1);
    expect(encoderInput(lp, 27, 30)).toEqual({ frames: span(27, 30), drop: 0 });
  });

  it(`format 2 encodes a long clip's latent frames with ${ENCODER_CONTEXT} latent frames of context, from a lead frame`, () => {
    const lp = planLatents({ total: 60, given: given(...span(0, 44)) }, v2); // latent frames 0–11
    expect(encoderInput(lp, 11, 11)).toEqual({ frames: span(4 * 5, 44), drop: 1 + ENCODER_CONTEXT }); // lead: frame 20, the last of latent frame 5
    expect(encoderInput(lp, 2, 3)).toEqual({ frames: span(0, 12), drop: 2 }); // near the start: from frame 0, exactly
    expect(() => encoderInput(lp, 11, 12)).toThrow(/not coded/);
  });
});

describe('decoderRange', () => {
  it('format 1 decodes the made frames alone', () => {
    const lp = planLatents({ total: 40, given: new Map() }, v1);
    const r = decoderRange(lp, 16, 27);
    expect([r.start, r.end, r.frameOf(0), r.frameOf(11)]).toEqual([16, 28, 16, 27]);
  });

  it('format 2 decodes from 7 latent frames before, drops the context and the frames past the end: each frame once', () => {
    const lp = planLatents({ total: 40, given: new Map() }, v2);
    const seen: number[] = [];
    for (const w of lp.windows) {
      const made = w.known.flatMap((k, f) => (k ? [] : [w.start + f]));
      const r = decoderRange(lp, made[0], made[made.length - 1]);
      const decoded = r.start === 0 ? 1 + 4 * (r.end - 1) : 1 + 4 * (r.end - r.start - 1);
      for (let n = 0; n < decoded; n++) {
        const i = r.frameOf(n);
        if (i !== null) seen.push(i);
      }
    }
    expect(seen).toEqual(span(0, 39)); // 11 latent frames decode to 41; frame 40 is cut
    const second = decoderRange(lp, 5, 8);
    expect([second.start, second.frameOf(0), second.frameOf(16), second.frameOf(17)]).toEqual([0, null, null, 17]); // latent frame 5 is frames 17–20
    const third = decoderRange(lp, 9, 10); // from latent frame 2, whose decoded frame 0 stands for it alone
    expect([third.start, third.frameOf(0), third.frameOf(24), third.frameOf(25), third.frameOf(31), third.frameOf(32)]).toEqual([2, null, null, 33, 39, null]);
  });
});

describe('editEncoderFrames', () => {
  it('repeats the last frame to fill the last latent frame', () => {
    expect(editEncoderFrames(planLatents({ total: 7, given: new Map() }, v2))).toEqual([0, 1, 2, 3, 4, 5, 6, 6, 6]);
    expect(editEncoderFrames(planLatents({ total: 7, given: new Map() }, v1))).toEqual(span(0, 6));
  });
});
