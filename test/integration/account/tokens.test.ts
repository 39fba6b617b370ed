/** Token lifecycle against the simulator: refresh (single flight, query string, rotation), refusal, secrecy. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenVault } from '../../../main/core/account/token-vault';
import { createAppCore } from '../../../main/core/app-core';
import { createLogger } from '../../../main/core/logger';
import { fakeSecretStorage } from '../../support/fake-secret-storage';
import {
  browse,
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

describe('tokens against the simulated Sonos cloud', () => {
  it('single flight: 100 concurrent requests with an expired token make exactly one refresh request', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto' } });
    await h.signIn();
    h.sim.control.expireAllTokens();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => h!.account.client.groupVolume(h!.sim.state().groups[0]!.id)),
    );
    expect(results).toHaveLength(100);
    const refreshes = tokenRequests(h.sim, 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.status).toBe(200);
    // Every request that met the 401 was retried once with the new token.
    const volumeCalls = h.sim.cloudRequests().filter((r) => r.path.endsWith('/groupVolume'));
    expect(volumeCalls.filter((r) => r.status === 401)).toHaveLength(100);
    expect(volumeCalls.filter((r) => r.status === 200)).toHaveLength(100);

    // And 100 callers asking to refresh at once share one request too.
    await Promise.all(Array.from({ length: 100 }, () => h!.account.service.refresh()));
    expect(tokenRequests(h.sim, 'refresh_token')).toHaveLength(2);
  });

  it('refresh sends its parameters in the query string, and the newest refresh token is kept', async () => {
    h = await startAccountHarness({ cloudOnly: true, sim: { oauthMode: 'auto', rotateRefreshTokens: true } });
    await h.signIn();
    const first = h.account.vault.session()!.refreshToken!;
    await h.account.service.refresh();
    const request = tokenRequests(h.sim, 'refresh_token')[0]!;
    expect(request.query).toEqual({ grant_type: 'refresh_token', refresh_token: first });
    const second = h.account.vault.session()!.refreshToken!;
    expect(second).not.toBe(first);
    // The simulator retired the first refresh token: only keeping the newest makes this one work.
    await h.account.service.refresh();
    expect(tokenRequests(h.sim, 'refresh_token').map((r) => r.status)).toEqual([200, 200]);
  });

  it('refreshes ahead of expiry by itself (fake clock, expires_in from the answer)', async () => {
    const clock = new ManualClock(Date.now());
    h = await startAccountHarness({
      cloudOnly: true,
      sim: { oauthMode: 'auto', tokenTtlSeconds: 600 },
      account: { clock },
    });
    await h.signIn();
    expect(h.account.service.state().expiresAt).toBe(clock.now() + 600_000);
    expect(h.account.service.nextRefreshAt).toBe(clock.now() + 540_000);
    clock.advance(539_999);
    expect(tokenRequests(h.sim, 'refresh_token')).toHaveLength(0);
    clock.advance(1);
    await vi.waitFor(
      () => expect(tokenRequests(h!.sim, 'refresh_token').map((r) => r.status)).toEqual([200]),
      { timeout: 5_000 },
    );
    await vi.waitFor(() => expect(h!.account.service.nextRefreshAt).toBe(clock.now() + 540_000), {
      timeout: 5_000,
    });
  });

  it('invalid_grant → needs re-authorisation; settings, nicknames and households are kept', async () => {
    h = await startAccountHarness({ sim: { oauthMode: 'auto' } });
    await h.signIn();
    const player = h.sim.players[1]!.id;
    h.controller.updateSettings({ preferCloud: true, hotkeyVolumeStep: 7 });
    h.store.setNickname(player, 'Sofa');
    h.account.vault.setNickname(h.sim.householdId, 'Flat');
    h.sim.control.revokeRefreshTokens();

    await expect(h.account.service.refresh()).rejects.toMatchObject({ code: 'needs-reauth' });
    const state = h.account.service.state();
    expect(state).toMatchObject({
      status: 'needsReauth',
      client: { clientId: 'sim-client-id', hasSecret: true },
      households: [{ id: h.sim.householdId, name: 'Flat' }],
      error: { code: 'needs-reauth', details: { code: 'invalid_grant' } },
    });
    expect(h.controller.settings).toMatchObject({ preferCloud: true, hotkeyVolumeStep: 7 });
    expect(h.store.nickname(player)).toBe('Sofa');
    expect(h.account.transport.canControl(h.sim.householdId)).toBe(false);
    // Still so after a restart: the user signs in again by hand.
    const reopened = new TokenVault({
      store: h.store,
      storage: fakeSecretStorage(),
      logger: createLogger(() => {}),
    });
    expect(reopened.session()).toMatchObject({ status: 'needsReauth', refreshToken: null });
    // Signing in again restores everything.
    h.sim.control.setOAuthMode('auto');
    await h.signIn();
    expect(h.account.service.state()).toMatchObject({
      status: 'signedIn',
      households: [{ id: h.sim.householdId, name: 'Flat' }],
    });
  });

  it('no token, code or secret in any log line, account:state event or IPC reply during sign-in and refresh', async () => {
    h = await startAccountHarness({ sim: { oauthMode: 'consent' } });
    const core = createAppCore({
      controller: h.controller,
      account: h.account.service,
      logger: h.account.service as never,
    });
    const events: unknown[] = [];
    core.subscribe((event, payload) => events.push({ event, payload }));
    const replies: unknown[] = [];
    const call = async (channel: string, payload?: unknown) => {
      const result = await core.router.handle(channel, payload);
      replies.push(result);
      return result as { ok: boolean; value: { authorizeUrl: string | null } };
    };
    await call('account:configure', {
      clientId: 'sim-client-id',
      clientSecret: 'sim-client-secret',
      redirectUri: 'https://bounce.example.test/sonos/',
    });
    const started = await call('account:signIn');
    const landed = await browse(started.value.authorizeUrl!);
    const code = new URL(landed).searchParams.get('code')!;
    await call('account:submitCallback', { url: landed });
    h.sim.control.expireAllTokens();
    await h.account.client.households();
    await call('account:getState');
    await h.account.service.refresh();
    await call('account:signOut');

    const secrets = [...h.issuedSecrets(), code];
    expect(secrets.length).toBeGreaterThanOrEqual(6); // secret, code, 3 access and refresh tokens at least
    const logText = h.logText();
    const eventText = JSON.stringify(events);
    const replyText = JSON.stringify(replies);
    expect(events.filter((e) => (e as { event: string }).event === 'account:state').length).toBeGreaterThan(
      4,
    );
    for (const secret of secrets) {
      expect(logText).not.toContain(secret);
      expect(eventText).not.toContain(secret);
      expect(replyText).not.toContain(secret);
    }
    core.dispose();
  });
});
