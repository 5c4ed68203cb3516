// In-browser checks of src/provenance's C2PA code, driven by tests/e2e/c2pa.spec.ts. The CAI's
// SDK runs only in a browser (its c2pa-rs runs as WebAssembly in a Web Worker), so signing and
// reading happen here, on the page and in a module Web Worker as in the app (whose generation
// worker signs). Checks return plain data (MP4 bytes as base64); the spec decides what passes.
import { c2paSdk } from '../../src/provenance/c2pa-sdk';
import { serveChecks, workerRunner } from './worker-checks';
import { signMp4 } from '../../src/provenance/c2pa-sign';
import { verifyC2pa } from '../../src/provenance/c2pa-verify';
import { createSigningIdentity, deviceCertificates, videoSigningIdentity } from '../../src/provenance/device-key';
import { encodeMp4 } from '../../src/video/mp4-video-writer';
import { readProvenance } from '../../src/video/read-provenance';
import type { GenerationFacts } from '../../src/video/provenance';
import type { RgbaFrame } from '../../src/video/rgba-frame';

export const PROMPT = 'a violet kite drifts over the harbour at dusk';

function facts(promptInFile: boolean, mode: string): GenerationFacts {
  return {
    model: { id: 'kinora-c2pa-test', sha256: 'ab'.repeat(32) },
    prompt: PROMPT,
    promptInFile,
    caption: 'A small purple triangle moves right in a dusk sky.',
    negative: { prompt: 'no boats', caption: '', used: false },
    seed: 777,
    settings: { steps: 4, guidance: 3, aspect: '1:1', seconds: 2, mode },
    createdAt: new Date('2026-12-01T08:30:00.000Z'),
  };
}

/** `count` frames (16 at 8 fps: 2 s): a square sliding over a gradient, so every frame's sample differs. */
function frames(width: number, height: number, count = 16): RgbaFrame[] {
  return Array.from({ length: count }, (_, i) => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x >= (i * 3) % width && x < ((i * 3) % width) + 16 && y >= 20 && y < 36;
        data.set(inside ? [240, 200, 40, 255] : [x * 4, y * 2, 120, 255], (y * width + x) * 4);
      }
    }
    return { width, height, data };
  });
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export interface SignedClip {
  unsigned: string;
  signed: string;
  /** Milliseconds signMp4 took, and whether the SDK was already started in this thread. */
  signMs: number;
  warmSdk: boolean;
}

let sdkStarted = false;

const CHECKS = {
  /** Encodes a 2-s clip and signs it as this device (a fresh key, its certificate kept) or as a device that is not this one. */
  async makeSigned(args: { promptInFile: boolean; as: 'this-device' | 'another-device'; mode?: string; width?: number; height?: number; frameCount?: number }): Promise<SignedClip> {
    const width = args.width ?? 64;
    const height = args.height ?? 64;
    const encoded = await encodeMp4(frames(width, height, args.frameCount), { frame: { width, height }, fps: 8, generation: facts(args.promptInFile, args.mode ?? 'text') });
    const identity = args.as === 'this-device' ? await videoSigningIdentity() : await createSigningIdentity();
    const warmSdk = sdkStarted;
    const started = performance.now();
    const signed = await signMp4(encoded.blob, encoded.provenance, identity);
    const signMs = performance.now() - started;
    sdkStarted = true;
    return {
      unsigned: toBase64(new Uint8Array(await encoded.blob.arrayBuffer())),
      signed: toBase64(new Uint8Array(await signed.arrayBuffer())),
      signMs,
      warmSdk,
    };
  },

  async verify(args: { mp4: string; mimeType?: string }) {
    const mimeType = args.mimeType ?? 'video/mp4';
    return verifyC2pa(new Blob([fromBase64(args.mp4) as Uint8Array<ArrayBuffer>], { type: mimeType }), mimeType);
  },

  /** verifyC2pa on the file chosen in the page's file input `selector`: its verdict, or the message it threw. */
  async verifyChosenFile(args: { selector: string }) {
    const file = document.querySelector<HTMLInputElement>(args.selector)!.files![0];
    try {
      return { verdict: await verifyC2pa(file, 'video/mp4') };
    } catch (err) {
      return { thrown: (err as Error).message };
    }
  },

  /** verifyC2pa's verdict and how long it took (scripts/bench-c2pa.ts). */
  async timeVerify(args: { mp4: string }) {
    const started = performance.now();
    const verdict = await verifyC2pa(new Blob([fromBase64(args.mp4) as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }), 'video/mp4');
    return { state: verdict.state, ms: performance.now() - started };
  },

  /** The SDK's own reading of the file, with its default settings (no trust configured): what any C2PA tool sees. */
  async manifestStore(args: { mp4: string }) {
    const sdk = await c2paSdk();
    const reader = await sdk.reader.fromBlob('video/mp4', new Blob([fromBase64(args.mp4) as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }));
    if (!reader) return null;
    try {
      return JSON.parse(JSON.stringify(await reader.manifestStore())) as unknown;
    } finally {
      await reader.free();
    }
  },

  /** Kinora's own provenance tags, read back by src/video after signing moved the boxes. */
  async readTags(args: { mp4: string }) {
    return readProvenance(new Blob([fromBase64(args.mp4) as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }));
  },

  /** The certificates this device kept (DER, base64), one per video it signed. */
  async deviceCertificates(_args: Record<string, never>) {
    return (await deviceCertificates()).map(toBase64);
  },
};

type Checks = typeof CHECKS;

/** Runs one check in the module Web Worker and resolves with its result. */
const inWorker = workerRunner<Checks>(new URL('./c2pa.ts', import.meta.url));

export interface C2paChecksApi {
  checks: Checks;
  inWorker: typeof inWorker;
}

if (typeof document === 'undefined') {
  serveChecks(CHECKS);
} else {
  (globalThis as unknown as { kinoraC2paChecks: C2paChecksApi }).kinoraC2paChecks = { checks: CHECKS, inWorker };
}
