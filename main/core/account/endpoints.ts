/**
 * Where the Sonos authorization server and the Control API live. Bases and paths are kept apart on purpose: the
 * defaults are Sonos' own, and tests (or a user behind a proxy) override the bases with `TFS_AUTH_BASE` and
 * `TFS_API_BASE`. Plain http is accepted only for loopback hosts, so a typo can never send a client secret or a
 * token over the network unencrypted.
 */
import { AppError } from '../errors';

export const SONOS_AUTH_BASE = 'https://api.sonos.com';
export const SONOS_API_BASE = 'https://api.ws.sonos.com/control/api/v1';
export const AUTHORIZE_PATH = '/login/v3/oauth';
export const TOKEN_PATH = '/login/v3/oauth/access';

export interface Endpoints {
  authBase: string;
  apiBase: string;
  /** The authorize page, without parameters. */
  authorizeUrl: string;
  tokenUrl: string;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/** A base URL without a trailing slash; throws `invalid-request` for anything we would not send secrets to. */
export function checkBase(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new AppError('invalid-request', `${name} is not a valid address.`, {
      details: { technical: `${name}=${text.slice(0, 200)}` },
    });
  }
  const plainLoopback = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !plainLoopback) {
    throw new AppError('invalid-request', `${name} must use https:// (plain http only for this computer).`, {
      details: { technical: `${name}=${url.origin}` },
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('invalid-request', `${name} must be a plain address without credentials or query.`, {
      details: { technical: `${name}=${url.origin}${url.pathname}` },
    });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function resolveEndpoints(
  overrides: { authBase?: string | null; apiBase?: string | null } = {},
): Endpoints {
  const authBase = checkBase(overrides.authBase ?? SONOS_AUTH_BASE, 'The sign-in server address');
  const apiBase = checkBase(overrides.apiBase ?? SONOS_API_BASE, 'The Sonos API address');
  return {
    authBase,
    apiBase,
    authorizeUrl: authBase + AUTHORIZE_PATH,
    tokenUrl: authBase + TOKEN_PATH,
  };
}

/** `TFS_AUTH_BASE` / `TFS_API_BASE` when set (and not empty), Sonos otherwise. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv): Endpoints {
  return resolveEndpoints({
    authBase: env.TFS_AUTH_BASE?.trim() || null,
    apiBase: env.TFS_API_BASE?.trim() || null,
  });
}
