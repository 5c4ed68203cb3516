// Cross-origin isolation on any static host. Threads in onnxruntime-web need SharedArrayBuffer,
// which needs the page to be crossOriginIsolated (COOP: same-origin + COEP: require-corp on the
// page and its workers). A host that sends those headers (`npm start`'s server does) isolates the
// page from the first load. On a host that sends none, our service worker (src/sw.ts) adds them
// to every page and worker script it serves; the very first visit, which loaded before the
// service worker existed, is reloaded once when the worker takes control.
//
// The reload happens BEFORE the app is mounted (main.ts awaits this), so nothing a visitor typed,
// and no generation a script started, is ever lost to it. The wait is bounded: if the service
// worker is not in control within WAIT_MS (a slow first download of the precache), the app starts
// single-threaded now and the next visit is isolated. A flag in sessionStorage allows one reload
// per tab: if the browser still refuses isolation after it, Kinora runs single-threaded, no loop.

export type IsolationState =
  /** COOP/COEP are in force: SharedArrayBuffer exists, onnxruntime-web runs several threads. */
  | 'isolated'
  /** No service worker here (insecure context, some private modes, registration blocked or failed): one thread. */
  | 'no-service-worker'
  /** Served by our service worker, or already reloaded once, and still not isolated: one thread. */
  | 'refused'
  /** The service worker did not take control in time: one thread this visit, isolated from the next. */
  | 'not-yet';

const RELOADED_KEY = 'kinora.isolation-reload';
export const WAIT_MS = 8000;

function reloadedBefore(): boolean {
  try {
    return sessionStorage.getItem(RELOADED_KEY) !== null;
  } catch {
    return true; // no storage: never reload, since nothing could stop a second one
  }
}

function markReload(): boolean {
  try {
    sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
    return sessionStorage.getItem(RELOADED_KEY) !== null;
  } catch {
    return false;
  }
}

function forgetReload(): void {
  try {
    sessionStorage.removeItem(RELOADED_KEY);
  } catch {
    /* nothing to forget */
  }
}

export interface IsolationOptions {
  /** Registers the service worker; calls `failed` if registration fails. */
  register(failed: () => void): void;
  /** Called only when the page waits for the service worker (to show a word while it does). */
  onWait?(): void;
}

/**
 * Makes the page cross-origin isolated if it can. Resolves with the state the page will run in,
 * or never resolves when it reloads the page (once) to come back isolated.
 */
export async function prepareIsolation({ register, onWait }: IsolationOptions): Promise<IsolationState> {
  const state = await decide(register, onWait);
  document.documentElement.dataset.isolation = state;
  return state;
}

async function decide(register: IsolationOptions['register'], onWait: IsolationOptions['onWait']): Promise<IsolationState> {
  const sw = 'serviceWorker' in navigator ? navigator.serviceWorker : undefined;
  if (globalThis.crossOriginIsolated) {
    forgetReload();
    if (sw) register(() => {});
    return 'isolated';
  }
  if (!sw) return 'no-service-worker';

  let failed!: () => void;
  const registrationFailed = new Promise<'failed'>((resolve) => (failed = () => resolve('failed')));
  register(failed);
  // Our service worker answered this page and it is still not isolated: the browser refuses
  // isolation by service worker (or an older worker without the headers serves it: the new one
  // is offered once installed, site-update.ts).
  if (sw.controller || reloadedBefore()) return 'refused';

  onWait?.();
  const controlled = new Promise<'controlled'>((resolve) => sw.addEventListener('controllerchange', () => resolve('controlled'), { once: true }));
  // A hard reload bypasses an installed worker: ask it to take this page over.
  void sw.getRegistration().then((registration) => registration?.active?.postMessage({ type: 'KINORA_CLAIM' }), () => {});
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), WAIT_MS));
  const outcome = await Promise.race([controlled, registrationFailed, timeout]);
  if (outcome === 'controlled' && markReload()) {
    location.reload();
    return new Promise<never>(() => {});
  }
  return outcome === 'failed' ? 'no-service-worker' : 'not-yet';
}
