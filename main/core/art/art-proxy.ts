/**
 * Album art for the popover and notifications, fetched here in main: the popover never touches the network, and
 * its CSP allows only images main serves (`img-src 'self'`). A group's art URL becomes a local path
 * (`/art/<token>`) that the app's `app://` protocol and the demo's bridge both serve from here.
 *
 * What is fetched, and from where:
 * - art on the group coordinator's own address — `http://<player>:1400/getaa?…` for the local library, line-in
 *   and many radio stations, or https with the player's own (pinned) certificate — is fetched from that address
 *   only, with no redirects;
 * - any other art must be https on a public address: every address its name resolves to is checked, the
 *   connection goes to the checked address (no DNS rebinding), and each redirect (at most three) must again be
 *   https to a public address;
 * - answers must be images (by Content-Type) of at most `maxBytes`, whatever Content-Length claims, within a few
 *   seconds.
 * Anything else gets no path, and the popover draws its placeholder.
 */
import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsTrust } from '../sonos/local/tls-trust';
import { isPublicAddress } from './addresses';

export const ART_PATH = '/art/';

/** Who showed the art: the group's coordinator, and the host (IP or name) we reach it at on the LAN, if any. */
export interface ArtSource {
  playerId: string | null;
  host: string | null;
}

export interface ArtImage {
  type: string;
  body: Buffer;
}

export interface ArtProxyOptions {
  trust: Pick<TlsTrust, 'isKnownCertificate'>;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** How many art URLs keep a path at once (the oldest goes first). */
  maxEntries?: number;
  /** Name resolution (tests resolve without a DNS server). */
  lookup?: LookupFunction;
  /** What counts as the public internet (tests stand loopback addresses in for it). */
  isPublic?: (address: string) => boolean;
  /** Extra certificate authorities for https art elsewhere (tests); the system's are used otherwise. */
  ca?: string | Buffer;
  /** Told why art was refused, once per URL (for the log). */
  onRefused?: (url: string, reason: string) => void;
}

/** Image types a browser shows in <img>; SVG too (served sandboxed, and <img> never runs its scripts). */
const IMAGE_TYPES =
  /^image\/(?:jpeg|jpg|pjpeg|png|apng|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|svg\+xml)$/;

interface Entry {
  url: string;
  source: ArtSource;
}

class Refused extends Error {}

export class ArtProxy {
  private readonly byToken = new Map<string, Entry>();
  private readonly byKey = new Map<string, string>();
  private readonly refusedOnce = new Set<string>();
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly maxEntries: number;
  private readonly isPublic: (address: string) => boolean;

