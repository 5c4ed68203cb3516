// How the video writer plans an encode, without a browser: codec strings and levels, the sizes
// offered to encoders, the choice against a table of what an encoder accepts, and the
// nearest-neighbour enlargement used when an encoder refuses a tiny size.
import { describe, expect, it } from 'vitest';
import { av1CodecString, avcCodecStrings, avcLevel, vp9CodecString } from '../../src/video/codec-strings';
import { encodedSizeCandidates } from '../../src/video/encoded-size';
import { chooseEncoder, targetBitrate, type EncoderConfigCheck } from '../../src/video/encoder-choice';
import { VideoEncodeError } from '../../src/video/media-errors';
import { upscaleNearest } from '../../src/video/nearest-upscale';

describe('codec strings', () => {
  it('puts well-known H.264 streams at their textbook levels', () => {
    expect(avcLevel({ width: 1920, height: 1080, fps: 30, bitrate: 8e6 })).toBe(40);
    expect(avcLevel({ width: 1280, height: 720, fps: 30, bitrate: 4e6 })).toBe(31);
    expect(avcLevel({ width: 3840, height: 2160, fps: 30, bitrate: 20e6 })).toBe(51);
    expect(avcLevel({ width: 176, height: 144, fps: 15, bitrate: 64e3 })).toBe(10);
  });

  it('raises the H.264 level for bitrate, and allows High 1.25× the bitrate', () => {
    const shape = { width: 64, height: 64, fps: 8, bitrate: 200_000 };
    expect(avcLevel(shape)).toBe(12); // 192 kbit/s at 1.1 is not enough
    expect(avcLevel(shape, 1.25)).toBe(11); // 240 kbit/s at 1.1 for High
    expect(avcCodecStrings(shape)).toEqual(['avc1.64000B', 'avc1.4D000C', 'avc1.42E00C']);
  });

  it('respects the H.264 limit on either side (sqrt(8 × MaxFS) macroblocks)', () => {
    // 16×8192 is only 512 macroblocks, but 512 in a column needs MaxFS ≥ 32768: level 5.1.
    expect(avcLevel({ width: 16, height: 8192, fps: 8, bitrate: 200_000 })).toBe(51);
  });

  it('offers nothing when a stream exceeds every level', () => {
    expect(avcCodecStrings({ width: 10000, height: 10000, fps: 30, bitrate: 1e6 })).toEqual([]);
    expect(vp9CodecString({ width: 10000, height: 10000, fps: 120, bitrate: 1e6 })).toBeNull();
    expect(av1CodecString({ width: 20000, height: 1000, fps: 30, bitrate: 1e6 })).toBeNull();
  });

  it('writes VP9 and AV1 strings with two-digit levels', () => {
    expect(vp9CodecString({ width: 64, height: 64, fps: 8, bitrate: 200_000 })).toBe('vp09.00.10.08');
    expect(vp9CodecString({ width: 1920, height: 1080, fps: 30, bitrate: 8e6 })).toBe('vp09.00.40.08');
    expect(av1CodecString({ width: 64, height: 64, fps: 8, bitrate: 200_000 })).toBe('av01.0.00M.08');
    expect(av1CodecString({ width: 1920, height: 1080, fps: 30, bitrate: 8e6 })).toBe('av01.0.08M.08');
  });
});

describe('encodedSizeCandidates', () => {
  it('offers the frame size, then an enlargement to a 256-px short side', () => {
    expect(encodedSizeCandidates({ width: 64, height: 64 })).toEqual([
      { width: 64, height: 64, scale: 1 },
      { width: 256, height: 256, scale: 4 },
    ]);
    expect(encodedSizeCandidates({ width: 112, height: 64 })).toEqual([
      { width: 112, height: 64, scale: 1 },
      { width: 448, height: 256, scale: 4 },
    ]);
  });

  it('makes odd sizes even with an even factor', () => {
    expect(encodedSizeCandidates({ width: 65, height: 64 })).toEqual([
      { width: 130, height: 128, scale: 2 },
      { width: 260, height: 256, scale: 4 },
    ]);
    // 256 / 63 needs 5×, which would leave 315 odd: 6×.
    expect(encodedSizeCandidates({ width: 63, height: 64 })[1]).toEqual({ width: 378, height: 384, scale: 6 });
  });

  it('does not enlarge frames that are already large, or past 4096 px', () => {
    expect(encodedSizeCandidates({ width: 512, height: 288 })).toEqual([{ width: 512, height: 288, scale: 1 }]);
    expect(encodedSizeCandidates({ width: 2048, height: 8 })).toEqual([{ width: 2048, height: 8, scale: 1 }]);
  });

  it('refuses sizes that are not whole pixels', () => {
    expect(() => encodedSizeCandidates({ width: 0, height: 64 })).toThrow(RangeError);
    expect(() => encodedSizeCandidates({ width: 64.5, height: 64 })).toThrow(RangeError);
  });
});

