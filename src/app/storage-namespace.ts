// Each deployment of Kinora keeps its own gallery, settings and drafts, keyed by its base path:
// copies under /alice/ and /bob/ of one origin share an origin's storage (IndexedDB, localStorage),
// so without a namespace each would show the other's videos and prompts. At the root the names stay
// as they always were, so that a gallery made there before namespaces existed is still found.

/** The folder the app's page is served from, e.g. '/' or '/tools/kinora/'. */
export function appBasePath(pageUrl: string | undefined = globalThis.document?.baseURI): string {
  return pageUrl ? new URL('./', pageUrl).pathname : '/';
}

/** `name` for this deployment: itself at the root, `name@/base/path/` under a sub-path. */
export function namespaced(name: string, basePath: string = appBasePath()): string {
  return basePath === '/' ? name : `${name}@${basePath}`;
}
