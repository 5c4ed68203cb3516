/// <reference lib="webworker" />
// Kinora's service worker. Two jobs:
//  1. Offline after one visit: Workbox precaches the app shell, the worker, onnxruntime-web's
//     .mjs and .wasm (the manifest is injected at build time as self.__WB_MANIFEST).
//  2. Cross-origin isolation on hosts that set no headers (the coi-serviceworker technique):
//     every page and worker script it answers carries COOP: same-origin and COEP: require-corp,
//     so the page that loads under it is crossOriginIsolated, SharedArrayBuffer exists and
//     onnxruntime-web can run several threads. src/app/isolation.ts reloads the page once when
//     this worker first takes control, so the first visit is isolated too.
//
// Why injectManifest and our own file rather than generateSW: generateSW gives no way to change
// the responses its precache route returns, and the navigations and worker scripts are exactly
// those responses. Here a Workbox plugin (handlerWillRespond) adds the headers to everything the
// precache answers, online or offline, and one more route adds them to the app's own documents and
// worker scripts when the precache does not answer (a query it does not ignore). Other requests
// (model downloads, and every file of other apps on the origin, sw-own-files.ts) are not touched:
// they go to the network exactly as without a service worker. Nothing here ever contacts another origin.
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import { isAppNavigation } from './sw-navigation';
import { isOwnFile } from './sw-own-files';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

/** COEP require-corp rather than credentialless: Kinora loads nothing from other origins, and require-corp is understood by every browser that isolates. */
const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The request destinations whose response headers decide isolation: documents and worker scripts. */
const ISOLATING_DESTINATIONS = new Set<RequestDestination>(['document', 'iframe', 'worker', 'sharedworker']);

function withIsolationHeaders(response: Response): Response {
  // Opaque responses and redirects cannot be rebuilt (and are never ours to isolate).
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// No skipWaiting() here: a new version waits until a page asks for it (SKIP_WAITING, below), which
// the page does only when the person accepts it and no video is being made (src/app/site-update.ts).
// clientsClaim: the first install takes the open page over, for its isolation reload (isolation.ts).
clientsClaim();

addPlugins([
  {
    // Only answers to fetch events: precaching at install calls the same strategy, and rewrapping
    // there would only tee the bodies for nothing.
    handlerWillRespond: async ({ event, response }) => (event instanceof FetchEvent ? withIsolationHeaders(response) : response),
  },
]);
// Read once: the build injects the list at this one place.
const manifest = self.__WB_MANIFEST;
precacheAndRoute(manifest);
/** The build's files, as absolute URLs without query: the only files of the origin that are Kinora's. */
const ownFiles = new Set(manifest.map((entry) => {
  const url = new URL(typeof entry === 'string' ? entry : entry.url, self.location.href);
  return `${url.origin}${url.pathname}`;
}));
cleanupOutdatedCaches();
// A navigation to the app's own page (its base path, with any query) gets the (isolated) app
// shell, online or not. Every other path of the origin goes to the network untouched: Kinora
// hosted at a site's root must not answer for the site's other pages (sw-navigation.ts).
const appScope = new URL(self.registration.scope);
registerRoute(({ request, url }) => request.mode === 'navigate' && isAppNavigation(url, appScope), createHandlerBoundToURL('index.html'));
// The app's own documents and worker scripts that the precache did not answer (a safety net). Only
// the build's files: other apps of the origin, even under the same base path "/", keep the headers
// their host sends (a path prefix once gave another app's worker COEP and broke its fetches).
registerRoute(
  ({ request, url, sameOrigin }) =>
    sameOrigin &&
    ISOLATING_DESTINATIONS.has(request.destination) &&
    (request.mode === 'navigate' ? isAppNavigation(url, appScope) : isOwnFile(url, appScope, ownFiles)),
  async ({ request }) => withIsolationHeaders(await fetch(request)),
);

self.addEventListener('message', (event) => {
  const type = (event.data as { type?: string } | null)?.type;
  // Sent by workbox-window's messageSkipWaiting() when the person accepts the new version.
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  // A page that loaded without us (a hard reload bypasses the service worker) asks to be taken
  // over, so that its one isolation reload comes back through this worker.
  if (type === 'KINORA_CLAIM') event.waitUntil(self.clients.claim());
});
