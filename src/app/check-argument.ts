// window.kinora.check(file) is called by scripts and by people in the console; what it is handed is
// checked before anything reads it, so `check(null)` or `check("clip.mp4")` gets a sentence that
// says what to give instead of a TypeError from deep inside the reader.

export class CheckArgumentError extends Error {
  readonly userError = true;
  constructor(given: unknown) {
    const what = given === null ? 'null' : Array.isArray(given) ? 'a list' : typeof given === 'string' ? `the text "${given.slice(0, 40)}"` : typeof given;
    super(`window.kinora.check needs one file: a Blob or File, or { base64, type } with the file's bytes, not ${what}.`);
    this.name = 'CheckArgumentError';
  }
}

/** `file` itself when it is a Blob; throws CheckArgumentError for anything else. */
export function blobToCheck(file: unknown): Blob {
  if (file instanceof Blob) return file;
  throw new CheckArgumentError(file);
}
