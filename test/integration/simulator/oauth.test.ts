import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import {
  api,
  authorizeUrl,
  basicAuth,
  REDIRECT_URI,
  redirectParams,
  signIn,
  tokenRequest,
} from './cloud-test-client';
import { sleep, startFastSimulator } from './ws-test-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startFastSimulator({ players: 1, tokenTtlSeconds: 3600 });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.control.setOAuthMode('consent');
  sim.control.failCloud({ mode: 'off' });
});

async function codeFor(): Promise<string> {
  sim.control.setOAuthMode('auto');
  return redirectParams(await fetch(authorizeUrl(sim), { redirect: 'manual' })).get('code') ?? '';
}

describe('authorize page', () => {
  it('consent: shows Allow/Deny and redirects with a code and the state on Allow', async () => {
    const page = await fetch(authorizeUrl(sim), { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<form method="post" action="\/login\/v3\/oauth\/consent">/);
    expect(html).toMatch(/value="allow">Allow</);
    expect(html).toMatch(/value="deny">Deny</);
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]),
    );
    expect(fields).toMatchObject({ state: 'state-123', redirect_uri: REDIRECT_URI });

    const submit = (decision: string) =>
      fetch(new URL('/login/v3/oauth/consent', sim.info.cloud.authBase), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...(fields as Record<string, string>), decision }).toString(),
      });
    const allowed = await submit('allow');
    expect(allowed.status).toBe(302);
    const params = redirectParams(allowed);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('code')).toMatch(/.{16,}/);

    const denied = redirectParams(await submit('deny'));
    expect(Object.fromEntries(denied)).toEqual({
      error: 'access_denied',
      error_description: 'The user denied access',
      state: 'state-123',
    });
  });

  it('auto: redirects straight away with a code and the state', async () => {
    sim.control.setOAuthMode('auto');
    const response = await fetch(authorizeUrl(sim, { state: 'abc' }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const params = redirectParams(response);
    expect(params.get('state')).toBe('abc');
    expect(params.get('code')).toBeTruthy();
  });

  it('deny: redirects with error=access_denied and the state', async () => {
    sim.control.setOAuthMode('deny');
    const params = redirectParams(await fetch(authorizeUrl(sim), { redirect: 'manual' }));
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('state-123');
    expect(params.get('code')).toBeNull();
  });

  it('wrong-state: redirects with a code but a different state', async () => {
    sim.control.setOAuthMode('wrong-state');
    const params = redirectParams(await fetch(authorizeUrl(sim), { redirect: 'manual' }));
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).not.toBe('state-123');
  });

  it('hang: never answers', async () => {
    sim.control.setOAuthMode('hang');
    const abort = new AbortController();
    const pending = fetch(authorizeUrl(sim), { redirect: 'manual', signal: abort.signal }).then(
      () => 'answered',
      () => 'aborted',
    );
    const winner = await Promise.race([pending, sleep(300).then(() => 'still waiting')]);
    expect(winner).toBe('still waiting');
    abort.abort();
    expect(await pending).toBe('aborted');
  });

  it('shows an error page, never a redirect, for an unknown client or unregistered redirect URI', async () => {
    for (const overrides of [
      { client_id: 'someone-else' },
      { redirect_uri: 'https://evil.example.test/' },
      { redirect_uri: null },
    ]) {
      const response = await fetch(authorizeUrl(sim, overrides), { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
    }
  });

  it('redirects with an OAuth error for a bad response_type or scope', async () => {
    sim.control.setOAuthMode('auto');
    const type = redirectParams(
      await fetch(authorizeUrl(sim, { response_type: 'token' }), { redirect: 'manual' }),
    );
    expect(type.get('error')).toBe('unsupported_response_type');
    const scope = redirectParams(await fetch(authorizeUrl(sim, { scope: 'read' }), { redirect: 'manual' }));
    expect(scope.get('error')).toBe('invalid_scope');
  });
});

describe('token endpoint', () => {
  it('exchanges a code (form body, Basic auth) for tokens in the captured key order', async () => {
    const code = await codeFor();
    const { status, body, text } = await tokenRequest(sim, {
      form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
    });
    expect(status).toBe(200);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'scope',
    ]);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'playback-control-all' });
    expect(typeof body['access_token']).toBe('string');
    expect(typeof body['refresh_token']).toBe('string');
  });

  it('accepts a code once, only with its redirect URI', async () => {
    const code = await codeFor();
    const wrong = await tokenRequest(sim, {
      form: { grant_type: 'authorization_code', code, redirect_uri: 'https://other.example.test/' },
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const second = await codeFor();
    const form = { grant_type: 'authorization_code', code: second, redirect_uri: REDIRECT_URI };
    expect((await tokenRequest(sim, { form })).status).toBe(200);
    expect(await tokenRequest(sim, { form })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('answers invalid_client for a wrong secret or no credentials', async () => {
    const code = await codeFor();
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    for (const authorization of [basicAuth('sim-client-id', 'wrong'), null, 'Bearer x']) {
      const result = await tokenRequest(sim, { form, authorization });
      expect(result.status).toBe(401);
      expect(result.body['error']).toBe('invalid_client');
    }
  });

  it('refreshes from the query string with an empty body, rotating the refresh token', async () => {
    const first = await signIn(sim);
    const refreshed = await tokenRequest(sim, {
      query: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['access_token']).not.toBe(first.access_token);
    expect(refreshed.body['refresh_token']).not.toBe(first.refresh_token);
    const reused = await tokenRequest(sim, {
      query: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('ignores the body on refresh: parameters only in the body are missing (invalid_request)', async () => {
    const { refresh_token } = await signIn(sim);
    const bodyOnly = await tokenRequest(sim, { form: { grant_type: 'refresh_token', refresh_token } });
    expect(bodyOnly).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    // With the query string right, whatever the body says does not matter.
    const both = await tokenRequest(sim, {
      query: { grant_type: 'refresh_token', refresh_token },
      form: { grant_type: 'authorization_code', code: 'nonsense', refresh_token: 'other' },
    });
    expect(both.status).toBe(200);
  });

  it('answers invalid_request without grant_type and invalid_grant after revocation', async () => {
    expect(await tokenRequest(sim, {})).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const { refresh_token } = await signIn(sim);
    sim.control.revokeRefreshTokens();
    const revoked = await tokenRequest(sim, { query: { grant_type: 'refresh_token', refresh_token } });
    expect(revoked).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('logs every cloud request with its grant type, so tests can count refreshes', async () => {
    const before = sim.cloudRequests().filter((r) => r.grantType === 'refresh_token').length;
    const { refresh_token } = await signIn(sim);
    await tokenRequest(sim, { query: { grant_type: 'refresh_token', refresh_token } });
    const log = sim.cloudRequests();
    const refreshes = log.filter((r) => r.grantType === 'refresh_token');
    expect(refreshes).toHaveLength(before + 1);
    expect(refreshes.at(-1)).toMatchObject({ method: 'POST', path: '/login/v3/oauth/access', status: 200 });
    expect(refreshes.at(-1)?.query['refresh_token']).toBe(refresh_token);
  });

  it('fails like the cloud while failCloud is on, then recovers after count requests', async () => {
    sim.control.failCloud({ mode: '5xx-html', count: 1 });
    const failed = await tokenRequest(sim, {});
    expect(failed.status).toBe(503);
    expect(failed.text).toMatch(/^<html>/);
    expect(await tokenRequest(sim, {})).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('token lifetime', () => {
  it('access tokens expire after expires_in seconds with the real 401 body', async () => {
    const short = await startFastSimulator({ players: 1, tokenTtlSeconds: 1 });
    try {
      const { access_token } = await signIn(short);
      expect((await api(short, access_token, 'GET', '/households')).status).toBe(200);
      await sleep(1100);
      const expired = await api(short, access_token, 'GET', '/households');
      expect(expired.status).toBe(401);
      expect(expired.text).toBe('{"error": "access_denied", "error_description": "Invalid Token"}');
    } finally {
      await short.stop();
    }
  });

  it('expireAllTokens ends every access token at once; a refresh still works', async () => {
    const { access_token, refresh_token } = await signIn(sim);
    sim.control.expireAllTokens();
    expect((await api(sim, access_token, 'GET', '/households')).status).toBe(401);
    const refreshed = await tokenRequest(sim, { query: { grant_type: 'refresh_token', refresh_token } });
    expect((await api(sim, String(refreshed.body['access_token']), 'GET', '/households')).status).toBe(200);
  });

  it('keeps the refresh token when rotation is off', async () => {
    const steady = await startFastSimulator({ players: 1, rotateRefreshTokens: false });
    try {
      const { refresh_token } = await signIn(steady);
      for (let i = 0; i < 2; i++) {
        const result = await tokenRequest(steady, { query: { grant_type: 'refresh_token', refresh_token } });
        expect(result.body['refresh_token']).toBe(refresh_token);
      }
    } finally {
      await steady.stop();
    }
  });
});
