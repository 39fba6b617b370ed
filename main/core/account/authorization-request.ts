/**
 * One sign-in attempt: a fresh, unguessable `state` and the authorize URL that carries it. Requests are one-shot
 * and live for 7 minutes — the limit Sonos itself puts on linking a service — after which the user restarts
 * sign-in instead of the app retrying on its own.
 */
import { randomBytes } from 'node:crypto';
import type { Endpoints } from './endpoints';

export const SCOPE = 'playback-control-all';
export const PENDING_LIFETIME_MS = 7 * 60 * 1000;

export interface AuthorizationRequest {
  readonly state: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  /** The page to open in the system browser. */
  readonly url: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** 32 random bytes, base64url: 256 bits nobody can guess. */
export function newState(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

export function createAuthorizationRequest(options: {
  endpoints: Pick<Endpoints, 'authorizeUrl'>;
  clientId: string;
  redirectUri: string;
  now: number;
  lifetimeMs?: number;
  random?: (size: number) => Buffer;
}): AuthorizationRequest {
  const state = newState(options.random);
  const url = new URL(options.endpoints.authorizeUrl);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', state);
  url.searchParams.set('scope', SCOPE);
  url.searchParams.set('redirect_uri', options.redirectUri);
  return {
    state,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    scope: SCOPE,
    url: url.toString(),
    createdAt: options.now,
    expiresAt: options.now + (options.lifetimeMs ?? PENDING_LIFETIME_MS),
  };
}
