import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HouseholdPatch } from '../../../../main/contract/model';
import { HouseholdModel, type GroupsUpdate } from '../../../../main/core/household/household-model';
import { GroupsBodySchema, readBody } from '../../../../main/core/sonos/local/frames';
import { DEFAULT_ACTIONS, toGroupsUpdate } from '../../../../main/core/sonos/normalize';
import { captureJson } from '../../../support/captures';

const HH = 'Sonos_DzRiRrFKF13cB3mZaqqRgpvjhm.jNjF8gvtxNWbfhVMFin7';

function capturedGroups(): GroupsUpdate {
  const [, body] = captureJson<[unknown, unknown]>('local/ws.groups.groups.event.json');
  return toGroupsUpdate(readBody(GroupsBodySchema, body)!, { addresses: true });
}

function twoRooms(groupSuffix = '1'): GroupsUpdate {
  return {
    groups: [
      {
        id: `RINCON_A:${groupSuffix}`,
        name: 'Kitchen + 1',
        coordinatorId: 'RINCON_A',
        playerIds: ['RINCON_A', 'RINCON_B'],
      },
    ],
    players: [
      { id: 'RINCON_A', name: 'Kitchen', websocketUrl: 'wss://127.0.0.1:1/websocket/api' },
      { id: 'RINCON_B', name: 'Den', websocketUrl: 'wss://127.0.0.1:2/websocket/api' },
    ],
  };
}

function collect(model: HouseholdModel): HouseholdPatch[] {
  const patches: HouseholdPatch[] = [];
  model.onPatch((patch) => patches.push(patch));
  return patches;
}

afterEach(() => vi.useRealTimers());

