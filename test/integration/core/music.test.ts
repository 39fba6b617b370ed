/**
 * Play modes, seeking, pause-all, favorites, playlists and home-theater options through the real core against the
 * simulator. What the source does not allow is refused before anything is sent; what it allows shows at once and
 * lands on the player.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HouseholdSnapshot } from '../../../main/contract/model';
import { simGroupOf, startHarness, type Harness } from '../../support/core-harness';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.stop();
  harness = null;
});

const groupWith = (snapshot: HouseholdSnapshot, playerId: string) =>
  Object.values(snapshot.groups).find((g) => g.playerIds.includes(playerId))!;

/** Every command a player received from us, as `namespace command`, minus subscriptions and reads. */
function sentCommands(h: Harness): string[] {
  const sent: string[] = [];
  h.sim.onCommand((c) => {
    if (!/^(subscribe|unsubscribe|get)/.test(c.command)) sent.push(`${c.namespace} ${c.command}`);
  });
  return sent;
}

describe('play modes and seeking', () => {
  it('shuffle, repeat and crossfade show at once, land on the player and are confirmed by its event', async () => {
    harness = await startHarness({ players: 2, groups: '1,2' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete();
    const group = groupWith(snapshot, sim.players[0]!.id);
    expect(group.playModes).toEqual({ shuffle: false, repeat: 'off', crossfade: false });
    expect(group.actions).toMatchObject({ canShuffle: true, canCrossfade: true, canSeek: true });
    const pending = controller.transport.setPlayModes(group.id, { shuffle: true, repeat: 'one' });
    expect(controller.model.group(group.id)!.playModes).toEqual({
      shuffle: true,
      repeat: 'one',
      crossfade: false,
    });
    await pending;
    expect(simGroupOf(sim, group.coordinatorId).playModes).toMatchObject({ shuffle: true, repeatOne: true });
    await controller.transport.setPlayModes(group.id, { repeat: 'all', crossfade: true });
    expect(simGroupOf(sim, group.coordinatorId).playModes).toEqual({
      shuffle: true,
      repeat: true,
      repeatOne: false,
      crossfade: true,
    });
    await vi.waitFor(() =>
      expect(controller.snapshot().groups[group.id]!.playModes).toEqual({
        shuffle: true,
        repeat: 'all',
        crossfade: true,
      }),
    );
  });

  it('refuses what the source does not allow, naming it, and sends nothing', async () => {
    harness = await startHarness({ players: 2, groups: '1,2' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete();
    const radio = groupWith(snapshot, sim.players[1]!.id);
    expect(radio.actions).toMatchObject({ canSeek: false, canShuffle: false, canSkip: false });
    const sent = sentCommands(harness);
    await expect(controller.transport.setPlayModes(radio.id, { shuffle: true })).rejects.toMatchObject({
      code: 'not-allowed',
      message: `Shuffle is not available for what ${radio.name} is playing.`,
    });
    await expect(controller.transport.seek(radio.id, 10_000)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(controller.playback(radio.id, 'skipToNextTrack')).rejects.toMatchObject({
      code: 'not-allowed',
    });
    // A Connect-like session allows shuffle but not crossfade.
    const queue = groupWith(snapshot, sim.players[0]!.id);
    sim.control.playSource(queue.id, 'connect');
    await vi.waitFor(() => expect(controller.snapshot().groups[queue.id]!.actions.canCrossfade).toBe(false));
    await expect(controller.transport.setPlayModes(queue.id, { crossfade: true })).rejects.toMatchObject({
      code: 'not-allowed',
    });
    expect(sent).toEqual([]);
    expect(controller.model.group(radio.id)!.playModes?.shuffle).toBe(false);
  });

  it('a seek drag sends few commands and the last position lands; the clock restarts from it', async () => {
    harness = await startHarness({ players: 1, holdBackMs: 100 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete();
    const group = Object.values(snapshot.groups)[0]!;
    await controller.playback(group.id, 'pause');
    const sent = sentCommands(harness);
    const drag = Array.from({ length: 20 }, (_, i) =>
      controller.transport.seek(group.id, 10_000 + i * 1_000),
    );
    // Drawn at once.
    expect(controller.model.group(group.id)!.positionMs).toBe(29_000);
    await Promise.all(drag);
    expect(simGroupOf(sim, group.coordinatorId).positionMillis).toBe(29_000);
    expect(sent.filter((c) => c.endsWith('seek')).length).toBeLessThan(5);
    await vi.waitFor(() => expect(controller.snapshot().groups[group.id]!.positionMs).toBe(29_000));
    await controller.transport.seekBy(group.id, -9_000);
    expect(simGroupOf(sim, group.coordinatorId).positionMillis).toBe(20_000);
    await expect(controller.transport.seek(group.id, 10 * 60_000)).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });

  it('the position runs on a clock while playing, holds while paused, and every event corrects it', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete();
    const group = Object.values(snapshot.groups)[0]!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const running = controller.model.positionNow(group.id)!;
    const real = sim.state().groups[0]!.positionMillis;
    expect(Math.abs(running - real)).toBeLessThan(150);
    await controller.playback(group.id, 'pause');
    // The player's event tells where it paused; from then on the clock stands still.
    await vi.waitFor(() =>
      expect(controller.model.positionNow(group.id)).toBe(sim.state().groups[0]!.positionMillis),
    );
    const paused = controller.model.positionNow(group.id)!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(controller.model.positionNow(group.id)).toBe(paused);
    sim.control.seek(group.id, 90_000);
    await vi.waitFor(() => expect(controller.model.positionNow(group.id)).toBe(90_000));
  });

  it('pause all pauses what plays; resume all plays just those again', async () => {
    harness = await startHarness({ players: 3, groups: '1,2,3' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete();
    const [a, b, c] = sim.players.map((p) => groupWith(snapshot, p.id));
    await controller.playback(c!.id, 'pause');
    expect(await controller.pauseAll()).toBe(2);
    for (const group of [a, b, c])
      expect(simGroupOf(sim, group!.coordinatorId).playbackState).not.toBe('PLAYBACK_STATE_PLAYING');
    expect(await controller.resumeAll()).toBe(2);
    expect(simGroupOf(sim, a!.coordinatorId).playbackState).toBe('PLAYBACK_STATE_PLAYING');
    expect(simGroupOf(sim, b!.coordinatorId).playbackState).toBe('PLAYBACK_STATE_PLAYING');
    // The group that was paused before (a station: paused means idle) stays so.
    expect(simGroupOf(sim, c!.coordinatorId).playbackState).toBe('PLAYBACK_STATE_IDLE');
    expect(await controller.resumeAll()).toBe(0);
  });
});

describe('favorites and playlists', () => {
  it('are read when the household is reached and again when Sonos says they changed', async () => {
    harness = await startHarness({ players: 2 });
    const { sim, controller } = harness;
    await controller.whenComplete();
    await vi.waitFor(() =>
      expect(controller.snapshot().households[sim.householdId]?.favorites).not.toBeNull(),
    );
    const household = controller.snapshot().households[sim.householdId]!;
    expect(household.favorites!.items.map((f) => f.name)).toEqual(
      sim.state().favorites.items.map((f) => f.name),
    );
    expect(household.favorites!.version).toBe(sim.state().favorites.version);
    expect(household.playlists!.items[0]).toMatchObject({ name: sim.state().playlists.items[0]!.name });
    sim.control.addFavorite('Late Night');
    await vi.waitFor(() =>
      expect(controller.snapshot().households[sim.householdId]!.favorites!.items.at(-1)?.name).toBe(
        'Late Night',
      ),
    );
  });

  it('play a favorite or a playlist on a group; an unknown one is refused before anything is sent', async () => {
    harness = await startHarness({ players: 2, groups: '1,2' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete();
    const group = groupWith(snapshot, sim.players[1]!.id);
    const favorites = await controller.music.favorites(sim.householdId);
    const album = favorites.items.find((f) => f.name === 'Localhost Sessions')!;
    await controller.music.playFavorite(group.id, album.id);
    expect(simGroupOf(sim, group.coordinatorId)).toMatchObject({
      container: 'Localhost Sessions',
      playbackState: 'PLAYBACK_STATE_PLAYING',
    });
    await vi.waitFor(() =>
      expect(controller.snapshot().groups[group.id]!.nowPlaying?.container).toBe('Localhost Sessions'),
    );
    const playlists = await controller.music.playlists(sim.householdId);
    await controller.music.playPlaylist(group.id, playlists.items[1]!.id);
    expect(simGroupOf(sim, group.coordinatorId).container).toBe(playlists.items[1]!.name);
    const sent = sentCommands(harness);
    await expect(controller.music.playFavorite(group.id, '404')).rejects.toMatchObject({ code: 'not-found' });
    expect(sent).toEqual([]);
  });
});

describe('home theater', () => {
  it('reads the options of HT_PLAYBACK speakers, sets them on their own socket, and refuses other speakers', async () => {
    harness = await startHarness({ players: 4 });
    const { sim, controller } = harness;
    await controller.whenComplete();
    const [one, , , amp] = sim.players.map((p) => p.id);
    expect(controller.snapshot().players[one!]!.homeTheater).toBeNull();
    await vi.waitFor(() =>
      expect(controller.snapshot().players[amp!]!.homeTheater).toEqual({
        nightMode: false,
        enhanceDialog: false,
      }),
    );
    const received: string[] = [];
    sim.onCommand((c) => {
      if (c.namespace.startsWith('homeTheater')) received.push(`${c.playerId} ${c.command}`);
    });
    await controller.homeTheater.set(amp!, { nightMode: true });
    expect(sim.state().players[3]!.homeTheater).toEqual({ nightMode: true, enhanceDialog: false });
    expect(received).toEqual([`${amp} setOptions`]);
    // Confirmed without an event (the speaker sends none for these).
    expect(controller.snapshot().players[amp!]!.homeTheater).toEqual({
      nightMode: true,
      enhanceDialog: false,
    });
    await expect(controller.homeTheater.set(one!, { enhanceDialog: true })).rejects.toMatchObject({
      code: 'not-allowed',
      message: expect.stringContaining('is not a home-theater speaker'),
    });
    expect(received).toHaveLength(1);
  });
});
