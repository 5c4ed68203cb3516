// Content Credentials for a finished video, as the generation worker adds them: sign the MP4
// (c2pa-sign.ts) and say what happened. Signing never costs the user the video: when it fails
// (no IndexedDB in a private window, the SDK's wasm not loading, a browser without ECDSA in
// WebCrypto), the unsigned MP4 — which still carries Kinora's plain provenance tags — comes back
// with the reason, and the studio says so.
import type { Provenance } from '../video/provenance';
import { c2paSdk } from './c2pa-sdk';
import { signMp4 } from './c2pa-sign';
import { prepareSigningIdentity } from './device-key';

export type ContentCredentials =
  /** A C2PA manifest signed with a key made for this video on this device; what signing cost. */
  | { state: 'signed'; bytesAdded: number; signMs: number }
  /** The video has no C2PA manifest; why, for the person to read. */
  | { state: 'not-signed'; reason: string };

/**
 * Starts what the first signature of a visit waits for — the SDK (its 8 MB wasm compiled, its
 * worker started) and the certificate library — so that it happens while the frames
 * are being made rather than after. Errors are left for addContentCredentials to report.
 */
export function prepareContentCredentials(): void {
  c2paSdk().catch(() => undefined);
  prepareSigningIdentity().catch(() => undefined);
}

export async function addContentCredentials(video: Blob, provenance: Provenance): Promise<{ video: Blob; credentials: ContentCredentials }> {
  const started = performance.now();
  try {
    const signed = await signMp4(video, provenance);
    return { video: signed, credentials: { state: 'signed', bytesAdded: signed.size - video.size, signMs: performance.now() - started } };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { video, credentials: { state: 'not-signed', reason: `Content Credentials could not be added (${why}); the video is saved without them.` } };
  }
}
