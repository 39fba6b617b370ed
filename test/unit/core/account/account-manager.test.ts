import { describe, expect, it } from 'vitest';
import { AccountManager, TIMEOUT_MESSAGE } from '../../../../main/core/account/account-manager';
import { CALLBACK_URL } from '../../../../main/core/account/callback';
import { TokenClient } from '../../../../main/core/account/token-client';
import { TokenVault } from '../../../../main/core/account/token-vault';
import type { AccountState } from '../../../../main/contract/model';
import { createLogger, formatRecord, type LogRecord } from '../../../../main/core/logger';
import { DataStore, memoryBackend } from '../../../../main/core/store/data-store';
import { fakeRequester, json } from '../../../support/fake-requester';
import { fakeSecretStorage } from '../../../support/fake-secret-storage';
import { ManualClock } from '../../../support/manual-clock';

const CLIENT = {
  clientId: 'made-up-id',
  clientSecret: 'made-up-secret-value',
  redirectUri: 'https://bounce.example.test/s/',
};
const TOKENS = {
  access_token: 'made-up-access-1',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'made-up-refresh-1',
  scope: 'playback-control-all',
};

async function setup(options: { configure?: boolean; opener?: (url: string) => Promise<void> } = {}) {
  const clock = new ManualClock();
  const fake = fakeRequester();
  const records: LogRecord[] = [];
  const logger = createLogger((r) => records.push(r), { level: 'debug' });
  const store = new DataStore(memoryBackend(), logger);
  const vault = new TokenVault({ store, storage: fakeSecretStorage(), logger });
  const opened: string[] = [];
  const manager = new AccountManager({
    vault,
    tokenClient: new TokenClient({
      endpoints: { tokenUrl: 'https://auth.example.test/token' },
      requester: fake.requester,
      logger,
      now: () => clock.now(),
    }),
    endpoints: { authorizeUrl: 'https://auth.example.test/authorize' },
    opener: {
      openExternal: options.opener ?? (async (url) => void opened.push(url)),
    },
    logger,
    clock,
  });
  const states: AccountState[] = [];
  manager.onChange((s) => states.push(s));
  if (options.configure !== false) await manager.configure(CLIENT);
  const stateOf = (url: string) => new URL(url).searchParams.get('state')!;
  return {
    clock,
    fake,
    manager,
    vault,
    opened,
    states,
    logs: () => records.map(formatRecord).join('\n'),
    /** The callback the bounce page would forward for the pending sign-in. */
    callback: (params: Record<string, string>) =>
      `${CALLBACK_URL}?${new URLSearchParams({ state: stateOf(opened.at(-1)!), ...params })}`,
  };
}

