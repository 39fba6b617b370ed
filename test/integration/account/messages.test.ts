/**
 * What the core says about a speaker depends on the way commands travel and on the account, against the
 * simulator: a refusal the cloud works around is no trouble, an offline speaker the cloud still reaches is not
 * asked "is it switched on?", and a signed-out or expired account is told what to do. A refusal that is over
 * clears on the next successful connection, without waiting for a command.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Player } from '../../../main/contract/model';
import { startAccountHarness, type AccountHarness } from '../../support/account-harness';

let h: AccountHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const player = (hh: AccountHarness, id: string): Player => hh.controller.snapshot().players[id]!;
/** Everything the popover and the diagnostics report could show about players, as one text. */
const shown = (hh: AccountHarness): string =>
  JSON.stringify([hh.controller.snapshot().players, hh.controller.diagnostics().players]);

async function refusedHousehold(options: { signIn: boolean }): Promise<AccountHarness> {
  const harness = await startAccountHarness({ sim: { players: 2, groups: '1+2', oauthMode: 'auto' } });
  await harness.controller.whenComplete();
  if (options.signIn) await harness.signIn();
  harness.sim.control.setLocalAuth(true);
  // Reconnect so the refusal arrives on its own (the subscriptions are refused), not from a command of ours.
  for (const p of harness.sim.players) await harness.sim.control.dropSockets(p.id);
  return harness;
}

describe('local control refused (authentication on)', () => {
  it('signed in: the cloud carries the change, the speaker shows as cloud and nothing says “sign in”', async () => {
    h = await refusedHousehold({ signIn: true });
    const [first] = h.sim.players;
    await vi.waitFor(() => expect(h!.controller.diagnostics().players[0]?.lastError?.code).toBe('refused'));
    expect(player(h, first!.id)).toMatchObject({ connection: 'cloud', problem: null });
    const groupId = h.sim.state().groups[0]!.id;
    const before = h.sim.state().groups[0]!.volume!;
    await h.controller.setGroupVolume(groupId, before === 45 ? 35 : 45);
    expect(h.sim.state().groups[0]!.volume).toBe(before === 45 ? 35 : 45);
    expect(shown(h)).not.toMatch(/Sign in/);
    expect(h.controller.diagnostics().players[0]!.lastError!.message).toBe(
      'This household does not allow local control. Commands go through your Sonos account.',
    );
  });

  it('signed out: the refusal is the speaker’s trouble and says to sign in', async () => {
    h = await refusedHousehold({ signIn: false });
    const [first] = h.sim.players;
    await vi.waitFor(() => expect(player(h!, first!.id).connection).toBe('refused'));
    expect(player(h, first!.id).problem?.message).toBe(
      'This household does not allow local control. Sign in to your Sonos account to control it through the cloud.',
    );
    const groupId = h.sim.state().groups[0]!.id;
    await expect(h.controller.setGroupVolume(groupId, 20)).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/^This household does not allow local control\. Sign in to your Sonos/),
    });
  });

  it('a sign-in Sonos withdrew: “sign in again”, not “sign in”', async () => {
    h = await refusedHousehold({ signIn: true });
    h.sim.control.revokeRefreshTokens();
    h.sim.control.expireAllTokens();
    const groupId = h.sim.state().groups[0]!.id;
    // The cloud answers 401, the refresh is refused: the account needs a new sign-in.
    await h.controller.setGroupVolume(groupId, 21).catch(() => {});
    await vi.waitFor(() => expect(h!.account.service.state().status).toBe('needsReauth'));
    const [first] = h.sim.players;
    await vi.waitFor(() =>
      expect(player(h!, first!.id).problem?.message).toBe(
        'This household does not allow local control. Sign in to your Sonos account again to control it through the cloud.',
      ),
    );
    expect(player(h, first!.id).connection).toBe('refused');
  });

  it('clears on the next successful connection, not on the next command', async () => {
    h = await refusedHousehold({ signIn: false });
    const [first] = h.sim.players;
    await vi.waitFor(() => expect(player(h!, first!.id).connection).toBe('refused'));
    const commands: string[] = [];
    h.sim.onCommand((c) => commands.push(c.command));
    h.sim.control.setLocalAuth(false);
    await h.sim.control.dropSockets(first!.id);
    await vi.waitFor(() =>
      expect(player(h!, first!.id)).toMatchObject({ connection: 'connected', problem: null }),
    );
    expect(h.controller.snapshot().households[h.sim.householdId]?.transport).toBe('local');
    // Nothing but the reconnection's own subscriptions went to the speaker.
    expect(commands.filter((c) => c !== 'subscribe' && c !== 'getGroups')).toEqual([]);
  });
});

describe('a speaker away from the LAN', () => {
  it('signed in: controlled through the cloud, and not asked “is it switched on?”', async () => {
    h = await startAccountHarness({ sim: { players: 2, oauthMode: 'auto' } });
    await h.controller.whenComplete();
    await h.signIn();
    const away = h.sim.players[1]!.id;
    await h.sim.control.takeOffline(away);
    await vi.waitFor(() => expect(h!.controller.diagnostics().players[1]?.lastError).not.toBeNull());
    await vi.waitFor(() => expect(player(h!, away)).toMatchObject({ connection: 'cloud', problem: null }));
    expect(JSON.stringify(h.controller.snapshot())).not.toMatch(/switched on/);
    await h.controller.setPlayerVolume(away, 8);
    expect(h.sim.state().players[1]!.volume).toBe(8);
  });

  it('signed out: the local reason, with the question that helps', async () => {
    h = await startAccountHarness({ sim: { players: 2 } });
    await h.controller.whenComplete();
    const away = h.sim.players[1]!.id;
    await h.sim.control.takeOffline(away);
    await vi.waitFor(() =>
      expect(player(h!, away).problem?.message).toBe(
        'The speaker refused the connection. Is it switched on?',
      ),
    );
    expect(player(h, away).connection).toBe('offline');
  });
});
