// The browser side of scripts/bench-watermark.ts: encodes frames with Kinora's own MP4 writer
// (WebCodecs in this Chromium, as the studio's worker does), with or without the pixel watermark,
// so that videos Kinora never made go through the same encoder as its own, and so that the
// watermark's cost — milliseconds to mark, bytes added to the file — is measured where it is paid.
import { encodeMp4 } from '../../src/video/mp4-video-writer';
import type { GenerationFacts } from '../../src/video/provenance';
import type { RgbaFrame } from '../../src/video/rgba-frame';
import { addWatermark } from '../../src/video/watermark';

/** The unsigned label the writer insists on; nothing here reads it. */
const GENERATION: GenerationFacts = {
  model: { id: 'watermark-bench', sha256: '00'.repeat(32) },
  prompt: '',
  promptInFile: false,
  seed: 0,
  settings: { steps: 0, guidance: 0, aspect: '1:1', seconds: 2 },
  createdAt: new Date('2026-12-01T00:00:00.000Z'),
};

function fromBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export interface EncodeArgs {
  /** frames × height × width × 4 bytes (RGBA), base64. */
  rgba: string;
  width: number;
  height: number;
  fps: number;
  mark: boolean;
}

export interface WatermarkBenchApi {
  encode(args: EncodeArgs): Promise<{ mp4: string; bytes: number; codec: string; markMs: number }>;
  /**
   * The time to mark `frames` frames of width × height: the first run (which also lays out the
   * pattern for this size, as the first video of a size does) and the median of `repeats` more.
   */
  timeMarking(args: { width: number; height: number; frames: number; repeats: number }): { firstMs: number; medianMs: number };
}

const api: WatermarkBenchApi = {
  async encode({ rgba, width, height, fps, mark }) {
    const bytes = fromBase64(rgba);
    const size = width * height * 4;
    let frames: RgbaFrame[] = Array.from({ length: bytes.length / size }, (_, i) => ({ width, height, data: new Uint8ClampedArray(bytes.buffer, i * size, size) }));
    const started = performance.now();
    if (mark) frames = frames.map((f) => addWatermark(f));
    const markMs = performance.now() - started;
    const video = await encodeMp4(frames, { frame: { width, height }, fps, generation: GENERATION });
    const mp4 = new Uint8Array(await video.blob.arrayBuffer());
    return { mp4: toBase64(mp4), bytes: mp4.length, codec: video.choice.codec, markMs };
  },
  timeMarking({ width, height, frames, repeats }) {
    const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 251));
    const clip: RgbaFrame[] = Array.from({ length: frames }, () => ({ width, height, data }));
    const times: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const started = performance.now();
      for (const frame of clip) addWatermark(frame);
      times.push(performance.now() - started);
    }
    const [firstMs, ...rest] = times;
    rest.sort((a, b) => a - b);
    return { firstMs, medianMs: rest[rest.length >> 1] };
  },
};

(globalThis as { kinoraWatermarkBench?: WatermarkBenchApi }).kinoraWatermarkBench = api;
