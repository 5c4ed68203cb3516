// The detector's decision table: a watermark reading and a C2PA verdict → one of three answers.
import { describe, expect, it } from 'vitest';
import type { C2paFacts } from '../../src/provenance/c2pa-verify';
import { decideProvenance, describeFacts, type C2paCheck } from '../../src/provenance/provenance-verdict';
import type { WatermarkReading } from '../../src/video/watermark-detect';

const found: WatermarkReading = { found: true, score: 11.2, threshold: 5, crop: 1, frames: 16 };
const cropped: WatermarkReading = { found: true, score: 6.1, threshold: 5, crop: 0.78, frames: 16 };
const notFound: WatermarkReading = { found: false, score: 1.4, threshold: 5, crop: 0.93, frames: 16 };
const facts: C2paFacts = {
  generator: 'Kinora',
  generatorVersion: '0.1.0',
  modelId: 'kinora-small',
  weightsSha256: 'ab'.repeat(32),
  mode: 'text',
  createdAt: '2026-12-01T10:00:00.000Z',
  digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
};
const validHere: C2paCheck = { state: 'valid', facts, signer: 'this-device' };
const validElsewhere: C2paCheck = { state: 'valid', facts, signer: 'another-device' };
const otherTool: C2paCheck = { state: 'valid', facts: { ...facts, generator: 'Photo Editor', modelId: '', mode: '' }, signer: 'another-device' };
const invalidKinora: C2paCheck = { state: 'invalid', reason: 'assertion.dataHash.mismatch', facts: { generator: 'Kinora' } };
const absent: C2paCheck = { state: 'absent' };
const unchecked: C2paCheck = { state: 'unchecked', reason: 'the C2PA checker could not start' };

describe('decideProvenance', () => {
  it.each([
    [found, validHere, 'made-by-kinora', 'Made by Kinora'],
    [notFound, validHere, 'made-by-kinora', 'Made by Kinora'],
    [found, validElsewhere, 'made-by-kinora', 'Made by Kinora'],
    [found, absent, 'watermark-only', 'Watermark found: made by Kinora (C2PA manifest missing)'],
    [cropped, absent, 'watermark-only', 'Watermark found: made by Kinora (C2PA manifest missing)'],
    [found, invalidKinora, 'watermark-only', 'Watermark found: made by Kinora (C2PA manifest does not verify)'],
    [found, otherTool, 'watermark-only', 'Watermark found: made by Kinora (C2PA manifest from another tool: Photo Editor)'],
    [found, unchecked, 'watermark-only', 'Watermark found: made by Kinora (C2PA manifest not checked)'],
    [notFound, absent, 'no-sign', 'No sign of Kinora'],
    [notFound, invalidKinora, 'no-sign', 'No sign of Kinora'],
    [notFound, otherTool, 'no-sign', 'No sign of Kinora'],
    [notFound, unchecked, 'no-sign', 'No sign of Kinora'],
  ] as const)('watermark %o + C2PA %o → %s', (watermark, c2pa, kind, headline) => {
    const verdict = decideProvenance(watermark, c2pa);
    expect(verdict.kind).toBe(kind);
    expect(verdict.headline).toBe(headline);
  });

  it('names the signer and the facts of a Kinora manifest that verifies', () => {
    const here = decideProvenance(found, validHere);
    expect(here).toMatchObject({ signer: 'this-device', facts });
    expect(here.details.join('\n')).toContain('signature from this device');
    expect(here.details.join('\n')).toContain('model kinora-small (weights sha256 abababababab…) · mode text · made 2026-12-01T10:00:00.000Z · source type trainedAlgorithmicMedia');
    expect(decideProvenance(found, validElsewhere).details.join('\n')).toContain('signature from another device');
  });

  it('says why a manifest did not count, and what the watermark read', () => {
    const invalid = decideProvenance(notFound, invalidKinora).details.join('\n');
    expect(invalid).toContain('do not verify: assertion.dataHash.mismatch');
    expect(invalid).toContain('They name Kinora, but a manifest that does not verify proves nothing.');
    expect(invalid).toContain('Watermark: not found (score 1.4, 5 needed).');
    expect(decideProvenance(cropped, absent).details.join('\n')).toContain('cropped to about 78 % of its sides');
    expect(decideProvenance(found, otherTool).details.join('\n')).toContain('written by Photo Editor, not Kinora');
  });

  it('writes the prompt only when the manifest carries it', () => {
    expect(describeFacts(facts)).not.toContain('prompt');
    expect(describeFacts({ ...facts, prompt: 'a red ball' })).toContain('prompt "a red ball"');
  });
});
