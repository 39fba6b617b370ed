import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator, SimulatorState } from '../../simulator';
import { api, signIn } from './cloud-test-client';
import { startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startFastSimulator({ players: 3, groups: '1+2,3' });
});
afterAll(() => sim.stop());

async function post(
  method: string,
  args: unknown = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.info.control}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function state(): Promise<SimulatorState> {
  return (await (await fetch(`${sim.info.control}/state`)).json()) as SimulatorState;
}

describe('HTTP control API', () => {
  it('GET /state matches the in-process state and GET /info the info', async () => {
    const remote = await state();
    expect(remote).toEqual({ ...sim.state(), groups: expect.any(Array) });
    expect(remote.players[0]).toEqual(
      expect.objectContaining({
        id: sim.players[0]?.id,
        name: 'Living Room',
        volume: expect.any(Number),
        muted: false,
        groupId: remote.groups[0]?.id,
      }),
    );
    expect(remote.groups[0]).toEqual(
      expect.objectContaining({
        coordinatorId: sim.players[0]?.id,
        playerIds: [sim.players[0]?.id, sim.players[1]?.id],
        playbackState: 'PLAYBACK_STATE_PLAYING',
        track: expect.objectContaining({ name: expect.any(String), artist: expect.any(String) }),
      }),
    );
    expect(await (await fetch(`${sim.info.control}/info`)).json()).toEqual(sim.info);
  });

  it('changes volume, mute and playback like another controller, with events', async () => {
    const group = sim.state().groups[0]?.id ?? '';
    const socket = await TestSocket.open(sim, 1);
    await socket.subscribe('groupVolume:1', { groupId: group });
    const event = socket.nextEvent('groupVolume');
    expect(await post('setGroupVolume', { groupId: group, volume: 42 })).toEqual({
      status: 200,
      body: { ok: true, result: null },
    });
    expect((await event)[1]).toMatchObject({ volume: 42 });
    await post('setPlayerVolume', { playerId: 3, volume: 9 });
    expect((await state()).players[2]?.volume).toBe(9);
    await post('setMute', { groupId: group, muted: true });
    expect((await state()).groups[0]?.muted).toBe(true);
    await post('setMute', { playerId: sim.players[2]?.id, muted: true });
    expect((await state()).players[2]?.muted).toBe(true);
    expect((await post('playback', { groupId: group, action: 'pause' })).body).toEqual({
      ok: true,
      result: true,
    });
    expect((await state()).groups[0]?.playbackState).toBe('PLAYBACK_STATE_PAUSED');
    socket.close();
  });

  it('regroups and moves coordinators, returning the new ids', async () => {
    const regroup = await post('regroup', { groups: '1+2+3' });
    const [id] = regroup.body['result'] as [string];
    expect((await state()).groups.map((g) => g.id)).toEqual([id]);
    const moved = await post('moveCoordinator', { groupId: id, playerId: 3 });
    expect(moved.body['result']).toMatch(new RegExp(`^${sim.players[2]?.id}:\\d+$`));
    await post('regroup', { groups: [[1, 2], [3]] });
    expect((await state()).groups.map((g) => g.playerIds.length)).toEqual([2, 1]);
  });

  it('injects player faults', async () => {
    const socket = await TestSocket.open(sim, 2);
    expect((await post('sendGarbage', { playerId: 2, kind: 'text' })).body['result']).toBe(1);
    await socket.waitForRaw((d) => d === 'this is not JSON');
    await post('dropSockets', { playerId: 2 });
    expect(await socket.closed).toBe(1006);
    await post('takeOffline', { playerId: sim.players[1]?.id });
    expect((await state()).players[1]?.online).toBe(false);
    await post('bringOnline', { playerId: 2 });
    expect((await state()).players[1]?.online).toBe(true);
    await post('reboot', { playerId: 2, downMs: 20 });
    expect((await state()).players[1]?.online).toBe(true);
    const rotated = await post('rotateCertificate', { playerId: 2 });
    expect(rotated.body['result']).toEqual({ fingerprint256: sim.players[1]?.fingerprint256 });
    await post('delayReplies', { ms: 0 });
  });

  it('injects cloud and auth faults', async () => {
    const { access_token } = await signIn(sim);
    await post('expireAllTokens');
    expect((await api(sim, access_token, 'GET', '/households')).status).toBe(401);
    await post('revokeRefreshTokens');
    await post('failCloud', { mode: '5xx-empty', count: 1 });
    expect((await state()).cloudFailure).toBe('5xx-empty');
    expect((await api(sim, null, 'GET', '/households')).status).toBe(500);
    await post('setOAuthMode', { mode: 'deny' });
    expect((await state()).oauthMode).toBe('deny');
    await post('setLocalAuth', { enabled: true });
    const socket = await TestSocket.open(sim, 1);
    expect((await socket.request('groups:1', 'getGroups'))[1]['errorCode']).toBe('ERROR_NO_PERMISSION');
    await post('setLocalAuth', { enabled: false });
    expect((await state()).localAuth).toBe(false);
    socket.close();
  });

  it('answers 400 for bad arguments and 404 for unknown endpoints', async () => {
    expect(await post('setGroupVolume', { groupId: 'nope', volume: 10 })).toMatchObject({
      status: 400,
      body: { ok: false, error: expect.stringMatching(/no current group/) },
    });
    expect((await post('setPlayerVolume', { playerId: 1, volume: 101 })).status).toBe(400);
    expect((await post('sendGarbage', { playerId: 1, kind: 'confetti' })).status).toBe(400);
    expect((await post('failCloud', { mode: 'sometimes' })).status).toBe(400);
    expect((await post('explode')).status).toBe(404);
    const notJson = await fetch(`${sim.info.control}/setLocalAuth`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('plays another controller for rooms and music: modes, sources, favorites, playlists, firmware', async () => {
    const groupId = (await state()).groups[0]!.id;
    expect(await post('setPlayModes', { groupId, playModes: { shuffle: true } })).toEqual({
      status: 200,
      body: { ok: true, result: true },
    });
    expect((await state()).groups[0]!.playModes.shuffle).toBe(true);
    await post('playSource', { groupId, source: 'connect' });
    // A Connect-like session refuses crossfade: nothing changes and the answer says so.
    expect((await post('setPlayModes', { groupId, playModes: { crossfade: true } })).body).toEqual({
      ok: true,
      result: false,
    });
    expect((await post('playSource', { groupId, source: 'vinyl' })).status).toBe(400);
    const added = await post('addFavorite', { name: 'Evening', kind: 'station' });
    const id = added.body['result'] as string;
    expect((await state()).favorites.items).toContainEqual({ id, name: 'Evening', kind: 'STREAM' });
    await post('loadFavorite', { groupId, favoriteId: id });
    expect((await state()).groups[0]).toMatchObject({ source: 'radio', container: 'Evening' });
    expect((await post('removeFavorite', { favoriteId: id })).status).toBe(200);
    expect((await post('removeFavorite', { favoriteId: id })).status).toBe(400);
    const playlist = (await post('addPlaylist', { name: 'Road', trackCount: 3 })).body['result'] as string;
    expect((await state()).playlists.items).toContainEqual({ id: playlist, name: 'Road', trackCount: 3 });
    await post('setSoftwareVersion', { playerId: 2, version: '97.0-1' });
    expect((await state()).players[1]!.softwareVersion).toBe('97.0-1');
    // None of these three players has HT_PLAYBACK.
    expect((await post('setHomeTheater', { playerId: 1, nightMode: true })).body).toMatchObject({
      ok: false,
    });
  });
});
