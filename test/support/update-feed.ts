/**
 * A local update server for electron-updater's generic provider: `latest-linux.yml` (the metadata electron-builder
 * publishes next to an AppImage) and the files it lists, on 127.0.0.1. A test publishes a version, or makes the
 * feed answer with an HTML page, or stops it, and reads which paths were requested.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dump } from 'js-yaml';

export interface PublishOptions {
  /** The file's bytes (a stand-in AppImage). */
  content: string;
  /** Published checksum; the real one unless a test wants a wrong one. */
  sha512?: string;
  releaseDate?: string;
  /** Serve the file through a redirect, as GitHub release assets are. */
  redirect?: boolean;
}

export function sha512Base64(content: string | Buffer): string {
  return createHash('sha512').update(content).digest('base64');
}

export function appImageName(version: string): string {
  return `tray-for-sonos-${version}-linux-x86_64.AppImage`;
}

export class UpdateFeed {
  readonly requests: string[] = [];
  mode: 'feed' | 'html' = 'feed';
  private files = new Map<string, string>();
  private redirects = new Map<string, string>();
  private server: Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      this.requests.push(path);
      if (this.mode === 'html') {
        // A captive portal or a misconfigured host: 200 with a web page.
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          '<!doctype html><html><head><title>Sign in</title></head><body>Wi-Fi login</body></html>',
        );
        return;
      }
      const target = this.redirects.get(path);
      if (target) {
        response.writeHead(302, { location: target });
        response.end();
        return;
      }
      const body = this.files.get(path);
      if (body === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('Not Found');
        return;
      }
      response.writeHead(200, {
        'content-type': path.endsWith('.yml') ? 'text/yaml' : 'application/octet-stream',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops answering (connections are refused) until `start` again on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  async restart(): Promise<void> {
    await this.start(this.port);
  }

  /** What electron-builder writes for an AppImage release: version, files with sha512 and size, path, date. */
  publish(version: string, options: PublishOptions): void {
    const name = appImageName(version);
    const sha512 = options.sha512 ?? sha512Base64(options.content);
    this.files.clear();
    this.redirects.clear();
    if (options.redirect) {
      this.redirects.set(`/${name}`, `/assets/${name}`);
      this.files.set(`/assets/${name}`, options.content);
    } else {
      this.files.set(`/${name}`, options.content);
    }
    this.files.set(
      '/latest-linux.yml',
      dump({
        version,
        files: [{ url: name, sha512, size: Buffer.byteLength(options.content) }],
        path: name,
        sha512,
        releaseDate: options.releaseDate ?? '2026-01-01T00:00:00.000Z',
      }),
    );
  }

  downloads(): string[] {
    return this.requests.filter((path) => path.endsWith('.AppImage'));
  }

  checks(): number {
    return this.requests.filter((path) => path === '/latest-linux.yml').length;
  }
}
