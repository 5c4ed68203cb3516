// Kinora's service worker touches only Kinora's own files: at a site's root, another app's worker
// script on the same origin must not get COEP: require-corp (its cross-origin fetches would fail).
import { describe, expect, it } from 'vitest';
import { isOwnFile } from '../../src/sw-own-files';

const own = (scope: string, ...paths: string[]) => new Set(paths.map((p) => new URL(p, scope).href));

describe('the files Kinora\'s service worker answers for', () => {
  it('at the root of a site: its own build\'s files, not another app\'s worker under /other/', () => {
    const scope = new URL('https://example.org/');
    const files = own(scope.href, 'index.html', 'assets/worker-CpATegDL.js');
    expect(isOwnFile(new URL('https://example.org/assets/worker-CpATegDL.js'), scope, files)).toBe(true);
    expect(isOwnFile(new URL('https://example.org/assets/worker-CpATegDL.js?v=2#x'), scope, files)).toBe(true);
    expect(isOwnFile(new URL('https://example.org/other/worker.js'), scope, files)).toBe(false);
    expect(isOwnFile(new URL('https://example.org/other/'), scope, files)).toBe(false);
  });

  it('under a sub-path: nothing outside it, and nothing of another origin', () => {
    const scope = new URL('https://example.org/apps/kinora/');
    const files = own(scope.href, 'assets/worker-CpATegDL.js');
    expect(isOwnFile(new URL('https://example.org/apps/kinora/assets/worker-CpATegDL.js'), scope, files)).toBe(true);
    expect(isOwnFile(new URL('https://example.org/apps/other/assets/worker-CpATegDL.js'), scope, files)).toBe(false);
    expect(isOwnFile(new URL('https://cdn.example.com/apps/kinora/assets/worker-CpATegDL.js'), scope, files)).toBe(false);
  });
});
