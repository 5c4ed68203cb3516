// Shared pieces of the end-to-end tests: launch flags, the URLs the servers listen on,
// and a recorder of every request a browser context makes (page, workers, service worker).
import type { BrowserContext, Request } from '@playwright/test';
export { OTHER_SUBPATH_URL, PLAIN_HOST_URL, ROOT_URL, SUBPATH_URL } from '../../playwright.config';

export interface RequestLog {
  urls: string[];
  /** Requests whose origin is not `origin` (data: and blob: URLs stay inside the page and are allowed). */
  foreign(origin: string): string[];
}

export function recordRequests(context: BrowserContext): RequestLog {
  const urls: string[] = [];
  const seen = (req: Request) => urls.push(req.url());
  // context-level events include the service worker's own fetches and the workers' requests.
  context.on('request', seen);
  context.on('weberror', () => {});
  return {
    urls,
    foreign: (origin) =>
      urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin),
  };
}