  constructor(private readonly options: ArtProxyOptions) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 4_000;
    this.maxRedirects = options.maxRedirects ?? 3;
    this.maxEntries = options.maxEntries ?? 256;
    this.isPublic = options.isPublic ?? isPublicAddress;
  }

  /**
   * The path the popover may load for `url` shown by `source`, or null when it could never be served (another
   * scheme, http from anywhere but the player itself). The same URL from the same player keeps its path, so the
   * image is not loaded again with every update of the group.
   */
  pathFor(url: string, source: ArtSource): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.username || parsed.password) return null;
    const own = isOwn(parsed, source);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && own)) return null;
    const key = `${source.playerId ?? ''}|${source.host ?? ''}|${parsed.href}`;
    let token = this.byKey.get(key);
    if (token) {
      // Used again: it moves to the back of the queue.
      this.byKey.delete(key);
      this.byKey.set(key, token);
      return `${ART_PATH}${token}`;
    }
    token = randomBytes(16).toString('base64url');
    this.byKey.set(key, token);
    this.byToken.set(token, { url: parsed.href, source: { ...source } });
    while (this.byKey.size > this.maxEntries) {
      const [oldKey, oldToken] = this.byKey.entries().next().value!;
      this.byKey.delete(oldKey);
      this.byToken.delete(oldToken);
    }
    return `${ART_PATH}${token}`;
  }

  /** The image behind a path from `pathFor`, or null (unknown path, refused, failed). */
  async serve(path: string): Promise<ArtImage | null> {
    if (!path.startsWith(ART_PATH)) return null;
    const entry = this.byToken.get(path.slice(ART_PATH.length));
    return entry ? this.fetch(entry.url, entry.source) : null;
  }

  /** Fetches `url` for `source` under the rules above; null when refused or failed. Never throws. */
  async fetch(url: string, source: ArtSource): Promise<ArtImage | null> {
    try {
      // One deadline for the whole fetch, redirects and body included.
      return await this.get(new URL(url), source, 0, AbortSignal.timeout(this.timeoutMs));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof Refused && !this.refusedOnce.has(url)) {
        if (this.refusedOnce.size > 512) this.refusedOnce.clear();
        this.refusedOnce.add(url);
        this.options.onRefused?.(url, reason);
      }
      return null;
    }
  }

  // -----------------------------------------------------------------------------------------------------------

  private async get(url: URL, source: ArtSource, hops: number, signal: AbortSignal): Promise<ArtImage> {
    if (url.username || url.password) throw new Refused('credentials in the URL');
    const own = hops === 0 && isOwn(url, source);
    if (own) {
      // The player's own art: only from its address, only its certificate over https, no redirects.
      const response = await this.request(url, signal, {
        ...(url.protocol === 'https:' && source.playerId !== null ? { playerId: source.playerId } : {}),
      });
      if (isRedirect(response.statusCode)) {
        response.resume();
        throw new Refused('a player’s own art does not redirect');
      }
      return this.read(response);
    }
    if (url.protocol !== 'https:') throw new Refused(`${url.protocol} art from elsewhere than the player`);
    const address = await this.publicAddress(url.hostname);
    const response = await this.request(url, signal, { address });
    if (isRedirect(response.statusCode)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new Refused('a redirect without a location');
      if (hops >= this.maxRedirects) throw new Refused('too many redirects');
      const next = new URL(location, url);
      if (next.protocol !== 'https:') throw new Refused('a redirect that leaves https');
      return this.get(next, source, hops + 1, signal);
    }
    return this.read(response);
  }

  /** Resolves a name and accepts it only when every address it has is public; the first one is used. */
  private async publicAddress(hostname: string): Promise<LookupAddress> {
    const bare = hostname.replace(/^\[|\]$/g, '');
    const family = isIP(bare);
    const addresses: LookupAddress[] =
      family !== 0
        ? [{ address: bare, family }]
        : await new Promise((resolve, reject) =>
            (this.options.lookup ?? (dnsLookup as unknown as LookupFunction))(
              bare,
              { all: true },
              (error, result) => {
                if (error) reject(error);
                else resolve(result as unknown as LookupAddress[]);
              },
            ),
          );
    if (addresses.length === 0) throw new Refused(`${hostname} has no address`);
    const local = addresses.find((a) => !this.isPublic(a.address));
    if (local) throw new Refused(`${hostname} is a local address (${local.address})`);
    return addresses[0]!;
  }

  private request(
    url: URL,
    signal: AbortSignal,
    how: { playerId?: string; address?: LookupAddress },
  ): Promise<IncomingMessage> {
    const secure = url.protocol === 'https:';
    const pinned: LookupFunction | undefined = how.address
      ? (((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
          if (options?.all) callback(null, [how.address]);
          else callback(null, how.address!.address, how.address!.family);
        }) as unknown as LookupFunction)
      : this.options.lookup;
    return new Promise((resolve, reject) => {
      const options = {
        method: 'GET',
        headers: { Accept: 'image/*', 'User-Agent': 'Tray for Sonos' },
        signal,
        agent: false as const,
        ...(pinned ? { lookup: pinned } : {}),
        ...(secure && how.playerId !== undefined
          ? // A player's certificate never names its address: it is checked against the player's pin instead.
            { rejectUnauthorized: false, checkServerIdentity: () => undefined }
          : {}),
        ...(secure && how.playerId === undefined && this.options.ca ? { ca: this.options.ca } : {}),
      };
      const req = (secure ? httpsRequest : httpRequest)(url, options, resolve);
      req.once('error', reject);
      if (secure && how.playerId !== undefined) {
        const playerId = how.playerId;
        req.once('socket', (socket) => {
          socket.once('secureConnect', () => {
            if (!this.options.trust.isKnownCertificate(playerId, socket as TLSSocket))
              req.destroy(new Refused('the player presented another certificate'));
          });
        });
      }
      req.end();
    });
  }

  private async read(response: IncomingMessage): Promise<ArtImage> {
    const status = response.statusCode ?? 0;
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const declared = Number(response.headers['content-length'] ?? '0');
    const refuse = (reason: string): never => {
      response.destroy();
      throw new Refused(reason);
    };
    if (status !== 200) refuse(`HTTP ${status}`);
    if (!IMAGE_TYPES.test(type)) refuse(`not an image (${type || 'no content type'})`);
    if (declared > this.maxBytes) refuse(`larger than ${this.maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > this.maxBytes) refuse(`larger than ${this.maxBytes} bytes`);
      chunks.push(buffer);
    }
    return { type, body: Buffer.concat(chunks) };
  }
}

/** The URL is on the address we reach the player at (any port: art is on :1400, the socket on :1443). */
function isOwn(url: URL, source: ArtSource): boolean {
  if (!source.host) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === source.host.replace(/^\[|\]$/g, '').toLowerCase();
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Headers for an art answer: sandboxed (an SVG opened on its own runs nothing), cached while its path lives. */
export function artHeaders(type: string): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'private, max-age=3600',
  };
}
