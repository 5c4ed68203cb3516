// Why a model could not be saved for offline use. These are warnings, not failures: the
// loader still returns the bytes it downloaded, so the app keeps running from the network.

export class ModelCacheError extends Error {
  override readonly name: string = 'ModelCacheError';
}

/** The browser's storage quota for this site is used up (IndexedDB's QuotaExceededError). */
export class ModelCacheFullError extends ModelCacheError {
  override readonly name = 'ModelCacheFullError';
  constructor(
    /** The model concerned; '' when the failure concerns the cache as a whole. */
    readonly modelId: string,
    /** Size of the write that did not fit; 0 when unknown. */
    readonly neededBytes: number,
    cause: unknown,
  ) {
    super(
      `There is not enough browser storage to keep ${subject(modelId)} for offline use` +
        (neededBytes > 0 ? ` (${megabytes(neededBytes)} more did not fit). ` : '. ') +
        'Kinora still works, but will download the model again on your next visit. ' +
        "To keep it, delete other downloaded models in Kinora, or free disk space or this site's data in the browser settings.",
      { cause },
    );
  }
}

/** IndexedDB refused for another reason (private browsing, a blocked or broken database). */
export class ModelCacheUnavailableError extends ModelCacheError {
  override readonly name = 'ModelCacheUnavailableError';
  constructor(
    /** The model concerned; '' when the failure concerns the cache as a whole. */
    readonly modelId: string,
    cause: unknown,
  ) {
    super(
      `The browser would not let Kinora keep ${subject(modelId)} for offline use (${describe(cause)}). ` +
        'Kinora still works, but will download the model again on your next visit. ' +
        'Private browsing windows and some privacy settings block site storage.',
      { cause },
    );
  }
}

/** IndexedDB reports a full quota as a DOMException named QuotaExceededError (legacy code 22). */
export function isQuotaExceeded(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code } = err as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || code === 22;
}

function subject(modelId: string): string {
  return modelId ? `the model ${modelId}` : 'downloaded models';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