/** A fake encoder that accepts what `accepts` says and records every configuration it was asked about. */
function supportTable(accepts: (config: VideoEncoderConfig) => boolean) {
  const asked: string[] = [];
  const check: EncoderConfigCheck = async (config) => {
    asked.push(`${config.codec} ${config.width}×${config.height}`);
    return accepts(config);
  };
  return { asked, check };
}

describe('chooseEncoder', () => {
  it('takes H.264 High at the frame size when it is accepted', async () => {
    const table = supportTable(() => true);
    const choice = await chooseEncoder({ width: 112, height: 64 }, 8, { isSupported: table.check });
    expect(choice).toMatchObject({ family: 'avc', codec: 'avc1.64000B', encoded: { width: 112, height: 64, scale: 1 } });
    expect(choice.config).toMatchObject({ codec: 'avc1.64000B', width: 112, height: 64, framerate: 8, avc: { format: 'avc' } });
    expect(table.asked).toEqual(['avc1.64000B 112×64']);
  });

  it('enlarges a tiny frame for H.264 before turning to VP9', async () => {
    // Like Chromium's OpenH264: no side under 16 px.
    const table = supportTable((c) => !c.codec.startsWith('avc1') || (c.width >= 16 && c.height >= 16));
    const choice = await chooseEncoder({ width: 8, height: 8 }, 8, { isSupported: table.check });
    expect(choice).toMatchObject({ family: 'avc', encoded: { width: 256, height: 256, scale: 32 } });
    expect(table.asked.slice(0, 3)).toEqual(['avc1.64000B 8×8', 'avc1.4D000C 8×8', 'avc1.42E00C 8×8']);
  });

  it('falls back through the H.264 profiles, then to VP9, then AV1', async () => {
    const baselineOnly = supportTable((c) => c.codec.startsWith('avc1.42E0'));
    expect((await chooseEncoder({ width: 64, height: 64 }, 8, { isSupported: baselineOnly.check })).codec).toBe('avc1.42E00C');

    const noAvc = supportTable((c) => !c.codec.startsWith('avc1'));
    const vp9 = await chooseEncoder({ width: 64, height: 64 }, 8, { isSupported: noAvc.check });
    expect(vp9).toMatchObject({ family: 'vp9', codec: 'vp09.00.10.08', encoded: { scale: 1 } });
    expect(vp9.config).not.toHaveProperty('avc');

    const av1Only = supportTable((c) => c.codec.startsWith('av01'));
    expect((await chooseEncoder({ width: 64, height: 64 }, 8, { isSupported: av1Only.check })).family).toBe('av1');
  });

  it('keeps to the families asked for', async () => {
    const table = supportTable(() => true);
    expect((await chooseEncoder({ width: 64, height: 64 }, 8, { families: ['av1'], isSupported: table.check })).family).toBe('av1');
  });

  it('says what it tried when nothing is accepted', async () => {
    const table = supportTable(() => false);
    const failure = chooseEncoder({ width: 64, height: 64 }, 8, { isSupported: table.check });
    await expect(failure).rejects.toBeInstanceOf(VideoEncodeError);
    await expect(failure).rejects.toMatchObject({ kind: 'no-supported-codec' });
    await expect(failure).rejects.toThrow(/H\.264, VP9, AV1 .*avc1\.64000B 64×64.*av01\.0\.00M\.08 256×256/);
  });

  it('refuses a frame rate that is not positive, and a frame that is not whole pixels', async () => {
    await expect(chooseEncoder({ width: 64, height: 64 }, 0, { isSupported: async () => true })).rejects.toMatchObject({ kind: 'bad-frame' });
    await expect(chooseEncoder({ width: 0, height: 64 }, 8, { isSupported: async () => true })).rejects.toMatchObject({ kind: 'bad-frame' });
  });
});

describe('targetBitrate', () => {
  it('gives small frames a floor of 200 kbit/s and large ones 0.4 bit per pixel', () => {
    expect(targetBitrate({ width: 64, height: 64 }, 8)).toBe(200_000);
    expect(targetBitrate({ width: 1280, height: 720 }, 24)).toBe(Math.round(1280 * 720 * 24 * 0.4));
  });
});

describe('upscaleNearest', () => {
  it('turns each pixel into a factor × factor block of the same colour', () => {
    const frame = { width: 2, height: 1, data: new Uint8ClampedArray([10, 20, 30, 255, 200, 100, 50, 128]) };
    const big = upscaleNearest(frame, 3);
    expect([big.width, big.height, big.data.length]).toEqual([6, 3, 6 * 3 * 4]);
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 6; x++) {
        const at = (y * 6 + x) * 4;
        expect(Array.from(big.data.subarray(at, at + 4)), `pixel ${x},${y}`).toEqual(x < 3 ? [10, 20, 30, 255] : [200, 100, 50, 128]);
      }
    }
  });

  it('returns the frame itself at factor 1 and refuses other factors', () => {
    const frame = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
    expect(upscaleNearest(frame, 1)).toBe(frame);
    expect(() => upscaleNearest(frame, 0)).toThrow(RangeError);
    expect(() => upscaleNearest(frame, 1.5)).toThrow(RangeError);
  });
});