describe('account manager: sign-in flow', () => {
  it('opens the system browser at the authorize page and waits', async () => {
    const { manager, opened } = await setup();
    const state = await manager.signIn();
    expect(opened).toHaveLength(1);
    expect(state.status).toBe('awaitingBrowser');
    expect(state.authorizeUrl).toBe(opened[0]);
    expect(state.pendingExpiresAt).toBe(new ManualClock().now() + 7 * 60_000);
  });

  it('exchanges the code of a matching callback and is signed in', async () => {
    const { manager, fake, callback, states } = await setup();
    await manager.signIn();
    fake.answer(json(200, TOKENS));
    const state = await manager.submitCallback(callback({ code: 'code-1' }));
    expect(state).toMatchObject({ status: 'signedIn', error: null, authorizeUrl: null });
    expect(state.expiresAt).toBe(new ManualClock().now() + 3_600_000);
    expect(states.map((s) => s.status)).toEqual(['signedOut', 'awaitingBrowser', 'exchanging', 'signedIn']);
    expect(manager.nextRefreshAt).toBe(new ManualClock().now() + 3_600_000 - 300_000);
  });

  it('times out after 7 minutes: "restart sign-in", and a late callback is never exchanged', async () => {
    const { manager, clock, fake, callback, logs } = await setup();
    await manager.signIn();
    const late = callback({ code: 'late-code' });
    clock.advance(7 * 60_000 - 1);
    expect(manager.state().status).toBe('awaitingBrowser');
    clock.advance(1);
    const state = manager.state();
    expect(state.status).toBe('signedOut');
    expect(state.error).toMatchObject({ code: 'auth-timeout', message: TIMEOUT_MESSAGE, retryable: true });
    expect(state.authorizeUrl).toBeNull();
    // No silent retry: nothing else is scheduled.
    expect(clock.pending()).toEqual([]);
    await expect(manager.submitCallback(late)).rejects.toMatchObject({ code: 'auth-state-mismatch' });
    expect(fake.requests).toHaveLength(0);
    expect(logs()).toMatch(/ignored a sign-in callback.*expired/);
  });

  it('checks the state first, also for error callbacks: a foreign one changes nothing', async () => {
    const { manager, fake, states } = await setup();
    await manager.signIn();
    const before = states.length;
    for (const url of [
      `${CALLBACK_URL}?code=c&state=forged`,
      `${CALLBACK_URL}?error=access_denied&state=forged`,
      `${CALLBACK_URL}?error=access_denied`,
      `${CALLBACK_URL}?code=c`,
    ]) {
      await expect(manager.submitCallback(url)).rejects.toMatchObject({ code: 'auth-state-mismatch' });
    }
    expect(fake.requests).toHaveLength(0);
    expect(states).toHaveLength(before);
    expect(manager.state()).toMatchObject({ status: 'awaitingBrowser', error: null });
  });

  it('each request is one-shot: the same callback twice is exchanged once', async () => {
    const { manager, fake, callback } = await setup();
    await manager.signIn();
    fake.answer(json(200, TOKENS));
    const url = callback({ code: 'code-1' });
    await manager.submitCallback(url);
    await expect(manager.submitCallback(url)).rejects.toMatchObject({
      code: 'auth-state-mismatch',
      message: 'This sign-in address was already used.',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('a new sign-in replaces the one before it', async () => {
    const { manager, fake, callback } = await setup();
    await manager.signIn();
    const first = callback({ code: 'a' });
    await manager.signIn();
    await expect(manager.submitCallback(first)).rejects.toMatchObject({ code: 'auth-state-mismatch' });
    expect(fake.requests).toHaveLength(0);
  });

  it('error callbacks: "Access was denied" / "Sonos refused sign-in", with a Details view', async () => {
    const { manager, callback, fake } = await setup();
    await manager.signIn();
    let state = await manager.submitCallback(
      callback({
        error: 'access_denied',
        error_description: 'The user denied access',
        error_uri: 'https://docs.example.test/oauth',
      }),
    );
    expect(state.status).toBe('signedOut');
    expect(state.error).toEqual({
      code: 'auth-cancelled',
      message:
        'Access was denied on the Sonos sign-in page, so Tray for Sonos is not signed in. Sign in again to allow it.',
      retryable: true,
      details: {
        code: 'access_denied',
        description: 'The user denied access',
        uri: 'https://docs.example.test/oauth',
        technical: null,
      },
    });
    await manager.signIn();
    state = await manager.submitCallback(
      callback({ error: 'invalid_scope', error_uri: 'javascript:alert(1)' }),
    );
    expect(state.error).toMatchObject({
      code: 'auth-refused',
      message: 'Sonos refused sign-in.',
      // Only https links are offered to open.
      details: { code: 'invalid_scope', uri: null, technical: 'error_uri: javascript:alert(1)' },
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('a failed exchange ends the attempt with a retryable error; Retry is a new sign-in', async () => {
    const { manager, fake, callback } = await setup();
    await manager.signIn();
    fake.answer({ status: 503, headers: { 'content-type': 'text/html' }, text: '<html>busy</html>' });
    const failed = await manager.submitCallback(callback({ code: 'c1' }));
    expect(failed.status).toBe('signedOut');
    expect(failed.error).toMatchObject({ code: 'unexpected', retryable: true });
    await manager.signIn();
    fake.answer(json(200, TOKENS));
    expect((await manager.submitCallback(callback({ code: 'c2' }))).status).toBe('signedIn');
  });

  it('cancel at any time: while waiting (neutral, no error) and while exchanging (the answer is dropped)', async () => {
    const { manager, fake, callback, clock } = await setup();
    await manager.signIn();
    const waiting = callback({ code: 'c' });
    expect(await manager.cancelSignIn()).toMatchObject({
      status: 'signedOut',
      error: null,
      authorizeUrl: null,
    });
    expect(clock.pending()).toEqual([]);
    await expect(manager.submitCallback(waiting)).rejects.toMatchObject({ code: 'auth-state-mismatch' });

    await manager.signIn();
    let answer!: () => void;
    fake.answer(() => new Promise((resolve) => (answer = () => resolve(json(200, TOKENS)))));
    const exchanging = manager.submitCallback(callback({ code: 'c2' }));
    await Promise.resolve();
    expect(manager.state().status).toBe('exchanging');
    await manager.cancelSignIn();
    answer();
    await exchanging;
    expect(manager.state().status).toBe('signedOut');
    expect(manager.isSignedIn()).toBe(false);
  });

  it('refuses to start without key, secret and redirect address', async () => {
    const { manager } = await setup({ configure: false });
    await expect(manager.signIn()).rejects.toMatchObject({ code: 'auth-not-configured' });
    await expect(
      manager.configure({ ...CLIENT, redirectUri: 'http://bounce.example.test/' }),
    ).rejects.toMatchObject({
      code: 'invalid-request',
    });
    await expect(manager.configure({ ...CLIENT, redirectUri: `${CALLBACK_URL}` })).rejects.toMatchObject({
      code: 'invalid-request',
    });
    const { clientSecret: _secret, ...withoutSecret } = CLIENT;
    const state = await manager.configure(withoutSecret);
    expect(state.client).toEqual({
      clientId: CLIENT.clientId,
      redirectUri: CLIENT.redirectUri,
      hasSecret: false,
    });
    await expect(manager.signIn()).rejects.toMatchObject({ code: 'auth-not-configured' });
  });

  it('a browser that will not open leaves the address to copy', async () => {
    const { manager } = await setup({
      opener: async () => {
        throw new Error('no browser');
      },
    });
    const state = await manager.signIn();
    expect(state.status).toBe('awaitingBrowser');
    expect(state.authorizeUrl).toMatch(/^https:\/\/auth\.example\.test\/authorize\?/);
    expect(state.error).toMatchObject({ code: 'unexpected', retryable: true });
  });

  it('sign-out forgets the tokens but keeps the integration settings', async () => {
    const { manager, fake, callback } = await setup();
    await manager.signIn();
    fake.answer(json(200, TOKENS));
    await manager.submitCallback(callback({ code: 'c' }));
    const state = await manager.signOut();
    expect(state).toMatchObject({ status: 'signedOut', expiresAt: null });
    expect(state.client).toEqual({
      clientId: CLIENT.clientId,
      redirectUri: CLIENT.redirectUri,
      hasSecret: true,
    });
    await expect(manager.accessToken()).rejects.toMatchObject({ code: 'not-signed-in' });
    expect(manager.nextRefreshAt).toBeNull();
  });
});

describe('account manager: tokens', () => {
  async function signedIn() {
    const s = await setup();
    await s.manager.signIn();
    s.fake.answer(json(200, TOKENS));
    await s.manager.submitCallback(s.callback({ code: 'c' }));
    s.fake.requests.length = 0;
    return s;
  }

  it('refreshes ahead of expiry by itself and keeps the newest refresh token', async () => {
    const { manager, clock, fake, vault } = await signedIn();
    fake.answer(
      json(200, { ...TOKENS, access_token: 'made-up-access-2', refresh_token: 'made-up-refresh-2' }),
    );
    await clock.advanceAsync(3_600_000 - 300_000);
    expect(fake.requests).toHaveLength(1);
    expect(new URL(fake.requests[0]!.url).searchParams.get('refresh_token')).toBe('made-up-refresh-1');
    expect(vault.session()).toMatchObject({
      accessToken: 'made-up-access-2',
      refreshToken: 'made-up-refresh-2',
    });
    expect(await manager.accessToken()).toBe('made-up-access-2');
  });

  it('an access token about to expire is refreshed before use', async () => {
    const { manager, clock, fake } = await signedIn();
    manager.stop(); // no timer: show that use alone refreshes
    fake.answer(json(200, { ...TOKENS, access_token: 'made-up-access-3' }));
    expect(await manager.accessToken()).toBe('made-up-access-1');
    clock.advance(3_600_000 - 20_000);
    expect(await manager.accessToken()).toBe('made-up-access-3');
    expect(fake.requests).toHaveLength(1);
  });

  it('after a 401, concurrent callers share one refresh, and late ones take the new token', async () => {
    const { manager, fake } = await signedIn();
    let answer!: () => void;
    fake.answer(
      () =>
        new Promise(
          (resolve) => (answer = () => resolve(json(200, { ...TOKENS, access_token: 'made-up-access-4' }))),
        ),
    );
    const callers = Array.from({ length: 100 }, () => manager.refreshAfterRejection('made-up-access-1'));
    await Promise.resolve();
    answer();
    expect(new Set(await Promise.all(callers))).toEqual(new Set(['made-up-access-4']));
    expect(await manager.refreshAfterRejection('made-up-access-1')).toBe('made-up-access-4');
    expect(fake.requests).toHaveLength(1);
  });

  it('a refused refresh (invalid_grant) → needsReauth, settings and households kept', async () => {
    const { manager, fake, states } = await signedIn();
    manager.setHouseholds([{ id: 'Sonos_H1', name: 'Home' }]);
    fake.answer(json(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }));
    await expect(manager.refresh()).rejects.toMatchObject({ code: 'needs-reauth' });
    const state = manager.state();
    expect(state).toMatchObject({
      status: 'needsReauth',
      expiresAt: null,
      client: { clientId: CLIENT.clientId, redirectUri: CLIENT.redirectUri, hasSecret: true },
      households: [{ id: 'Sonos_H1', name: 'Home' }],
      error: { code: 'needs-reauth', details: { code: 'invalid_grant' } },
    });
    expect(states.at(-1)?.status).toBe('needsReauth');
    await expect(manager.accessToken()).rejects.toMatchObject({ code: 'needs-reauth' });
    expect(manager.householdIds()).toEqual([]);
    expect(manager.nextRefreshAt).toBeNull();
  });

  it('a refresh that fails for a passing reason keeps the session and tries again later', async () => {
    const { manager, clock, fake } = await signedIn();
    fake.answer(
      { status: 502, headers: {}, text: '' },
      json(200, { ...TOKENS, access_token: 'made-up-access-5' }),
    );
    await clock.advanceAsync(3_600_000 - 300_000);
    expect(manager.state().status).toBe('signedIn');
    expect(fake.requests).toHaveLength(1);
    await clock.advanceAsync(15_000);
    expect(fake.requests).toHaveLength(2);
    expect(await manager.accessToken()).toBe('made-up-access-5');
  });
});
