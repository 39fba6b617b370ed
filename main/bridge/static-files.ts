import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { ART_PATH, artHeaders } from '../core/art/art-proxy';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Headers every popover file is served with, by the demo server and the app's `app://` protocol alike. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/**
 * Reads a file of the built popover for a URL path: `/` is `index.html`, nothing outside `root` is ever read.
 * Returns `status` 403/404/400 instead of throwing.
 */
export async function readStaticFile(
  root: string,
  pathname: string,
): Promise<{ status: 200; body: Buffer; type: string } | { status: 400 | 403 | 404 }> {
  const base = normalize(root + sep);
  let file: string;
  try {
    file = normalize(join(base, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
  } catch {
    return { status: 400 };
  }
  if (!file.startsWith(base)) return { status: 403 };
  try {
    return {
      status: 200,
      body: await readFile(file),
      type: TYPES[extname(file)] ?? 'application/octet-stream',
    };
  } catch {
    return { status: 404 };
  }
}

/**
 * Serves the built popover from `root` with its security headers, and album art under `/art/` from `art` (the
 * core's art proxy). Only GET/HEAD; the page asks for `/favicon.ico`, which gets an empty 204 rather than a 404
 * console error.
 */
export function createStaticHandler(
  root: string,
  csp: string,
  art: ((path: string) => Promise<{ type: string; body: Buffer } | null>) | null = null,
) {
  const headers = securityHeaders(csp);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = pathOf(req.url);
    if (pathname === null) {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    if (pathname === '/favicon.ico') {
      res.writeHead(204, headers).end();
      return;
    }
    if (pathname.startsWith(ART_PATH)) {
      const image = art ? await art(pathname) : null;
      if (!image) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end();
        return;
      }
      res.writeHead(200, artHeaders(image.type));
      res.end(req.method === 'HEAD' ? undefined : image.body);
      return;
    }
    const file = await readStaticFile(root, pathname);
    if (file.status !== 200) {
      res.writeHead(file.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
}

/** The path of a request target, or null when it is not a URL path at all (such as `//`). */
function pathOf(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}
