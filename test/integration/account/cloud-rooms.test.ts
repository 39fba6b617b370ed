/**
 * Rooms and music through `CloudTransport` against the simulator's Control REST: a household reachable only
 * through the cloud gets the same commands (play modes, seek, regroups, favorites, playlists) by their REST paths,
 * regroups settle by reading the groups back (the cloud sends no events), and home-theater options — not in the
 * cloud API — are refused with a clear reason and send nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAccountHarness, type AccountHarness } from '../../support/account-harness';

let h: AccountHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function cloudOnly(players = 4, groups = '1+2,4,3'): Promise<AccountHarness> {
  const hh = await startAccountHarness({ cloudOnly: true, sim: { players, groups, oauthMode: 'auto' } });
  await hh.signIn();
  await hh.account.poller.pollNow();
  return hh;
}

const posts = (hh: AccountHarness) =>
  hh.sim
    .cloudRequests()
    .filter((r) => r.method === 'POST')
    .map((r) => `${r.path.replace(/.*\/control\/api\/v1/, '')} ${r.status}`);
const simGroupOf = (hh: AccountHarness, playerId: string) => {
  const state = hh.sim.state();
  return state.groups.find((g) => g.id === state.players.find((p) => p.id === playerId)!.groupId)!;
};

describe('rooms and music through the cloud', () => {
  it('the poller brings play modes, the new actions, favorites and playlists into the model', async () => {
    h = await cloudOnly();
    const snapshot = h.controller.snapshot();
    const queue = h.sim.state().groups[0]!;
    expect(snapshot.groups[queue.id]).toMatchObject({
      playModes: { shuffle: false, repeat: 'off', crossfade: false },
      actions: { canSeek: true, canShuffle: true },
    });
    const household = snapshot.households[h.sim.householdId]!;
    expect(household.favorites?.items.map((f) => f.name)).toEqual(
      h.sim.state().favorites.items.map((f) => f.name),
    );
    expect(household.playlists?.items).toHaveLength(h.sim.state().playlists.items.length);
  });

  it('play modes, seek and a favorite go by their REST paths and land', async () => {
    h = await cloudOnly();
    const queue = h.sim.state().groups[0]!;
    await h.controller.transport.setPlayModes(queue.id, { shuffle: true, repeat: 'all' });
    expect(simGroupOf(h, queue.coordinatorId).playModes).toMatchObject({ shuffle: true, repeat: true });
    // Confirmed without events, so it does not fall back after the hold's grace.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(h.controller.snapshot().groups[queue.id]!.playModes).toEqual({
      shuffle: true,
      repeat: 'all',
      crossfade: false,
    });
    await h.controller.playback(queue.id, 'pause');
    await h.controller.transport.seek(queue.id, 42_000);
    expect(simGroupOf(h, queue.coordinatorId).positionMillis).toBe(42_000);
    const favorites = await h.controller.music.favorites(h.sim.householdId);
    const station = favorites.items.find((f) => f.name === 'Loopback FM')!;
    await h.controller.music.playFavorite(queue.id, station.id);
    expect(simGroupOf(h, queue.coordinatorId)).toMatchObject({
      source: 'radio',
      playbackState: 'PLAYBACK_STATE_PLAYING',
    });
    const playlists = await h.controller.music.playlists(h.sim.householdId);
    await h.controller.music.playPlaylist(queue.id, playlists.items[0]!.id);
    expect(posts(h).slice(-6)).toEqual([
      `/groups/${encodeURIComponent(queue.id)}/playback/playMode 200`,
      `/groups/${encodeURIComponent(queue.id)}/playback/playMode 200`,
      `/groups/${encodeURIComponent(queue.id)}/playback/pause 200`,
      `/groups/${encodeURIComponent(queue.id)}/playback/seek 200`,
      `/groups/${encodeURIComponent(queue.id)}/favorites 200`,
      `/groups/${encodeURIComponent(queue.id)}/playlists 200`,
    ]);
  });

  it('join and leave regroup by REST and settle by reading the groups back', async () => {
    h = await cloudOnly();
    const [a, b, c, d] = h.sim.players.map((p) => p.id);
    const pair = h.sim.state().groups[0]!;
    await h.controller.rooms.join(c!, pair.id);
    expect(simGroupOf(h, c!).playerIds).toEqual([a, b, c]);
    const joined = Object.values(h.controller.snapshot().groups).find((g) => g.playerIds.includes(c!))!;
    expect(joined).toMatchObject({ coordinatorId: a, playerIds: [a, b, c], name: 'Living Room + 2' });
    await h.controller.rooms.leave(a!);
    expect(simGroupOf(h, b!)).toMatchObject({ coordinatorId: b, playerIds: [b, c] });
    await h.controller.rooms.groupAll(simGroupOf(h, d!).id);
    expect(h.sim.state().groups).toHaveLength(1);
    expect(posts(h).filter((p) => p.includes('/groups/modifyGroupMembers'))).toHaveLength(3);
    await vi.waitFor(() => expect(Object.keys(h!.controller.snapshot().groups)).toHaveLength(1));
  });

  it('refuses home-theater options through the cloud, before anything is sent', async () => {
    h = await cloudOnly();
    const amp = h.sim.players[3]!.id;
    expect(h.controller.snapshot().players[amp]!.homeTheater).toEqual({
      nightMode: null,
      enhanceDialog: null,
    });
    const before = h.sim.cloudRequests().length;
    await expect(h.controller.homeTheater.set(amp, { nightMode: true })).rejects.toMatchObject({
      code: 'not-allowed',
      message: expect.stringContaining('only on your network'),
    });
    expect(h.sim.cloudRequests()).toHaveLength(before);
  });
});
