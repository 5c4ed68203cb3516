// What a checked file says about where it came from, from two independent signs: the pixel
// watermark (src/video/watermark-detect.ts), which survives re-encoding, scaling and cropping but
// says only "Kinora", and the C2PA manifest (c2pa-verify.ts), which states the facts and proves the
// bytes unchanged but is gone after any re-encode. The decision table:
//
//   C2PA valid, generator Kinora            → "Made by Kinora" (with its facts and signer), watermark or not
//   watermark found, no valid Kinora C2PA   → "Watermark found: made by Kinora (C2PA manifest …)"
//   neither                                 → "No sign of Kinora" (naming what C2PA there was)
//
// A manifest that names Kinora but does not verify proves nothing, so it never makes a file
// Kinora's on its own; it is reported in the details.
import type { WatermarkReading } from '../video/watermark-detect';
import type { C2paFacts, C2paVerdict } from './c2pa-verify';

/** The C2PA check's outcome, or why it could not run (the SDK failed to load, say). */
export type C2paCheck = C2paVerdict | { state: 'unchecked'; reason: string };

export type ProvenanceKind = 'made-by-kinora' | 'watermark-only' | 'no-sign';

export interface ProvenanceVerdict {
  kind: ProvenanceKind;
  /** One line: the answer. */
  headline: string;
  /** Further lines: the C2PA facts and signer, the watermark's score, why a manifest failed. */
  details: string[];
  /** Present for "made-by-kinora". */
  facts?: C2paFacts;
  signer?: 'this-device' | 'another-device';
}

export const KINORA_GENERATOR = 'Kinora';

/** The facts of a Kinora manifest in one line, leaving out what it does not state. */
export function describeFacts(facts: Partial<C2paFacts>): string {
  const parts = [
    facts.generator && `${facts.generator}${facts.generatorVersion ? ` ${facts.generatorVersion}` : ''}`,
    facts.modelId && `model ${facts.modelId}${facts.weightsSha256 ? ` (weights sha256 ${facts.weightsSha256.slice(0, 12)}…)` : ''}`,
    facts.mode && `mode ${facts.mode}`,
    facts.createdAt && `made ${facts.createdAt}`,
    facts.digitalSourceType && `source type ${facts.digitalSourceType.replace(/^.*\//, '')}`,
    facts.prompt !== undefined && `prompt "${facts.prompt}"`,
  ];
  return parts.filter(Boolean).join(' · ');
}

function describeWatermark(watermark: WatermarkReading): string {
  const score = `score ${watermark.score.toFixed(1)}, ${watermark.threshold} needed`;
  if (!watermark.found) return `Watermark: not found (${score}).`;
  const crop = watermark.crop < 0.97 ? `; the picture looks cropped to about ${Math.round(watermark.crop * 100)} % of its sides` : '';
  return `Watermark: found (${score}, ${watermark.frames} frame${watermark.frames === 1 ? '' : 's'} read${crop}).`;
}

const SIGNERS = {
  'this-device': 'signature from this device (this browser made and signed it)',
  'another-device': 'signature from another device (a Kinora in another browser or on another computer; nobody vouches for its key)',
} as const;

export function decideProvenance(watermark: WatermarkReading, c2pa: C2paCheck): ProvenanceVerdict {
  if (c2pa.state === 'valid' && c2pa.facts.generator === KINORA_GENERATOR) {
    return {
      kind: 'made-by-kinora',
      headline: 'Made by Kinora',
      details: [`Content Credentials (C2PA) verify: ${SIGNERS[c2pa.signer]}.`, describeFacts(c2pa.facts), describeWatermark(watermark)],
      facts: c2pa.facts,
      signer: c2pa.signer,
    };
  }
  const manifest = describeManifest(c2pa);
  if (watermark.found) {
    return { kind: 'watermark-only', headline: `Watermark found: made by Kinora (${manifest.short})`, details: [describeWatermark(watermark), manifest.long] };
  }
  return { kind: 'no-sign', headline: 'No sign of Kinora', details: [describeWatermark(watermark), manifest.long] };
}

/** The C2PA outcome when it does not make the file Kinora's: a few words for the headline, a sentence for the details. */
function describeManifest(c2pa: C2paCheck): { short: string; long: string } {
  switch (c2pa.state) {
    case 'absent':
      return { short: 'C2PA manifest missing', long: 'Content Credentials (C2PA): none in this file (a re-encode or an upload removes them).' };
    case 'valid':
      return {
        short: `C2PA manifest from another tool: ${c2pa.facts.generator || 'unnamed'}`,
        long: `Content Credentials (C2PA) verify, but were written by ${c2pa.facts.generator || 'a tool that does not name itself'}, not Kinora: ${describeFacts(c2pa.facts) || 'no facts stated'}.`,
      };
    case 'invalid': {
      const named = c2pa.facts?.generator === KINORA_GENERATOR ? ' They name Kinora, but a manifest that does not verify proves nothing.' : '';
      return { short: 'C2PA manifest does not verify', long: `Content Credentials (C2PA) do not verify: ${c2pa.reason}.${named}` };
    }
    case 'unchecked':
      return { short: 'C2PA manifest not checked', long: `Content Credentials (C2PA) could not be checked: ${c2pa.reason}` };
  }
}
