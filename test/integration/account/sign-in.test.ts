/**
 * Sign-in against the simulator's OAuth server, the way a user does it: Settings → Sign in, the system browser
 * shows the Sonos page, and the address the browser ends on is pasted back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TIMEOUT_MESSAGE } from '../../../main/core/account/account-manager';
import { CALLBACK_URL } from '../../../main/core/account/callback';
import { basicAuth, tokenRequest } from '../simulator/cloud-test-client';
import {
  browse,
  SIM_CLIENT,
  startAccountHarness,
  tokenRequests,
  type AccountHarness,
} from '../../support/account-harness';
import { ManualClock } from '../../support/manual-clock';

let h: AccountHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('sign-in against the simulated Sonos cloud', () => {
  it('full sign-in by pasting the address the browser ended on', async () => {
    h = await startAccountHarness({ cloudOnly: true });
    const service = h.account.service;
    await service.configure(SIM_CLIENT);
    const waiting = await service.signIn();
    expect(waiting.status).toBe('awaitingBrowser');
    expect(h.opened).toEqual([waiting.authorizeUrl]);

    const landed = await browse(waiting.authorizeUrl!);
    expect(landed.startsWith(SIM_CLIENT.redirectUri)).toBe(true);
    const state = await service.submitCallback(landed);
    expect(state).toMatchObject({
      status: 'signedIn',
      error: null,
      storage: 'encrypted',
      households: [{ id: h.sim.householdId, name: null }],
    });
    expect(state.expiresAt).toBeGreaterThan(Date.now() + 86_000_000);
    const exchange = tokenRequests(h.sim, 'authorization_code');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.status).toBe(200);
    // The tokens work: the cloud answers with the household's groups.
    const groups = await h.account.client.groups(h.sim.householdId);
    expect(groups.groups.map((g) => g.id).sort()).toEqual(
      h.sim
        .state()
        .groups.map((g) => g.id)
        .sort(),
    );
  });

  it('the custom-scheme callback from the bounce page works the same', async () => {
    h = await startAccountHarness({ cloudOnly: true });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    const landed = new URL(await browse(waiting.authorizeUrl!));
    const state = await h.account.service.submitCallback(`${CALLBACK_URL}${landed.search}`);
    expect(state.status).toBe('signedIn');
  });

  it('a callback with the wrong state is ignored: no token request is made', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'wrong-state' } });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    const landed = await browse(waiting.authorizeUrl!);
    expect(new URL(landed).searchParams.get('code')).toBeTruthy();
    await expect(h.account.service.submitCallback(landed)).rejects.toMatchObject({
      code: 'auth-state-mismatch',
    });
    expect(tokenRequests(h.sim)).toHaveLength(0);
    expect(h.account.service.state()).toMatchObject({ status: 'awaitingBrowser', error: null });
    expect(h.logText()).toMatch(/ignored a sign-in callback.*unknown/);
  });

  it('an error callback: Deny on the consent page → "Access was denied" with details', async () => {
    h = await startAccountHarness({ cloudOnly: true });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    const state = await h.account.service.submitCallback(await browse(waiting.authorizeUrl!, 'deny'));
    expect(state.status).toBe('signedOut');
    expect(state.error).toMatchObject({
      code: 'auth-cancelled',
      message:
        'Access was denied on the Sonos sign-in page, so Tray for Sonos is not signed in. Sign in again to allow it.',
      retryable: true,
      details: { code: 'access_denied', description: 'The user denied access' },
    });
    expect(tokenRequests(h.sim)).toHaveLength(0);
    // Retry: a new sign-in goes through.
    h.sim.control.setOAuthMode('auto');
    const again = await h.account.service.signIn();
    expect((await h.account.service.submitCallback(await browse(again.authorizeUrl!))).status).toBe(
      'signedIn',
    );
  });

  it('Sonos refusing the scope → "Sonos refused sign-in"', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'deny' } });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    // The simulator's deny mode answers access_denied; a refused scope is another code.
    const landed = new URL(await browse(waiting.authorizeUrl!));
    landed.searchParams.set('error', 'invalid_scope');
    const state = await h.account.service.submitCallback(landed.toString());
    expect(state.error).toMatchObject({
      code: 'auth-refused',
      message: 'Sonos refused sign-in.',
      details: { code: 'invalid_scope' },
    });
  });

  it('token endpoint 400 invalid_grant: a code already used', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto' } });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    const landed = await browse(waiting.authorizeUrl!);
    // Someone (an extension, a replayed link) used the code first.
    const stolen = await tokenRequest(h.sim, {
      form: {
        grant_type: 'authorization_code',
        code: new URL(landed).searchParams.get('code')!,
        redirect_uri: SIM_CLIENT.redirectUri,
      },
      authorization: basicAuth(),
    });
    expect(stolen.status).toBe(200);
    const state = await h.account.service.submitCallback(landed);
    expect(state.status).toBe('signedOut');
    expect(state.error).toMatchObject({
      code: 'auth-refused',
      retryable: true,
      details: { code: 'invalid_grant' },
    });
  });

  it('token endpoint 401 invalid_client: a wrong secret', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto' } });
    await h.account.service.configure({ ...SIM_CLIENT, clientSecret: 'not-the-secret' });
    const waiting = await h.account.service.signIn();
    const state = await h.account.service.submitCallback(await browse(waiting.authorizeUrl!));
    expect(state.error).toMatchObject({
      code: 'auth-refused',
      retryable: false,
      details: { code: 'invalid_client' },
    });
    expect(state.error?.message).toMatch(/key or secret/);
  });

  it('token endpoint 5xx with HTML, 5xx empty and an empty 200: "unexpected error" with Retry', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto' } });
    await h.account.service.configure(SIM_CLIENT);
    for (const mode of ['5xx-html', '5xx-empty', 'empty-200'] as const) {
      const waiting = await h.account.service.signIn();
      const landed = await browse(waiting.authorizeUrl!);
      h.sim.control.failCloud({ mode, count: 1 });
      const state = await h.account.service.submitCallback(landed);
      expect(state.status, mode).toBe('signedOut');
      expect(state.error, mode).toMatchObject({
        code: 'unexpected',
        message: 'Sonos answered with an unexpected error. Try again.',
        retryable: true,
      });
    }
    expect(tokenRequests(h.sim).map((r) => r.status)).toEqual([503, 500, 200]);
    // Retry works once Sonos is well again.
    const waiting = await h.account.service.signIn();
    expect((await h.account.service.submitCallback(await browse(waiting.authorizeUrl!))).status).toBe(
      'signedIn',
    );
  });

  it('times out after 7 minutes (fake clock): "restart sign-in", and the late answer is never exchanged', async () => {
    const clock = new ManualClock(Date.now());
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto' }, account: { clock } });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    const landed = await browse(waiting.authorizeUrl!);
    clock.advance(7 * 60_000);
    expect(h.account.service.state()).toMatchObject({
      status: 'signedOut',
      authorizeUrl: null,
      error: { code: 'auth-timeout', message: TIMEOUT_MESSAGE, retryable: true },
    });
    await expect(h.account.service.submitCallback(landed)).rejects.toMatchObject({
      code: 'auth-state-mismatch',
    });
    expect(tokenRequests(h.sim)).toHaveLength(0);
  });

  it('a hanging Sonos page: the user cancels, nothing is left waiting', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'hang' } });
    await h.account.service.configure(SIM_CLIENT);
    const waiting = await h.account.service.signIn();
    const hanging = fetch(waiting.authorizeUrl!, { redirect: 'manual' }).catch(() => null);
    const state = await h.account.service.cancelSignIn();
    expect(state).toMatchObject({
      status: 'signedOut',
      error: null,
      authorizeUrl: null,
      pendingExpiresAt: null,
    });
    await h.sim.stop();
    await hanging;
  });
});
