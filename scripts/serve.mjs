// A plain static file server for the built site, as any host would serve it: no Vite,
// no rewrites, optionally under a sub-path. Used by `npm start` and the end-to-end tests.
// Usage: node scripts/serve.mjs [dir=dist] [--port 4173] [--host 127.0.0.1] [--prefix /sub/path/ …]
//                               [--no-isolation-headers] [--test-models]
//
// By default every response carries the two headers that make the page cross-origin isolated
// (so SharedArrayBuffer exists and onnxruntime-web runs several threads) from the first load:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// Any real host can send the same two headers (docs/isolation.md). --no-isolation-headers serves
// the site as a host that sends none; then Kinora's service worker adds them (after one reload).
// Either way it sends frame-ancestors 'none', X-Content-Type-Options and a Referrer-Policy.
// --test-models adds the test models (tests/fixtures/models/) to the site's models, as the
// end-to-end tests need them (scripts/test-models.mjs); a visitor's site has none.
import http from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';
import { testModelHandler } from './test-models.mjs';

const VALUE_OPTIONS = new Set(['--port', '--host', '--prefix']);
const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}
const dir = args.find((a, i) => !a.startsWith('--') && !VALUE_OPTIONS.has(args[i - 1])) ?? 'dist';
const port = Number(option('port', '4173'));
const host = option('host', '127.0.0.1');
// --prefix may be given more than once: the same site under several sub-paths of one origin.
const prefixValues = args.flatMap((a, i) => (a === '--prefix' ? [args[i + 1]] : []));
const prefixes = (prefixValues.length ? prefixValues : ['/']).map((p) => `/${p.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/'));
const isolationHeaders = !args.includes('--no-isolation-headers');
const testModels = args.includes('--test-models') ? testModelHandler({ siteIndexPath: join(dir, 'models', 'index.json') }) : () => false;

// Sent on every response, with isolation headers or without: no site may frame Kinora (a single
// Delete is one click), no file is sniffed as another type, and no address leaks in a Referer.
// The page's own content-security policy is a <meta> tag in index.html, so it holds on any host.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
/** Model files have no registered type; with nosniff they must still be named as bytes. */
const BINARY_EXTENSIONS = /\.(onnx|safetensors|bin)$/;

const files = sirv(dir, {
  dev: true,
  etag: true,
  extensions: ['html'],
  setHeaders: (res, pathname) => {
    if (BINARY_EXTENSIONS.test(pathname)) res.setHeader('Content-Type', 'application/octet-stream');
  },
});

const server = http.createServer((req, res) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (isolationHeaders) {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  }
  const url = req.url ?? '/';
  const bare = prefixes.find((p) => p !== '/' && url === p.slice(0, -1));
  if (bare) {
    res.writeHead(301, { Location: bare }).end();
    return;
  }
  const prefix = prefixes.find((p) => url.startsWith(p));
  if (!prefix) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Not found: Kinora is served under ${prefixes.join(' and ')}\n`);
    return;
  }
  req.url = `/${url.slice(prefix.length)}`;
  if (testModels(req, res)) return;
  files(req, res, () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n'));
});

server.listen(port, host, () => {
  const how = `${isolationHeaders ? 'with COOP/COEP headers (cross-origin isolated)' : 'without isolation headers'}${args.includes('--test-models') ? ', with the test models' : ''}`;
  console.log(`Kinora is served at ${prefixes.map((p) => `http://${host}:${port}${p}`).join(' and ')} ${how}  (Ctrl+C stops it)`);
});
