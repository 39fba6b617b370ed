/**
 * The simulator's music: play modes gated by what the source allows, seeking, the queue's end, favorites and
 * playlists (lists, versions, events, loading) and home-theater options — driven over the websocket like a client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { TRACKS } from '../../simulator/tracks';
import { eventually, startFastSimulator, TestSocket, type Body } from './ws-test-client';

let sim: Simulator;
let sockets: TestSocket[] = [];

beforeEach(async () => {
  // Player 4 is an Amp (HT_PLAYBACK); groups: a queue (1+2), a station (3, the last group) and 4 alone in between.
  sim = await startFastSimulator({ players: 4, groups: '1+2,4,3' });
});
afterEach(async () => {
  sockets.forEach((s) => s.close());
  sockets = [];
  await sim.stop();
});

async function open(player: number): Promise<TestSocket> {
  const socket = await TestSocket.open(sim, player);
  sockets.push(socket);
  return socket;
}

const group = (n: number) => sim.state().groups[n]!;
const status = async (socket: TestSocket, groupId: string): Promise<Body> =>
  (await socket.request('playback:1', 'getPlaybackStatus', { groupId }))[1];

describe('play modes and seeking', () => {
  it('a queue allows every mode; setPlayModes changes only the modes named and tells subscribers', async () => {
    const socket = await open(1);
    const id = group(0).id;
    expect((await status(socket, id))['availablePlaybackActions']).toMatchObject({
      canSeek: true,
      canShuffle: true,
      canRepeat: true,
      canRepeatOne: true,
      canCrossfade: true,
    });
    await socket.subscribe('playback:1', { groupId: id });
    const event = socket.nextEvent('playbackStatus');
    const [header] = await socket.request('playback:1', 'setPlayModes', {
      groupId: id,
      body: { playModes: { shuffle: true, crossfade: true } },
    });
    expect(header).toMatchObject({ success: true, response: 'setPlayModes' });
    expect((await event)[1]['playModes']).toEqual({
      _objectType: 'playMode',
      repeat: false,
      repeatOne: false,
      shuffle: true,
      crossfade: true,
    });
    await socket.request('playback:1', 'setPlayModes', {
      groupId: id,
      body: { playModes: { repeat: true } },
    });
    expect(group(0).playModes).toEqual({ repeat: true, repeatOne: false, shuffle: true, crossfade: true });
  });

  it('a station refuses seek, shuffle and repeat; a Connect-like session refuses crossfade only', async () => {
    const radio = await open(3);
    const station = sim.state().groups.find((g) => g.source === 'radio')!;
    for (const [command, body] of [
      ['setPlayModes', { playModes: { shuffle: true } }],
      ['setPlayModes', { playModes: { repeat: false } }],
      ['seek', { positionMillis: 1000 }],
      ['seekRelative', { deltaMillis: 5000 }],
    ] as const) {
      const [header, error] = await radio.request('playback:1', command, { groupId: station.id, body });
      expect(header).toMatchObject({ namespace: 'global', success: false, type: 'globalError' });
      expect(error).toMatchObject({ errorCode: 'ERROR_DISALLOWED_BY_POLICY' });
    }
    expect(sim.state().groups.find((g) => g.id === station.id)?.playModes.shuffle).toBe(false);

    const socket = await open(1);
    const id = group(0).id;
    sim.control.playSource(id, 'connect');
    expect((await status(socket, id))['availablePlaybackActions']).toMatchObject({
      canShuffle: true,
      canSeek: true,
      canCrossfade: false,
    });
    const [, refused] = await socket.request('playback:1', 'setPlayModes', {
      groupId: id,
      // Refused as a whole: shuffle does not change either.
      body: { playModes: { shuffle: true, crossfade: true } },
    });
    expect(refused).toMatchObject({
      errorCode: 'ERROR_DISALLOWED_BY_POLICY',
      reason: 'Crossfade is not allowed',
    });
    expect(group(0).playModes.shuffle).toBe(false);
  });

  it('checks bodies as the OpenAPI description requires', async () => {
    const socket = await open(1);
    const id = group(0).id;
    const error = async (command: string, body: Body) =>
      (await socket.request('playback:1', command, { groupId: id, body }))[1];
    expect(await error('setPlayModes', {})).toMatchObject({
      errorCode: 'ERROR_MISSING_PARAMETERS',
      reason: 'Missing required value:[1].playModes',
    });
    expect(await error('setPlayModes', { playModes: { shuffle: 'yes' } })).toMatchObject({
      errorCode: 'ERROR_INVALID_PARAMETER',
    });
    expect(await error('seek', {})).toMatchObject({ errorCode: 'ERROR_MISSING_PARAMETERS' });
    expect(await error('seek', { positionMillis: -1 })).toMatchObject({
      errorCode: 'ERROR_INVALID_PARAMETER',
    });
    // No cloud queue here, so no item id matches the current item.
    expect(await error('seek', { positionMillis: 10, itemId: 'x' })).toMatchObject({
      errorCode: 'ERROR_INVALID_OBJECT_ID',
    });
  });

  it('seek moves the position (clamped to the track) and sends a playbackStatus; seekRelative adds to it', async () => {
    const socket = await open(1);
    const id = group(0).id;
    await socket.request('playback:1', 'pause', { groupId: id });
    await eventually(() => group(0).playbackState === 'PLAYBACK_STATE_PAUSED' || undefined);
    await socket.subscribe('playback:1', { groupId: id });
    const event = socket.nextEvent('playbackStatus');
    await socket.request('playback:1', 'seek', { groupId: id, body: { positionMillis: 61_000 } });
    expect((await event)[1]['positionMillis']).toBe(61_000);
    await socket.request('playback:1', 'seekRelative', { groupId: id, body: { deltaMillis: -15_000 } });
    expect(group(0).positionMillis).toBe(46_000);
    await socket.request('playback:1', 'seek', { groupId: id, body: { positionMillis: 999_999_999 } });
    expect(group(0).positionMillis).toBe(180_000);
  });

  it('repeat one restarts the track, shuffle plays another, and a queue without repeat stops at its end', async () => {
    const quick = await startFastSimulator({ players: 1, trackMs: 120 });
    try {
      const id = quick.state().groups[0]!.id;
      const first = quick.state().groups[0]!.track!.name;
      quick.control.setPlayModes(id, { repeatOne: true });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(quick.state().groups[0]!.track!.name).toBe(first);
      quick.control.setPlayModes(id, { repeatOne: false });
      // The mix has 8 tracks: it runs out within about a second and stops, back at its start.
      await eventually(
        () => quick.state().groups[0]!.playbackState === 'PLAYBACK_STATE_IDLE' || undefined,
        3_000,
      );
      expect(quick.state().groups[0]!.track!.name).toBe('Simulated Sunrise');
      quick.control.setPlayModes(id, { repeat: true });
      quick.control.playback(id, 'play');
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      // With repeat the queue wraps around and goes on playing.
      expect(quick.state().groups[0]!.playbackState).toBe('PLAYBACK_STATE_PLAYING');

      // Shuffle: skips leave the queue's order (deterministically, for a seeded household).
      quick.control.playback(id, 'pause');
      quick.control.setPlayModes(id, { shuffle: true });
      const order = TRACKS.map((t) => t.name);
      const seen = [quick.state().groups[0]!.track!.name];
      for (let i = 0; i < 4; i++) {
        quick.control.playback(id, 'skipToNextTrack');
        seen.push(quick.state().groups[0]!.track!.name);
      }
      const inOrder = seen
        .slice(1)
        .every((name, i) => order.indexOf(name) === (order.indexOf(seen[i]!) + 1) % order.length);
      expect(inOrder).toBe(false);
    } finally {
      await quick.stop();
    }
  });
});

describe('favorites and playlists', () => {
  it('lists favorites like the capture, announces a new version on change, and keeps at most 70', async () => {
    const socket = await open(2);
    const [, favorites] = await socket.request('favorites:1', 'getFavorites');
    expect(favorites['_objectType']).toBe('favoritesList');
    expect(typeof favorites['version']).toBe('string');
    const items = favorites['items'] as Body[];
    expect(items.map((f) => f['name'])).toContain('Loopback FM');
    expect(items.every((f) => typeof f['id'] === 'string')).toBe(true);

    const [ack, snapshot] = await socket.subscribe('favorites:1');
    expect(ack[0]).toMatchObject({ response: 'subscribe', success: true });
    expect(snapshot).toEqual([
      expect.objectContaining({ name: 'favoritesVersionChange', type: 'versionChanged' }),
      { _objectType: 'versionChanged', version: favorites['version'] },
    ]);
    const changed = socket.nextEvent('versionChanged');
    const added = sim.control.addFavorite('Morning Mix');
    const [, event] = await changed;
    expect(event['version']).not.toBe(favorites['version']);
    expect(event).toEqual({ _objectType: 'versionChanged', version: sim.state().favorites.version });
    expect(sim.state().favorites.items.map((f) => f.id)).toContain(added);

    while (sim.state().favorites.items.length < 70)
      sim.control.addFavorite(`F${sim.state().favorites.items.length}`);
    expect(() => sim.control.addFavorite('one too many')).toThrow(/at most 70/);
  });

  it('loadFavorite replaces what the coordinator plays and starts it; unknown ids and missing fields are refused', async () => {
    const socket = await open(1);
    const id = group(0).id;
    const station = sim.state().favorites.items.find((f) => f.kind === 'STREAM')!;
    await socket.subscribe('playbackMetadata:1', { groupId: id });
    const metadata = socket.nextEvent('metadataStatus');
    const [header] = await socket.request('favorites:1', 'loadFavorite', {
      groupId: id,
      body: { favoriteId: station.id, action: 'REPLACE', playOnCompletion: true },
    });
    expect(header).toMatchObject({ namespace: 'favorites:1', response: 'loadFavorite', success: true });
    expect((await metadata)[1]['container']).toMatchObject({ type: 'station', name: station.name });
    expect(group(0)).toMatchObject({ source: 'radio', playbackState: 'PLAYBACK_STATE_PLAYING' });

    const album = sim.state().favorites.items.find((f) => f.kind === 'ALBUM')!;
    await socket.request('favorites:1', 'loadFavorite', { groupId: id, body: { favoriteId: album.id } });
    // OpenAPI: without playOnCompletion the player stays idle.
    expect(group(0)).toMatchObject({
      source: 'playlist',
      container: album.name,
      playbackState: 'PLAYBACK_STATE_IDLE',
    });

    const refuse = async (body: Body) =>
      (await socket.request('favorites:1', 'loadFavorite', { groupId: id, body }))[1];
    expect(await refuse({ favoriteId: '999' })).toMatchObject({ errorCode: 'ERROR_INVALID_OBJECT_ID' });
    expect(await refuse({ action: 'REPLACE' })).toMatchObject({ errorCode: 'ERROR_MISSING_PARAMETERS' });
    expect(await refuse({ favoriteId: album.id, action: 'SHUFFLE' })).toMatchObject({
      errorCode: 'ERROR_INVALID_PARAMETER',
    });
    // Loading goes to the coordinator only, like every group command.
    const member = await open(2);
    const [moved] = await member.request('favorites:1', 'loadFavorite', {
      groupId: id,
      body: { favoriteId: '1' },
    });
    expect(moved).toMatchObject({ success: false, type: 'groupCoordinatorChanged' });
  });

  it('lists playlists with track counts, tells one playlist, and plays one as the queue', async () => {
    const socket = await open(1);
    const id = group(0).id;
    const [, list] = await socket.request('playlists:1', 'getPlaylists');
    expect(list).toMatchObject({ _objectType: 'playlistsList', version: sim.state().playlists.version });
    const playlists = list['playlists'] as { id: string; name: string; type: string; trackCount: number }[];
    expect(playlists[0]).toMatchObject({ type: 'playlist', trackCount: expect.any(Number) });
    const [, summary] = await socket.request('playlists:1', 'getPlaylist', {
      body: { playlistId: playlists[0]!.id },
    });
    expect((summary['tracks'] as unknown[]).length).toBe(playlists[0]!.trackCount);

    await socket.request('playlists:1', 'loadPlaylist', {
      groupId: id,
      body: { playlistId: playlists[1]!.id, action: 'REPLACE', playOnCompletion: true },
    });
    expect(group(0)).toMatchObject({
      container: playlists[1]!.name,
      playbackState: 'PLAYBACK_STATE_PLAYING',
    });
    const changed = (await socket.subscribe('playlists:1'))[1];
    expect(changed[0]).toMatchObject({ name: 'playlistsVersionChange', type: 'versionChanged' });
  });
});

describe('home theater', () => {
  it('only HT_PLAYBACK players have it, each on its own socket; options change and subscriptions stay silent', async () => {
    const amp = await open(4);
    const playerId = sim.players[3]!.id;
    const [, options] = await amp.request('homeTheater:1', 'getOptions', { playerId });
    expect(options).toEqual({ _objectType: 'homeTheaterOptions', nightMode: false, enhanceDialog: false });
    const [ack] = await amp.request('homeTheater:1', 'subscribe', { playerId });
    expect(ack).toMatchObject({ success: true });
    const [set] = await amp.request('homeTheater:1', 'setOptions', { playerId, body: { nightMode: true } });
    expect(set).toMatchObject({ success: true, response: 'setOptions' });
    expect(sim.state().players[3]!.homeTheater).toEqual({ nightMode: true, enhanceDialog: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(amp.events().filter((f) => f[0]['namespace'] === 'homeTheater:1')).toEqual([]);

    const one = await open(1);
    const [notHt, error] = await one.request('homeTheater:1', 'getOptions', { playerId: sim.players[0]!.id });
    expect(notHt).toMatchObject({ namespace: 'global', success: false });
    expect(error).toMatchObject({ errorCode: 'ERROR_UNSUPPORTED_NAMESPACE' });
    const [, elsewhere] = await one.request('homeTheater:1', 'getOptions', { playerId });
    expect(elsewhere).toMatchObject({ errorCode: 'ERROR_INVALID_OBJECT_ID' });
  });
});
