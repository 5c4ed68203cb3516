// Which navigations Kinora's service worker answers with its app shell. Only the app's own pages:
// the folder it is served from (its base path) and that folder's index.html. A site that hosts
// Kinora at its root has other pages on the same origin (another project, a mistyped link); those
// must reach the network and get the host's own answer, not a blank page titled Kinora.

/** Whether a navigation to `url` is to the app itself, which lives at `scope` (its base path, ending in '/'). */
export function isAppNavigation(url: URL, scope: URL): boolean {
  if (url.origin !== scope.origin) return false;
  return url.pathname === scope.pathname || url.pathname === `${scope.pathname}index.html`;
}
