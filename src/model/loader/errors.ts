// The ways loading a model can fail, each as its own class so the worker can branch on the
// kind, and each with a message written for the visitor: what happened, and what to do.

/** Base of every model-loading failure; `message` is fit to show the user as it is. */
export class ModelLoadError extends Error {
  override readonly name: string = 'ModelLoadError';
}

/** The server answered, but not with the file (404, 500, ...). */
export class ModelFileMissingError extends ModelLoadError {
  override readonly name = 'ModelFileMissingError';
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(
      `The model file ${fileName(url)} could not be downloaded (the server answered ${status}). ` +
        'The site may be incomplete or being updated: reload the page in a minute, or tell whoever hosts it.',
    );
  }
}

/** No answer at all: offline, DNS, connection refused. */
export class ModelNetworkError extends ModelLoadError {
  override readonly name = 'ModelNetworkError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `The model file ${fileName(url)} could not be downloaded because the network is unreachable. ` +
        'Check your connection and try again; once the model is downloaded, Kinora works offline.',
      { cause },
    );
  }
}

/** The download kept stopping part-way, more times than we retry. */
export class ModelDownloadInterruptedError extends ModelLoadError {
  override readonly name = 'ModelDownloadInterruptedError';
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly receivedBytes: number,
    readonly expectedBytes: number,
  ) {
    super(
      `The download of ${fileName(url)} was cut off ${attempts} times ` +
        `(${receivedBytes} of ${expectedBytes} bytes arrived last time). ` +
        'The connection seems unstable: try again, ideally on a steadier network. Files already downloaded are kept.',
    );
  }
}

/** The bytes arrived but are not the ones the manifest promises (size or sha256). */
export class ModelIntegrityError extends ModelLoadError {
  override readonly name = 'ModelIntegrityError';
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `The model file ${fileName(url)} arrived damaged or does not match the model's manifest ` +
        `(expected ${expected}, got ${actual}), so Kinora will not use it. ` +
        'Reload the page to try again; if it keeps happening, the site is serving a mismatched model.',
    );
  }
}

/** manifest.json or models/index.json is not what the loader can read. */
export class ModelManifestError extends ModelLoadError {
  override readonly name = 'ModelManifestError';
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`The model description ${fileName(url)} is not valid: ${detail}. The site's model files need to be exported again.`);
  }
}

/** A safetensors file whose header or data layout is broken. */
export class SafetensorsFormatError extends ModelLoadError {
  override readonly name = 'SafetensorsFormatError';
  constructor(detail: string) {
    super(`The model weights are not a valid safetensors file: ${detail}. Delete the downloaded model and load it again.`);
  }
}

/** The user (or the app) cancelled the load. */
export class ModelLoadAbortedError extends ModelLoadError {
  override readonly name = 'ModelLoadAbortedError';
  constructor() {
    super('Loading the model was cancelled.');
  }
}

function fileName(url: string): string {
  const path = url.split(/[?#]/)[0];
  return path.slice(path.lastIndexOf('/') + 1) || url;
}

/**
 * A manifest of a later format than this app reads: the model is
 * fine, the app is old. A newer app (a reload once the site is updated) or another model helps.
 */
export class ModelNeedsNewerAppError extends ModelLoadError {
  override readonly name = 'ModelNeedsNewerAppError';
  readonly userError = true;
  constructor(
    readonly modelId: string,
    readonly formatVersion: number,
    readonly supported: number,
  ) {
    super(
      `The model "${modelId}" is made for a newer version of Kinora (model format ${formatVersion}; this app reads up to ${supported}). ` +
        'Reload the page to get the newest app, or choose another model in Settings.',
    );
  }
}

/** A model id the site does not list: a typo, or a model the site retired. Another try cannot help, so it is the user's. */
export class UnknownModelError extends ModelLoadError {
  override readonly name = 'UnknownModelError';
  readonly userError = true;
  constructor(
    readonly modelId: string,
    readonly models: readonly string[],
    readonly defaultId: string,
  ) {
    super(
      `This site has no model "${modelId}". Its models are ${models.map((m) => (m === defaultId ? `${m} (the default)` : m)).join(', ')}: ` +
        'choose one of them in Settings, or leave the choice to the default.',
    );
  }
}
