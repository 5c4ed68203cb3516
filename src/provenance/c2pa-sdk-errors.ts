// The C2PA SDK's errors in the words of the person who chose the file. The SDK (c2pa-rs in
// WebAssembly) throws its Rust error as text, for example `C2pa(TooManyManifestStores)` or
// `C2pa(IoError(Custom { kind: Other, error: "NotReadableError: …" }))`. Two kinds are told apart,
// because they call for opposite answers (issue 24, defect 9):
//   unreadable — the browser could not hand the file's bytes over (too large for this tab's memory,
//                or moved or changed since it was chosen): nothing is known about the file, which
//                may be intact, so it must not be called damaged;
//   damaged    — the bytes were read and their Content Credentials are broken.

export type SdkFailure = { kind: 'unreadable'; words: string } | { kind: 'damaged'; words: string };

/** Above this, a file the browser could not read is most likely too large for the tab to hold (500 MB failed in Chromium). */
const LARGE_FILE_BYTES = 100 * 1024 * 1024;

/** The browser's own reading failures (DOMException names and V8's allocation errors), as they appear inside the SDK's text. */
const READ_FAILURE = /NotReadableError|NotFoundError|SecurityError|Array buffer allocation failed|out of memory|RangeError/i;

/** c2pa-rs error names, each with what it means for the file. */
const DAMAGE_WORDS: [RegExp, string][] = [
  [/TooManyManifestStores/, 'the file holds more than one set of Content Credentials, which a C2PA file may not: it was changed after signing, or pieced together from several files'],
  [/ClaimDecoding|ClaimMissing|ClaimInvalidContent/, 'the signed statement in its Content Credentials cannot be decoded: they are damaged'],
  [/Jumbf|InvalidAsset|UnexpectedEof|UnexpectedEnd|BadParam/, 'its Content Credentials are damaged and cannot be read: the file was probably cut short or edited'],
];

const MB = 1024 * 1024;

function sizeInWords(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(1)} GB` : `${Math.round(bytes / MB)} MB`;
}

export function explainSdkFailure(error: unknown, fileBytes: number): SdkFailure {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // The SDK refuses files over its limit before reading them (its AssetTooLargeError).
  if (/AssetTooLargeError/.test(text)) {
    return { kind: 'unreadable', words: `the file is too large for the C2PA checker (${sizeInWords(fileBytes)}; it reads at most 1 GB)` };
  }
  if (READ_FAILURE.test(text)) {
    return {
      kind: 'unreadable',
      words:
        fileBytes >= LARGE_FILE_BYTES
          ? `the file is too large (${sizeInWords(fileBytes)}) to read in this tab; the file itself may be intact`
          : 'the file could not be read (it may have been moved or changed since it was chosen); the file itself may be intact',
    };
  }
  const known = DAMAGE_WORDS.find(([pattern]) => pattern.test(text));
  return { kind: 'damaged', words: known ? known[1] : 'its Content Credentials are damaged and cannot be read' };
}
