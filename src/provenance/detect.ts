// Checks any video or image for signs that Kinora made it: the studio's "Check a file" and
// `npm run detect` (through the page's automation door) both call checkFile, so they answer alike.
// It reads the pictures (src/video/detection-frames.ts), looks for the pixel watermark, checks the
// C2PA manifest, and decides (provenance-verdict.ts). A file that is not a video or image, or that
// cannot be read, throws a MediaInputError whose message says so.
import { readForDetection, type MediaForDetection } from '../video/detection-frames';
import { detectWatermark, type WatermarkReading } from '../video/watermark-detect';
import { verifyC2pa } from './c2pa-verify';
import { decideProvenance, type C2paCheck, type ProvenanceVerdict } from './provenance-verdict';

export interface FileCheck extends ProvenanceVerdict {
  media: Omit<MediaForDetection, 'frames'> & { framesRead: number };
  watermark: WatermarkReading;
  c2pa: C2paCheck;
  elapsedMs: number;
}

export async function checkFile(file: Blob): Promise<FileCheck> {
  const started = performance.now();
  const { frames, ...media } = await readForDetection(file);
  const watermark = detectWatermark(frames);
  let c2pa: C2paCheck;
  try {
    c2pa = await verifyC2pa(file, media.mimeType);
  } catch (err) {
    // The watermark stands on its own: a C2PA checker that cannot start (offline before the SDK
    // was cached, say) or cannot read the file (too large for this tab) leaves the answer to it, and says so.
    c2pa = { state: 'unchecked', reason: err instanceof Error ? err.message : String(err) };
  }
  return { ...decideProvenance(watermark, c2pa), media: { ...media, framesRead: frames.length }, watermark, c2pa, elapsedMs: performance.now() - started };
}
