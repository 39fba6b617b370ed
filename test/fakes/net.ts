/**
 * Electron's `net` module (https://www.electronjs.org/docs/latest/api/net), as far as electron-updater uses it,
 * carried over Node's http/https so the real updater code talks to a real server made by the test. What differs
 * from Node's own client is modelled on Electron's documentation and issue tracker, because that is what the
 * updater meets in the app:
 *
 * - `net.request` works only after the app is ready (net.md: "can only be used after the app emits the `ready`
 *   event").
 * - Failures are Chromium net errors: an `Error` whose message is `net::ERR_…` and which has no `code`
 *   (electron-userland/electron-builder#2405, #4032: "Error: net::ERR_CONNECTION_REFUSED"), so code that looks for
 *   Node's `ECONNREFUSED` never sees one.
 * - Response headers are lowercased; duplicates are joined with ", " except `set-cookie`, which is an array
 *   (incoming-message.md). `IncomingMessage` is a Readable stream (lib/common/api/net-client-request.ts in
 *   electron/electron), so `setEncoding` and `pipe` work as electron-updater uses them.
 * - Restricted headers (`Content-Length`, `Host`, `Trailer`, `Te`, `Upgrade`, `Cookie2`, `Keep-Alive`,
 *   `Transfer-Encoding`, `Connection: upgrade`) are refused (client-request.md `setHeader`); electron-updater
 *   strips `Host` itself because Electron answers it with net::ERR_INVALID_ARGUMENT.
 * - Redirects follow the `redirect` option: `follow` (default) follows, `error` fails, `manual` emits `redirect`
 *   and cancels unless `followRedirect()` is called synchronously (client-request.md).
 * - `abort()` emits `abort` then `close`, and `aborted` on a response in progress; nothing after `close`.
 *
 * Not modelled: proxies and the `login` event, caching, upload progress. Tests may only reach loopback, so any
 * other host fails with net::ERR_ACCESS_DENIED — a guard of this fake, not Electron behaviour.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';

export interface NetRequestOptions {
  method?: string;
  url?: string;
  headers?: Record<string, string | string[]>;
  session?: unknown;
  partition?: string;
  protocol?: string;
  host?: string;
  hostname?: string;
  port?: number | string;
  path?: string;
  redirect?: 'follow' | 'error' | 'manual';
  [other: string]: unknown;
}

const RESTRICTED = new Set([
  'content-length',
  'host',
  'trailer',
  'te',
  'upgrade',
  'cookie2',
  'keep-alive',
  'transfer-encoding',
]);

function checkHeader(name: string, value: unknown): void {
  const lower = name.toLowerCase();
  if (RESTRICTED.has(lower) || (lower === 'connection' && String(value).toLowerCase() === 'upgrade')) {
    throw new Error(`net::ERR_INVALID_ARGUMENT (the ${name} header may not be set)`);
  }
}

/** Node's socket errors as Chromium names them. */
function chromiumError(error: NodeJS.ErrnoException): Error {
  const name =
    {
      ECONNREFUSED: 'ERR_CONNECTION_REFUSED',
      ECONNRESET: 'ERR_CONNECTION_RESET',
      EPIPE: 'ERR_CONNECTION_RESET',
      ETIMEDOUT: 'ERR_TIMED_OUT',
      ENOTFOUND: 'ERR_NAME_NOT_RESOLVED',
      EHOSTUNREACH: 'ERR_ADDRESS_UNREACHABLE',
    }[error.code ?? ''] ?? 'ERR_FAILED';
  return new Error(`net::${name}`);
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Electron's header object: lowercased names, duplicates joined (set-cookie kept as an array). */
function electronHeaders(raw: string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const existing = headers[name];
    if (name === 'set-cookie') headers[name] = [...((existing as string[] | undefined) ?? []), value];
    else if (existing === undefined) headers[name] = value;
    else if (name === 'cookie') headers[name] = `${String(existing)}; ${value}`;
    else headers[name] = `${String(existing)}, ${value}`;
  }
  return headers;
}

export class FakeIncomingMessage extends Readable {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly headers: Record<string, string | string[]>;
  readonly rawHeaders: string[];
  readonly httpVersion: string;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;

  constructor(private readonly source: http.IncomingMessage) {
    super();
    this.statusCode = source.statusCode ?? 0;
    this.statusMessage = source.statusMessage ?? '';
    this.rawHeaders = [...source.rawHeaders];
    this.headers = electronHeaders(source.rawHeaders);
    this.httpVersion = source.httpVersion;
    this.httpVersionMajor = source.httpVersionMajor;
    this.httpVersionMinor = source.httpVersionMinor;
  }

  override _read(): void {
    this.source.resume();
  }
}

let requestCount = 0;

export class FakeClientRequest extends EventEmitter {
  readonly url: URL;
  readonly method: string;
  readonly session: unknown;
  private readonly headers = new Map<string, string>();
  private readonly redirectMode: 'follow' | 'error' | 'manual';
  private nodeRequest: http.ClientRequest | null = null;
  private response: FakeIncomingMessage | null = null;
  private started = false;
  private closed = false;
  private redirects = 0;

