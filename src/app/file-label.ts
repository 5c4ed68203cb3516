// How a chosen or dropped file is named on the page: its name and its size as a person reads it.
// An empty file says so ("0 bytes, empty") instead of being rounded up to "1 kB", and a file under
// a kilobyte gives its bytes, so a broken download is visible before anything is checked.

export function describeFileSize(bytes: number): string {
  if (bytes === 0) return '0 bytes, empty';
  if (bytes < 1000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * What to say when more than one file is dropped where one is taken: the first is used, and the
 * person is told which, instead of the others vanishing silently.
 */
export function extraFilesNotice(names: readonly string[]): string | undefined {
  if (names.length < 2) return undefined;
  const others = names.length - 1;
  return `${names.length} files were dropped; only the first, “${names[0]}”, is used. Drop the ${others === 1 ? 'other' : `other ${others}`} one at a time.`;
}
