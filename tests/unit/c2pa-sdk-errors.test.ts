// The C2PA SDK's errors in plain words (src/provenance/c2pa-sdk-errors.ts): a file the browser
// could not read is never called damaged, and no SDK code reaches the person (issue 24, defect 9).
import { describe, expect, it } from 'vitest';
import { explainSdkFailure } from '../../src/provenance/c2pa-sdk-errors';

const MB = 1024 * 1024;
/** The text the SDK throws when the browser refuses to read the file (as for a 500 MB MP4 in Chromium's checker; tests/e2e/c2pa.spec.ts meets it for real). */
const NOT_READABLE = new Error(
  "Other(Custom { kind: Other, error: \"Failed to read blob. Details: JsValue(NotReadableError: Failed to execute 'readAsArrayBuffer' on 'FileReaderSync': The requested file could not be read, typically due to permission problems that have occurred after a reference to a file was acquired.)\" })",
);

describe('explainSdkFailure', () => {
  it('a large file the browser could not read is too large for this tab, not damaged', () => {
    const failure = explainSdkFailure(NOT_READABLE, 500 * MB);
    expect(failure.kind).toBe('unreadable');
    expect(failure.words).toBe('the file is too large (500 MB) to read in this tab; the file itself may be intact');
  });

  it('a small file the browser could not read could not be read, and is not called large', () => {
    const failure = explainSdkFailure(NOT_READABLE, 2 * MB);
    expect(failure).toEqual({ kind: 'unreadable', words: expect.stringContaining('could not be read') });
    expect(failure.words).not.toMatch(/large|damaged/);
  });

  it("the SDK's own size limit says the limit", () => {
    const tooLarge = Object.assign(new Error('The provided asset was too large. Size: 1200000000 bytes. Maximum: 1000000000.'), { name: 'AssetTooLargeError' });
    expect(explainSdkFailure(tooLarge, 1_200_000_000)).toEqual({ kind: 'unreadable', words: 'the file is too large for the C2PA checker (1.1 GB; it reads at most 1 GB)' });
  });

  it.each([
    ['C2pa(TooManyManifestStores)', 'more than one set of Content Credentials'],
    ['C2pa(ClaimDecoding("invalid CBOR"))', 'cannot be decoded'],
    ['C2pa(JumbfParseError(UnexpectedEof))', 'cut short or edited'],
    ['C2pa(IoError(Kind(UnexpectedEof)))', 'cut short or edited'],
    ['C2pa(SomethingNewInALaterSdk)', 'damaged and cannot be read'],
  ])('%s is damage, in words without the code', (sdkText, words) => {
    const failure = explainSdkFailure(new Error(sdkText), 3 * MB);
    expect(failure.kind).toBe('damaged');
    expect(failure.words).toContain(words);
    expect(failure.words).not.toMatch(/C2pa\(|TooManyManifestStores|ClaimDecoding|Jumbf|IoError/);
  });

  it('a thrown string (the SDK throws some as text) is read the same', () => {
    expect(explainSdkFailure('C2pa(TooManyManifestStores)', MB).kind).toBe('damaged');
  });
});