  constructor(options: NetRequestOptions | string) {
    super();
    const opts: NetRequestOptions = typeof options === 'string' ? { url: options } : options;
    this.url = FakeClientRequest.urlOf(opts);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`Protocol "${this.url.protocol}" not supported`);
    }
    this.method = (opts.method ?? 'GET').toUpperCase();
    this.session = opts.session ?? null;
    this.redirectMode = opts.redirect ?? 'follow';
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      this.setHeader(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    requestCount += 1;
  }

  /** The URL Electron builds from `url`, or from `protocol`, `host`/`hostname`+`port` and `path`. */
  static urlOf(options: NetRequestOptions): URL {
    if (options.url) return new URL(options.url);
    const protocol = options.protocol ?? 'http:';
    const host =
      options.host ??
      `${options.hostname ?? 'localhost'}${options.port !== undefined && options.port !== '' ? `:${String(options.port)}` : ''}`;
    return new URL(`${protocol}//${host}${options.path ?? '/'}`);
  }

  setHeader(name: string, value: string): void {
    if (this.started) throw new Error('Can only set headers before the first write');
    checkHeader(name, value);
    this.headers.set(name, String(value));
  }

  getHeader(name: string): string | undefined {
    for (const [key, value] of this.headers) if (key.toLowerCase() === name.toLowerCase()) return value;
    return undefined;
  }

  removeHeader(name: string): void {
    if (this.started) throw new Error('Can only remove headers before the first write');
    for (const key of [...this.headers.keys()])
      if (key.toLowerCase() === name.toLowerCase()) this.headers.delete(key);
  }

  write(): void {
    throw new Error('fake net: request bodies are not modelled');
  }

  end(chunk?: unknown): this {
    if (chunk !== undefined && chunk !== null) this.write();
    if (this.started) return this;
    this.started = true;
    queueMicrotask(() => {
      this.emit('finish');
      this.send(this.url);
    });
    return this;
  }

  followRedirect(): void {
    this.followed = true;
  }
  private followed = false;

  abort(): void {
    if (this.closed) return;
    this.nodeRequest?.destroy();
    this.emit('abort');
    if (this.response && !this.response.readableEnded) this.response.emit('aborted');
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.emit('error', error);
    this.close();
  }

  private send(url: URL): void {
    if (this.closed) return;
    if (!isLoopback(url.hostname)) {
      this.fail(new Error('net::ERR_ACCESS_DENIED (fake net: tests may only reach loopback)'));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: this.method,
      headers: Object.fromEntries(this.headers),
      // Chromium keeps its own connection pool; the fake opens one connection per request.
      agent: false,
    });
    this.nodeRequest = request;
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (this.response) this.response.destroy(new Error('net::ERR_CONNECTION_RESET'));
      else this.fail(chromiumError(error));
    });
    request.on('response', (source) => this.receive(url, source));
    request.end();
  }

  private receive(url: URL, source: http.IncomingMessage): void {
    if (this.closed) {
      source.destroy();
      return;
    }
    const status = source.statusCode ?? 0;
    const location = source.headers.location;
    if (status >= 300 && status < 400 && location) {
      source.resume();
      const next = new URL(location, url);
      if (++this.redirects > 20) return this.fail(new Error('net::ERR_TOO_MANY_REDIRECTS'));
      if (this.redirectMode === 'error') return this.fail(new Error('net::ERR_FAILED'));
      if (this.redirectMode === 'manual') {
        this.followed = false;
        const headers: Record<string, string[]> = {};
        for (const [name, value] of Object.entries(electronHeaders(source.rawHeaders))) {
          headers[name] = Array.isArray(value) ? value : [value];
        }
        this.emit('redirect', status, this.method, next.href, headers);
        if (this.closed) return;
        // Not followed synchronously: Electron cancels the request.
        if (!this.followed) return this.fail(new Error('net::ERR_ABORTED'));
      }
      this.send(next);
      return;
    }
    const response = new FakeIncomingMessage(source);
    this.response = response;
    source.on('data', (chunk: Buffer) => {
      if (!response.push(chunk)) source.pause();
    });
    source.on('end', () => {
      response.push(null);
      response.once('end', () => this.close());
    });
    source.on('aborted', () => response.destroy(new Error('net::ERR_CONNECTION_RESET')));
    source.on('error', () => {
      if (!response.destroyed) response.destroy(new Error('net::ERR_CONNECTION_RESET'));
    });
    response.on('error', () => this.close());
    this.emit('response', response);
  }
}

/** Test helper: how many requests the fake made since it was loaded. */
export function netRequestCount(): number {
  return requestCount;
}

export function createNet(isReady: () => boolean) {
  return {
    request(options: NetRequestOptions | string): FakeClientRequest {
      if (!isReady()) throw new Error('net module can only be used after app is ready');
      return new FakeClientRequest(options);
    },
    isOnline(): boolean {
      return true;
    },
  };
}
