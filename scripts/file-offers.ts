// Files of this machine handed to the page by URL, streamed from disk by the tools' local server
// (site-session.ts), so a file of any size reaches the page without being held whole in Node or
// in one string: `npm run detect` once sent each file through page.evaluate as base64, which
// failed at a few hundred MB (issue 24, defect 7). Only offered files are served, each under a
// random path, for as long as the session runs.
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const OFFER_PREFIX = '/__kinora-file/';

export class FileOffers {
  private readonly paths = new Map<string, string>();

  /** The path, from the site's root, at which the page can fetch the file at `path`. */
  offer(path: string): string {
    const id = randomUUID();
    this.paths.set(id, path);
    return `${OFFER_PREFIX}${id}`;
  }

  /** Answers the request if it asks for an offered file (true), or leaves it to the site (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!req.url?.startsWith(OFFER_PREFIX)) return false;
    const path = this.paths.get(req.url.slice(OFFER_PREFIX.length));
    if (path === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not offered');
      return true;
    }
    let size: number;
    try {
      size = statSync(path).size;
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end((err as NodeJS.ErrnoException).code ?? 'unreadable');
      return true;
    }
    const stream = createReadStream(path);
    stream.once('open', () => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) });
      stream.pipe(res);
    });
    stream.once('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) res.destroy(err);
      else res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err.code ?? 'unreadable');
    });
    return true;
  }
}
