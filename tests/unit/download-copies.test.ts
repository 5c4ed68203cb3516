// The other downloads of a finished video, in Node: the GIF writer's timing, comment and bytes
// (gifenc, no browser needed), the copy's provenance record and tags, the crisp enlargement and the
// download names. What needs WebCodecs, a canvas or the built site — WebM, smooth enlargement,
// decoding, signing — is in tests/e2e/download-formats.spec.ts.
import { describe, expect, it } from 'vitest';
import { copyFileName, FORMAT_OFFERS } from '../../src/app/download-formats';
import { copyProvenance, describeCopy, gifCopyComment, mp4CopyTags, webmCopyTags } from '../../src/video/download-provenance';
import { enlargedSize, enlargeFrame, isEnlargement } from '../../src/video/frame-enlargement';
import { asciiComment, clipPalette, commentExtension, gifFrameDelay, GifWriter, paletteSample } from '../../src/video/gif-writer';
import { buildProvenance, provenanceFromTags, type EncodingFacts, type GenerationFacts } from '../../src/video/provenance';
import type { RgbaFrame } from '../../src/video/rgba-frame';

const facts: GenerationFacts = {
  model: { id: 'kinora-small', sha256: 'cd'.repeat(32) },
  prompt: 'a red ball × 2',
  promptInFile: false,
  seed: 7,
  settings: { steps: 16, guidance: 6, aspect: '1:1', seconds: 2, mode: 'text' },
  createdAt: new Date('2026-12-01T10:00:00.000Z'),
};
const mp4Encoding: EncodingFacts = { codec: 'avc1.64000C', fps: 8, frameWidth: 64, frameHeight: 64, upscale: 1 };
const webmEncoding: EncodingFacts = { codec: 'vp09.00.10.08', fps: 8, frameWidth: 128, frameHeight: 128, upscale: 1 };

function solid(width: number, height: number, rgb: [number, number, number]): RgbaFrame {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], p * 4);
  return { width, height, data };
}

/** Where each occurrence of `needle` starts in `haystack`. */
function positionsOf(haystack: Uint8Array, needle: readonly number[]): number[] {
  const found: number[] = [];
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    found.push(i);
  }
  return found;
}

describe('GIF timing', () => {
  it('keeps 8 fps on average: 13 and 12 hundredths by turns, 100 per second', () => {
    const delays = Array.from({ length: 16 }, (_, i) => gifFrameDelay(i, 8));
    expect(delays.slice(0, 4)).toEqual([13, 12, 13, 12]);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('never goes under 2 hundredths, which browsers would show for 10', () => {
    expect(gifFrameDelay(0, 120)).toBe(2);
  });
});

describe('GIF comment', () => {
  it('is a comment extension in sub-blocks of at most 255 bytes, ended by an empty one', () => {
    const text = 'x'.repeat(300);
    const bytes = commentExtension(text);
    expect([...bytes.subarray(0, 3)]).toEqual([0x21, 0xfe, 255]);
    expect(bytes[3 + 255]).toBe(45);
    expect(bytes.length).toBe(2 + 1 + 255 + 1 + 45 + 1);
    expect(bytes[bytes.length - 1]).toBe(0);
  });

  it('holds only ASCII: other characters are JSON escapes that read back exactly', () => {
    const record = JSON.stringify({ prompt: 'rouge × balle ✨' });
    const ascii = asciiComment(record);
    expect(ascii).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(ascii)).toEqual({ prompt: 'rouge × balle ✨' });
  });
});

describe('GIF writer', () => {
  it('writes a GIF89a that loops forever, with one palette, every frame, the comment and the trailer', () => {
    const frames = [solid(4, 4, [255, 0, 0]), solid(4, 4, [0, 0, 255]), solid(4, 4, [255, 0, 0])];
    const writer = new GifWriter({ width: 4, height: 4 }, clipPalette(paletteSample(frames)), 8);
    for (const f of frames) writer.addFrame(f);
    const { blob, frameCount } = writer.finish('{"schema":"kinora-provenance/1"}');
    expect(frameCount).toBe(3);
    expect(blob.type).toBe('image/gif');
    return blob.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('GIF89a');
      expect(bytes[6] | (bytes[7] << 8)).toBe(4); // logical screen width
      // NETSCAPE2.0 with a loop count of 0: forever.
      expect(positionsOf(bytes, [...new TextEncoder().encode('NETSCAPE2.0'), 3, 1, 0, 0])).toHaveLength(1);
      // Three image descriptors (0x2C at 0,0, 4×4, no local palette), each after a graphic control extension.
      expect(positionsOf(bytes, [0x2c, 0, 0, 0, 0, 4, 0, 4, 0, 0])).toHaveLength(3);
      expect(positionsOf(bytes, [0x21, 0xf9, 4])).toHaveLength(3);
      expect(positionsOf(bytes, [0x21, 0xfe])).toHaveLength(1);
      expect(new TextDecoder().decode(bytes)).toContain('{"schema":"kinora-provenance/1"}');
      expect(bytes[bytes.length - 1]).toBe(0x3b);
    });
  });

  it('refuses a frame of another size, and a GIF of no frames', () => {
    const writer = new GifWriter({ width: 4, height: 4 }, clipPalette([solid(4, 4, [0, 0, 0])]), 8);
    expect(() => writer.addFrame(solid(2, 2, [0, 0, 0]))).toThrow(/Frame 0 is 2×2/);
    expect(() => writer.finish()).toThrow(/no frames/);
  });

  it('learns its palette from at most 16 frames spread over the clip', () => {
    const sample = paletteSample(Array.from({ length: 480 }, (_, i) => i));
    expect(sample).toHaveLength(16);
    expect(sample[0]).toBe(15);
    expect(sample[15]).toBe(465);
    expect(paletteSample([1, 2])).toEqual([1, 2]);
  });
});

