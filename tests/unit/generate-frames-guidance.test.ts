// What generateFrames hands the text encoder and the denoiser for guidance: the caption first, then
// the negative prompt's caption in place of the empty caption; without guidance (guidance 1) the
// caption alone. Fakes for the text encoder, the DiT and the VAE; the tiny model's real tokenizer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Denoiser, DenoiseRequest } from '../../src/model/denoiser';
import { generateFrames, type FrameRequest } from '../../src/model/generate-frames';
import type { ModelManifest } from '../../src/model/manifest';
import type { EncodedText } from '../../src/model/text-encoder';
import { Tokenizer } from '../../src/model/tokenizer';
import { TextCondition } from '../../src/model/model-condition';

const manifest = JSON.parse(readFileSync('tests/fixtures/models/tiny/manifest.json', 'utf8')) as ModelManifest;
const tokenizer = new Tokenizer(manifest.tokenizer!.vocab, manifest.tokenizer!.max_tokens);

async function run(request: Partial<FrameRequest>) {
  const encoded: Int32Array[][] = [];
  const denoised: DenoiseRequest[] = [];
  const { width, height } = manifest.video.sizes['1:1'];
  const denoiser: Denoiser = {
    engine: 'wasm',
    denoise: async (r) => (denoised.push(r), new Float32Array(r.shape.reduce((a, b) => a * b, 1))),
    release: async () => undefined,
  };
  await generateFrames({
    model: {
      manifest,
      condition: new TextCondition(tokenizer, {
        encode: async (prompts: readonly Int32Array[]) => (encoded.push([...prompts]), { batch: prompts.length } as EncodedText),
        release: async () => undefined,
      }),
      vaeEncoder: () => Promise.reject(new Error('no frames are given')),
      vaeDecoder: { decode: async (_: Float32Array, shape: readonly number[]) => ({ width, height, frames: Array.from({ length: shape[1] }, () => new Uint8ClampedArray(width * height * 4)) }) } as never,
    },
    denoiser,
    request: { caption: 'A medium sized blue circle bounces on a white background. The camera is static.', aspect: '1:1', steps: 2, guidance: 3, seed: 1, plan: { total: 2, given: new Map() }, ...request },
  });
  return { encoded, denoised };
}

const ids = (text: string) => [...tokenizer.encode(text).ids];

describe('generateFrames guidance', () => {
  it('encodes the negative prompt\'s caption as the unconditional prompt, after the caption', async () => {
    const { encoded, denoised } = await run({ negativeCaption: 'A red object.' });
    expect(encoded).toHaveLength(1);
    expect(encoded[0].map((p) => [...p])).toEqual([ids('A medium sized blue circle bounces on a white background. The camera is static.'), ids('A red object.')]);
    expect(ids('A red object.').some((id) => id !== 0)).toBe(true); // it is not the empty caption
    expect(denoised.every((d) => d.text.batch === 2 && d.guidance === 3)).toBe(true);
  });

  it('uses the empty caption when there is no negative prompt', async () => {
    const { encoded } = await run({});
    expect([...encoded[0][1]]).toEqual([...tokenizer.emptyPrompt()]);
  });

  it('encodes the caption alone without guidance, even with a negative caption', async () => {
    const { encoded, denoised } = await run({ guidance: 1, negativeCaption: 'A red object.' });
    expect(encoded[0]).toHaveLength(1);
    expect(denoised[0].text.batch).toBe(1);
  });
});
