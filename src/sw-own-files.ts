// Which of the origin's files are Kinora's own, for its service worker: the files of its build (the
// precache manifest's), and nothing else. A path prefix is not enough: Kinora served at a site's
// root has the base path "/", under which every other app of the origin lives too, and a COEP:
// require-corp header added to another app's worker script breaks that worker's cross-origin fetches.

/**
 * Whether `url` is one of `ownFiles` (absolute URLs without query or fragment: the build's files)
 * under `scope`, Kinora's base path. A query or fragment does not make it another file.
 */
export function isOwnFile(url: URL, scope: URL, ownFiles: ReadonlySet<string>): boolean {
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return false;
  return ownFiles.has(`${url.origin}${url.pathname}`);
}