describe('a copy’s provenance', () => {
  const original = buildProvenance(facts, mp4Encoding);
  const copy = copyProvenance(original, webmEncoding, { format: 'webm', enlarged: { factor: 2, resample: 'smooth' } });

  it('is the original’s record with the copy’s encoding and what the copy is; the prompt stays out as it was', () => {
    expect(copy).toEqual({ ...original, encoding: webmEncoding, copy: { format: 'webm', enlarged: { factor: 2, resample: 'smooth' } } });
    expect(copy).not.toHaveProperty('prompt');
    expect(describeCopy(copy)).toMatch(/This WebM is a copy made from Kinora's MP4 on download, its frames enlarged 2× \(smooth\)\.$/);
  });

  it('reads back from a WebM copy’s tags and an MP4 copy’s, which use their containers’ own names', () => {
    const webm = webmCopyTags(copy);
    expect(provenanceFromTags(webm)).toEqual(copy);
    expect(webm.raw).toEqual({ ENCODER: `Kinora ${original.generatorVersion}`, DATE_ENCODED: original.createdAt });
    expect(webm.title).toBeUndefined();
    const mp4 = mp4CopyTags({ ...copy, copy: { format: 'mp4', enlarged: { factor: 4, resample: 'nearest' } } });
    expect(mp4.description).toContain('This MP4 is a copy made from Kinora\'s MP4 on download, its frames enlarged 4× (crisp pixels, nearest neighbour).');
    expect(mp4.raw?.desc).toBe(mp4.description);
    expect(mp4.raw?.['©too']).toBe(`Kinora ${original.generatorVersion}`);
  });

  it('is the whole record in a GIF’s comment', () => {
    const gif = copyProvenance(original, { ...webmEncoding, codec: 'gif' }, { format: 'gif', enlarged: { factor: 1, resample: 'nearest' } });
    expect(JSON.parse(asciiComment(gifCopyComment(gif)))).toEqual(gif);
  });
});

describe('enlargement on download', () => {
  it('makes crisp 2× and 4× copies of whole pixel blocks', () => {
    const frame: RgbaFrame = { width: 2, height: 1, data: Uint8ClampedArray.from([10, 20, 30, 255, 200, 100, 50, 255]) };
    const big = enlargeFrame(frame, { factor: 4, resample: 'nearest' });
    expect(big).toMatchObject(enlargedSize(frame, { factor: 4, resample: 'nearest' }));
    expect([big.width, big.height]).toEqual([8, 4]);
    expect(Array.from(big.data.subarray((3 * 8 + 3) * 4, (3 * 8 + 3) * 4 + 4))).toEqual([10, 20, 30, 255]);
    expect(Array.from(big.data.subarray((3 * 8 + 4) * 4, (3 * 8 + 4) * 4 + 4))).toEqual([200, 100, 50, 255]);
    expect(enlargeFrame(frame, { factor: 1, resample: 'smooth' })).toBe(frame);
  });

  it('takes 1×, 2× or 4×, crisp or smooth, and nothing else', () => {
    expect(isEnlargement({ factor: 2, resample: 'smooth' })).toBe(true);
    expect(isEnlargement({ factor: 3, resample: 'nearest' })).toBe(false);
    expect(isEnlargement({ factor: 2, resample: 'bicubic' })).toBe(false);
    expect(isEnlargement(null)).toBe(false);
  });
});

describe('download names', () => {
  const [mp4, webm, gif] = FORMAT_OFFERS;
  it('keep the MP4’s name and say how the copy differs', () => {
    expect(copyFileName('kinora-video-7.mp4', webm, { factor: 1, resample: 'nearest' })).toBe('kinora-video-7.webm');
    expect(copyFileName('kinora-video-7.mp4', gif, { factor: 2, resample: 'nearest' })).toBe('kinora-video-7-2x.gif');
    expect(copyFileName('kinora-a-red-ball-7.mp4', mp4, { factor: 4, resample: 'smooth' })).toBe('kinora-a-red-ball-7-4x-smooth.mp4');
  });
});