describe('HouseholdModel', () => {
  it('builds groups and players from the captured groups event', () => {
    const model = new HouseholdModel();
    const diff = model.applyGroups(HH, capturedGroups());
    const snapshot = model.snapshot();
    expect(Object.keys(snapshot.groups)).toHaveLength(3);
    expect(Object.keys(snapshot.players)).toHaveLength(4);
    expect(diff.addedPlayers).toHaveLength(4);
    const pair = snapshot.groups['RINCON_542A1B73A25001400:620674909']!;
    expect(pair).toMatchObject({
      name: 'Flyttbar + 1',
      coordinatorId: 'RINCON_542A1B73A25001400',
      volume: null,
    });
    expect(pair.playerIds).toEqual(['RINCON_542A1B73A25001400', 'RINCON_347E5C04E98101400']);
    expect(snapshot.households[HH]).toEqual({
      id: HH,
      name: null,
      transport: null,
      favorites: null,
      playlists: null,
    });
  });

  it('batches changes of one tick into one patch with the next revision', async () => {
    const model = new HouseholdModel();
    model.applyGroups('HH', twoRooms());
    await Promise.resolve();
    const patches = collect(model);
    model.applyGroupVolume('RINCON_A:1', 30, false, false);
    model.applyPlayerVolume('RINCON_A', 20, false, false);
    model.applyPlayerVolume('RINCON_B', 40, true, false);
    await Promise.resolve();
    expect(patches).toHaveLength(1);
    expect(patches[0]!.revision).toBe(2);
    expect(patches[0]!.groups!['RINCON_A:1']).toMatchObject({ volume: 30, muted: false });
    expect(patches[0]!.players!.RINCON_B).toMatchObject({ volume: 40, muted: true });
    expect(model.snapshot().revision).toBe(2);
  });

  it('sends nothing when an event repeats what we know', async () => {
    const model = new HouseholdModel();
    model.applyGroups('HH', twoRooms());
    model.applyGroupVolume('RINCON_A:1', 30, false, false);
    await Promise.resolve();
    const patches = collect(model);
    model.applyGroupVolume('RINCON_A:1', 30, false, false);
    model.applyGroups('HH', twoRooms());
    await Promise.resolve();
    expect(patches).toEqual([]);
  });

  it('holds an optimistic value against intermediate echoes until the final one arrives', async () => {
    const model = new HouseholdModel({ holdGraceMs: 1_000 });
    model.applyGroups('HH', twoRooms());
    model.applyGroupVolume('RINCON_A:1', 10, false, false);
    model.hold('groupVolume', 'RINCON_A:1', 50);
    expect(model.group('RINCON_A:1')!.volume).toBe(50);
    model.applyGroupVolume('RINCON_A:1', 30, false, false); // an earlier command's echo
    expect(model.group('RINCON_A:1')!.volume).toBe(50);
    model.release('groupVolume', 'RINCON_A:1', true);
    model.applyGroupVolume('RINCON_A:1', 40, false, false); // still catching up
    expect(model.group('RINCON_A:1')!.volume).toBe(50);
    model.applyGroupVolume('RINCON_A:1', 50, false, false); // the echo of our final value
    model.applyGroupVolume('RINCON_A:1', 12, false, false); // another controller, afterwards
    expect(model.group('RINCON_A:1')!.volume).toBe(12);
  });

  it('shows the confirmed value after the grace period when no echo comes, and at once on failure', () => {
    vi.useFakeTimers();
    const model = new HouseholdModel({ holdGraceMs: 1_000 });
    model.applyGroups('HH', twoRooms());
    model.applyPlayerVolume('RINCON_B', 10, false, false);
    model.hold('playerVolume', 'RINCON_B', 70);
    model.release('playerVolume', 'RINCON_B', true);
    vi.advanceTimersByTime(999);
    expect(model.player('RINCON_B')!.volume).toBe(70);
    vi.advanceTimersByTime(2);
    expect(model.player('RINCON_B')!.volume).toBe(10);

    model.hold('playerMuted', 'RINCON_B', true);
    expect(model.player('RINCON_B')!.muted).toBe(true);
    model.release('playerMuted', 'RINCON_B', false);
    expect(model.player('RINCON_B')!.muted).toBe(false);
  });

  it('a release ends only the hold it was given: an older intent cannot end a newer one', () => {
    vi.useFakeTimers();
    const model = new HouseholdModel({ holdGraceMs: 1_000 });
    model.applyGroups('HH', twoRooms());
    model.applyGroupVolume('RINCON_A:1', 20, true, false);
    // A volume drag unmutes; the user presses Mute while its command is on the way.
    const unmute = model.hold('groupMuted', 'RINCON_A:1', false);
    const mute = model.hold('groupMuted', 'RINCON_A:1', true);
    model.release('groupMuted', 'RINCON_A:1', false, unmute); // the volume command failed
    expect(model.group('RINCON_A:1')!.muted).toBe(true);
    model.applyGroupVolume('RINCON_A:1', 30, false, false); // the volume's echo: unmuted
    vi.advanceTimersByTime(5_000);
    expect(model.group('RINCON_A:1')!.muted).toBe(true);
    model.release('groupMuted', 'RINCON_A:1', true, mute);
    model.applyGroupVolume('RINCON_A:1', 30, true, false);
    expect(model.group('RINCON_A:1')!.muted).toBe(true);
  });

  it('a hold still on its way follows a regroup to the new group id', () => {
    const model = new HouseholdModel({ holdGraceMs: 1_000 });
    model.applyGroups('HH', twoRooms('1'));
    model.applyGroupVolume('RINCON_A:1', 20, false, false);
    const held = model.hold('groupVolume', 'RINCON_A:1', 60);
    model.applyGroups('HH', twoRooms('2'));
    model.applyGroupVolume('RINCON_A:2', 25, false, false); // an echo from before our command
    expect(model.group('RINCON_A:2')!.volume).toBe(60);
    model.release('groupVolume', 'RINCON_A:2', false, held);
    expect(model.group('RINCON_A:2')!.volume).toBe(25);
  });

  it('carries playback and volume to the new id of a regrouped group, and follows the rename', () => {
    const model = new HouseholdModel();
    model.applyGroups('HH', twoRooms('1'));
    model.applyGroupVolume('RINCON_A:1', 33, false, false);
    model.applyPlayback('RINCON_A:1', {
      state: 'playing',
      actions: { ...DEFAULT_ACTIONS, canSeek: true },
      positionMs: 1000,
      playModes: { shuffle: true, repeat: 'all', crossfade: false },
    });
    model.applyNowPlaying('RINCON_A:1', {
      title: 'T',
      artist: null,
      album: null,
      container: null,
      service: null,
      artUrl: null,
      durationMs: null,
    });
    const diff = model.applyGroups('HH', twoRooms('2'));
    expect(diff.removedGroups).toEqual(['RINCON_A:1']);
    expect(diff.renamedGroups.get('RINCON_A:1')).toBe('RINCON_A:2');
    expect(model.group('RINCON_A:1')).toBeNull();
    expect(model.group('RINCON_A:2')).toMatchObject({
      volume: 33,
      playback: 'playing',
      nowPlaying: { title: 'T' },
      playModes: { shuffle: true, repeat: 'all', crossfade: false },
      actions: { canSeek: true },
    });
    expect(model.resolveGroupId('RINCON_A:1')).toBe('RINCON_A:2');
    expect(model.resolveGroupId('nope')).toBe('nope');
  });

  it('removes players that left the household and names groups with nicknames', () => {
    const nicknames: Record<string, string> = { RINCON_A: 'Cook’s corner' };
    const model = new HouseholdModel({ nickname: (id) => nicknames[id] });
    model.applyGroups('HH', twoRooms());
    expect(model.group('RINCON_A:1')!.name).toBe('Cook’s corner + 1');
    expect(model.player('RINCON_A')).toMatchObject({ name: 'Cook’s corner', sonosName: 'Kitchen' });
    const diff = model.applyGroups('HH', {
      groups: [{ id: 'RINCON_A:1', name: 'Kitchen', coordinatorId: 'RINCON_A', playerIds: ['RINCON_A'] }],
      players: [{ id: 'RINCON_A', name: 'Kitchen', websocketUrl: undefined }],
    });
    expect(diff.removedPlayers).toEqual(['RINCON_B']);
    expect(model.player('RINCON_B')).toBeNull();
    expect(model.group('RINCON_A:1')!.playerIds).toEqual(['RINCON_A']);
  });

  it('ignores events for groups and players it does not know', async () => {
    const model = new HouseholdModel();
    const patches = collect(model);
    model.applyGroupVolume('gone:1', 5, false, false);
    model.applyPlayerVolume('ghost', 5, false, false);
    model.applyNowPlaying('gone:1', null);
    await Promise.resolve();
    expect(patches).toEqual([]);
  });

  it('keeps several households apart', () => {
    const model = new HouseholdModel();
    model.applyGroups('HH1', twoRooms());
    model.applyGroups('HH2', {
      groups: [{ id: 'RINCON_Z:1', name: 'Cabin', coordinatorId: 'RINCON_Z', playerIds: ['RINCON_Z'] }],
      players: [{ id: 'RINCON_Z', name: 'Cabin', websocketUrl: undefined }],
    });
    model.applyGroups('HH1', twoRooms());
    expect(Object.keys(model.snapshot().groups).sort()).toEqual(['RINCON_A:1', 'RINCON_Z:1']);
    model.removeHousehold('HH2');
    expect(Object.keys(model.snapshot().groups)).toEqual(['RINCON_A:1']);
  });

  it('moves the clock with what it shows: an optimistic pause stops it where it got to', () => {
    let now = 10_000;
    const model = new HouseholdModel({ now: () => now });
    model.applyGroups('HH', twoRooms());
    const status = { actions: { ...DEFAULT_ACTIONS }, playModes: null };
    model.applyPlayback('RINCON_A:1', { ...status, state: 'playing', positionMs: 5_000 });
    now = 12_000;
    expect(model.positionNow('RINCON_A:1')).toBe(7_000);
    model.hold('playback', 'RINCON_A:1', 'paused');
    expect(model.group('RINCON_A:1')).toMatchObject({ positionMs: 7_000, positionAt: 12_000 });
    now = 20_000;
    expect(model.positionNow('RINCON_A:1')).toBe(7_000);
    // The player's event corrects it (it paused a little later than we showed).
    model.applyPlayback('RINCON_A:1', { ...status, state: 'paused', positionMs: 7_040 });
    expect(model.group('RINCON_A:1')).toMatchObject({ positionMs: 7_040, positionAt: 20_000 });
  });

  it('holds play modes like volumes, one mode at a time', () => {
    const model = new HouseholdModel();
    model.applyGroups('HH', twoRooms());
    expect(model.group('RINCON_A:1')!.playModes).toBeNull();
    model.applyPlayback('RINCON_A:1', {
      state: 'playing',
      actions: { ...DEFAULT_ACTIONS, canShuffle: true },
      positionMs: null,
      playModes: { shuffle: false, repeat: 'off', crossfade: false },
    });
    const held = model.hold('shuffle', 'RINCON_A:1', true);
    expect(model.group('RINCON_A:1')!.playModes).toEqual({ shuffle: true, repeat: 'off', crossfade: false });
    model.release('shuffle', 'RINCON_A:1', false, held);
    expect(model.group('RINCON_A:1')!.playModes!.shuffle).toBe(false);
  });

  it('a coordinator taken out hands what we know to the rooms that stay, not to its own new group', () => {
    const model = new HouseholdModel();
    model.applyGroups('HH', twoRooms('1'));
    model.applyPlayback('RINCON_A:1', {
      state: 'playing',
      actions: { ...DEFAULT_ACTIONS },
      positionMs: 1_000,
      playModes: null,
    });
    model.expectHandOver('RINCON_A', ['RINCON_B']);
    const players = twoRooms().players;
    const diff = model.applyGroups('HH', {
      groups: [
        { id: 'RINCON_A:2', name: 'Kitchen', coordinatorId: 'RINCON_A', playerIds: ['RINCON_A'] },
        { id: 'RINCON_B:3', name: 'Den', coordinatorId: 'RINCON_B', playerIds: ['RINCON_B'] },
      ],
      players,
    });
    expect(diff.renamedGroups.get('RINCON_A:1')).toBe('RINCON_B:3');
    expect(model.group('RINCON_B:3')!.playback).toBe('playing');
    expect(model.group('RINCON_A:2')!.playback).toBe('unknown');
    expect(model.resolveGroupId('RINCON_A:1')).toBe('RINCON_B:3');
  });

  it('keeps the household’s favorites and playlists and a speaker’s home-theater options', () => {
    const model = new HouseholdModel();
    model.applyGroups('HH', {
      ...twoRooms(),
      players: twoRooms().players.map((p, i) => ({ ...p, homeTheater: i === 1 })),
    });
    const favorites = {
      version: 'v7',
      items: [{ id: '3', name: 'P3', description: null, service: null, artUrl: null }],
    };
    model.applyCatalog('HH', 'favorites', favorites);
    expect(model.household('HH')).toMatchObject({ favorites, playlists: null });
    expect(model.player('RINCON_A')!.homeTheater).toBeNull();
    expect(model.player('RINCON_B')!.homeTheater).toEqual({ nightMode: null, enhanceDialog: null });
    model.applyHomeTheater('RINCON_B', { nightMode: true, enhanceDialog: false });
    model.applyHomeTheater('RINCON_A', { nightMode: true });
    expect(model.player('RINCON_B')!.homeTheater).toEqual({ nightMode: true, enhanceDialog: false });
    expect(model.player('RINCON_A')!.homeTheater).toBeNull();
  });
});
