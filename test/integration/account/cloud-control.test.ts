/** Cloud control and the transport choice, against the simulator: fallback, preference, 410 and 401 retries. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAccountHarness, tokenRequests, type AccountHarness } from '../../support/account-harness';

let h: AccountHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const simGroup = (hh: AccountHarness, id: string) => hh.sim.state().groups.find((g) => g.id === id);
const cloudCalls = (hh: AccountHarness, method: string, suffix: string) =>
  hh.sim.cloudRequests().filter((r) => r.method === method && r.path.endsWith(suffix));

describe('local first, cloud when local cannot', () => {
  it('falls back to the cloud when a player refuses local control (ERROR_NO_PERMISSION)', async () => {
    h = await startAccountHarness({ sim: { players: 3, groups: '1+2,3', oauthMode: 'auto' } });
    await h.controller.whenComplete();
    await h.signIn();
    const groupId = h.sim.state().groups[0]!.id;
    h.sim.control.setLocalAuth(true);
    await h.controller.setGroupVolume(groupId, 33);
    expect(simGroup(h, groupId)?.volume).toBe(33);
    expect(cloudCalls(h, 'POST', `/groups/${encodeURIComponent(groupId)}/groupVolume`)).toHaveLength(1);
    expect(h.controller.diagnostics().account.lastTransport).toBe('cloud');
    expect(h.logText()).toMatch(/falling back to the cloud.*refused/);
  });

  it('falls back to the cloud when the player is unreachable on the LAN', async () => {
    h = await startAccountHarness({ sim: { players: 2, oauthMode: 'auto' } });
    await h.controller.whenComplete();
    await h.signIn();
    const player = h.sim.players[1]!.id;
    await h.sim.control.takeOffline(player);
    await vi.waitFor(
      () => expect(h!.controller.snapshot().players[player]?.connection).not.toBe('connected'),
      { timeout: 5_000 },
    );
    await h.controller.setPlayerVolume(player, 9);
    expect(h.sim.state().players.find((p) => p.id === player)?.volume).toBe(9);
    expect(cloudCalls(h, 'POST', `/players/${player}/playerVolume`)).toHaveLength(1);
  });

  it('without an account the refusal is reported, not hidden', async () => {
    h = await startAccountHarness({ sim: { players: 1 } });
    await h.controller.whenComplete();
    h.sim.control.setLocalAuth(true);
    const groupId = h.sim.state().groups[0]!.id;
    await expect(h.controller.setGroupVolume(groupId, 20)).rejects.toMatchObject({ code: 'refused' });
    expect(h.sim.cloudRequests()).toHaveLength(0);
  });

  it('the user may prefer the cloud: commands skip the local socket', async () => {
    h = await startAccountHarness({ sim: { players: 2, oauthMode: 'auto' } });
    await h.controller.whenComplete();
    await h.signIn();
    const local: string[] = [];
    h.sim.onCommand((c) => local.push(`${c.namespace}.${c.command}`));
    h.controller.updateSettings({ preferCloud: true });
    const groupId = h.sim.state().groups[0]!.id;
    await h.controller.setGroupMute(groupId, true);
    await h.controller.playback(groupId, 'pause');
    expect(simGroup(h, groupId)).toMatchObject({ muted: true, playbackState: 'PLAYBACK_STATE_PAUSED' });
    expect(local.filter((c) => !c.endsWith('subscribe') && !c.startsWith('groups'))).toEqual([]);
    expect(h.controller.diagnostics().account.lastTransport).toBe('cloud');
  });

  it('a skip the speaker may have received is not sent again through the cloud; a volume is', async () => {
    h = await startAccountHarness({
      sim: { players: 1, oauthMode: 'auto' },
      controller: { connection: { backoffInitialMs: 50, backoffMaxMs: 400, commandTimeoutMs: 300 } },
    });
    await h.controller.whenComplete();
    await h.signIn();
    const skips: string[] = [];
    h.sim.onCommand((c) => {
      if (c.command === 'skipToNextTrack') skips.push(c.command);
    });
    const groupId = h.sim.state().groups[0]!.id;
    // The speaker acts on each command but answers only after the controller has given up waiting.
    h.sim.control.delayReplies(1_000);
    await expect(h.controller.playback(groupId, 'skipToNextTrack')).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/not sent again/),
    });
    expect(skips).toHaveLength(1);
    expect(cloudCalls(h, 'POST', 'skipToNextTrack')).toHaveLength(0);
    expect(h.logText()).toMatch(/not sending again/);
    // Setting a volume twice is harmless, so that one does go through the cloud.
    await h.controller.setGroupVolume(groupId, 44);
    expect(cloudCalls(h, 'POST', `/groups/${encodeURIComponent(groupId)}/groupVolume`)).toHaveLength(1);
    expect(simGroup(h, groupId)?.volume).toBe(44);
  });
});

describe('a household reachable only through the cloud', () => {
  async function cloudOnly() {
    const hh = await startAccountHarness({
      cloudOnly: true,
      sim: { players: 3, groups: '1+2,3', oauthMode: 'auto' },
    });
    await hh.signIn();
    await hh.account.poller.pollNow();
    return hh;
  }

  it('play and pause through the cloud are confirmed, so toggling alternates with the popover closed', async () => {
    h = await cloudOnly();
    h.account.setPopoverVisible(false);
    const groupId = h.sim.state().groups[0]!.id;
    await h.controller.playback(groupId, 'togglePlayPause');
    // Longer than the optimistic hold's grace: without a confirmation the model would fall back to "playing".
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(h.controller.snapshot().groups[groupId]?.playback).toBe('paused');
    await h.controller.playback(groupId, 'togglePlayPause');
    const sent = h.sim
      .cloudRequests()
      .filter((r) => r.method === 'POST' && /\/playback\/(play|pause)$/.test(r.path))
      .map((r) => r.path.split('/').at(-1));
    expect(sent).toEqual(['pause', 'play']);
    expect(simGroup(h, groupId)?.playbackState).toBe('PLAYBACK_STATE_PLAYING');
  });

  it('is polled into the model, shown as cloud, and controlled through it', async () => {
    h = await cloudOnly();
    const snapshot = h.controller.snapshot();
    expect(snapshot.households[h.sim.householdId]?.transport).toBe('cloud');
    for (const g of h.sim.state().groups) {
      expect(snapshot.groups[g.id]).toMatchObject({
        volume: g.volume,
        playback: 'playing',
        playerIds: g.playerIds,
      });
      expect(snapshot.groups[g.id]?.nowPlaying).not.toBeNull();
    }
    for (const p of h.sim.state().players)
      expect(snapshot.players[p.id]).toMatchObject({ volume: p.volume, connection: 'cloud' });

    const pair = h.sim.state().groups.find((g) => g.playerIds.length === 2)!;
    await h.controller.adjustGroupVolume(pair.id, -3);
    await h.controller.playback(pair.id, 'skipToNextTrack');
    await h.controller.setPlayerMute(pair.playerIds[1]!, true);
    expect(simGroup(h, pair.id)?.volume).toBe(pair.volume - 3);
    expect(h.sim.state().players.find((p) => p.id === pair.playerIds[1])?.muted).toBe(true);
    expect(h.controller.snapshot().players[pair.playerIds[1]!]?.muted).toBe(true);
  });

  it('410: a stale group id refetches the groups and retries once at the new id', async () => {
    h = await cloudOnly();
    const pair = h.sim.state().groups.find((g) => g.playerIds.length === 2)!;
    const newId = h.sim.control.moveCoordinator(pair.id, pair.playerIds[1]!);
    expect(newId).not.toBe(pair.id);
    await h.controller.setGroupVolume(pair.id, 27);
    expect(simGroup(h, newId)?.volume).toBe(27);
    const sequence = h.sim
      .cloudRequests()
      .filter((r) => r.method === 'POST' || r.path.endsWith('/groups'))
      .slice(-3)
      .map((r) => `${r.method} ${r.path.replace(/.*\/control\/api\/v1/, '')} ${r.status}`);
    expect(sequence).toEqual([
      `POST /groups/${encodeURIComponent(pair.id)}/groupVolume 410`,
      `GET /households/${h.sim.householdId}/groups 200`,
      `POST /groups/${encodeURIComponent(newId)}/groupVolume 200`,
    ]);
    expect(h.controller.snapshot().groups[newId]?.volume).toBe(27);
  });

  it('401: an expired token is refreshed once and the command retried once', async () => {
    h = await cloudOnly();
    h.sim.control.expireAllTokens();
    const [a, b] = h.sim.state().players;
    await Promise.all([h.controller.setPlayerVolume(a!.id, 11), h.controller.setPlayerVolume(b!.id, 12)]);
    expect(
      h.sim
        .state()
        .players.slice(0, 2)
        .map((p) => p.volume),
    ).toEqual([11, 12]);
    expect(tokenRequests(h.sim, 'refresh_token')).toHaveLength(1);
    expect(
      cloudCalls(h, 'POST', '/playerVolume')
        .map((r) => r.status)
        .sort(),
    ).toEqual([200, 200, 401, 401]);
  });

  it('signing out takes the cloud-only household away and stops cloud control', async () => {
    h = await cloudOnly();
    const groupId = h.sim.state().groups[0]!.id;
    await h.account.service.signOut();
    expect(h.controller.snapshot().households).toEqual({});
    expect(h.account.transport.canControl(h.sim.householdId)).toBe(false);
    await expect(h.controller.setGroupVolume(groupId, 5)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a 5xx or an unknown error body is an "unexpected error", never a crash', async () => {
    h = await cloudOnly();
    const groupId = h.sim.state().groups[0]!.id;
    h.sim.control.failCloud({ mode: '5xx-html', count: 1 });
    await expect(h.controller.setGroupVolume(groupId, 40)).rejects.toMatchObject({
      code: 'unexpected',
      retryable: true,
    });
    await h.controller.setGroupVolume(groupId, 41);
    expect(simGroup(h, groupId)?.volume).toBe(41);
  });
});
