import { describe, expect, it } from 'vitest';
import {
  createAuthorizationRequest,
  newState,
  PENDING_LIFETIME_MS,
} from '../../../../main/core/account/authorization-request';

const endpoints = { authorizeUrl: 'https://auth.example.test/login/v3/oauth' };

describe('authorization request', () => {
  it('builds the authorize URL Sonos documents', () => {
    const request = createAuthorizationRequest({
      endpoints,
      clientId: 'client-1',
      redirectUri: 'https://bounce.example.test/sonos/',
      now: 1_000,
    });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(endpoints.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-1',
      response_type: 'code',
      state: request.state,
      scope: 'playback-control-all',
      redirect_uri: 'https://bounce.example.test/sonos/',
    });
  });

  it('expires 7 minutes after it was made', () => {
    const request = createAuthorizationRequest({
      endpoints,
      clientId: 'c',
      redirectUri: 'https://x.test/',
      now: 5,
    });
    expect(PENDING_LIFETIME_MS).toBe(420_000);
    expect(request.createdAt).toBe(5);
    expect(request.expiresAt).toBe(5 + 420_000);
  });

  it('uses 32 random bytes, base64url, for the state — never the same twice', () => {
    const states = new Set(Array.from({ length: 2_000 }, () => newState()));
    expect(states.size).toBe(2_000);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newState(() => Buffer.alloc(32, 0xff))).toBe(Buffer.alloc(32, 0xff).toString('base64url'));
  });
});
