import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { api, signIn } from './cloud-test-client';
import { startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let token: string;
let musicGroup: string;
let radioGroup: string;

beforeAll(async () => {
  sim = await startFastSimulator({ players: 3, groups: '1+2,3' });
  token = (await signIn(sim)).access_token;
  [musicGroup, radioGroup] = sim.state().groups.map((g) => g.id) as [string, string];
});
afterAll(() => sim.stop());
beforeEach(() => sim.control.failCloud({ mode: 'off' }));

describe('reading', () => {
  it('lists the household', async () => {
    const { status, json } = await api(sim, token, 'GET', '/households');
    expect(status).toBe(200);
    expect(json).toEqual({ households: [{ id: sim.householdId }] });
  });

  it('lists groups with playbackState (unlike the websocket) and players', async () => {
    const { status, json } = await api(sim, token, 'GET', `/households/${sim.householdId}/groups`);
    expect(status).toBe(200);
    const body = json as { groups: Record<string, unknown>[]; players: Record<string, unknown>[] };
    expect(body.groups.map((g) => [g['id'], g['playbackState']])).toEqual([
      [musicGroup, 'PLAYBACK_STATE_PLAYING'],
      [radioGroup, 'PLAYBACK_STATE_PLAYING'],
    ]);
    expect(body.players.map((p) => p['id'])).toEqual(sim.players.map((p) => p.id));
  });

  it('reads volume, playback and metadata', async () => {
    const volume = await api(sim, token, 'GET', `/groups/${musicGroup}/groupVolume`);
    expect(volume.json).toMatchObject({ _objectType: 'groupVolume', volume: sim.state().groups[0]?.volume });
    const playback = await api(sim, token, 'GET', `/groups/${musicGroup}/playback`);
    expect(playback.json).toMatchObject({
      _objectType: 'playbackStatus',
      playbackState: 'PLAYBACK_STATE_PLAYING',
    });
    const metadata = await api(sim, token, 'GET', `/groups/${radioGroup}/playbackMetadata`);
    expect(metadata.json).toMatchObject({ _objectType: 'metadataStatus', streamInfo: expect.any(String) });
    const player = await api(sim, token, 'GET', `/players/${sim.players[1]?.id}/playerVolume`);
    expect(player.json).toMatchObject({
      _objectType: 'playerVolume',
      volume: sim.state().players[1]?.volume,
    });
  });
});

describe('commands', () => {
  it('change the shared state and produce the same local events', async () => {
    const socket = await TestSocket.open(sim, 1);
    await socket.subscribe('groupVolume:1', { groupId: musicGroup });
    await socket.subscribe('playback:1', { groupId: musicGroup });
    const volumeEvent = socket.nextEvent('groupVolume');
    const set = await api(sim, token, 'POST', `/groups/${musicGroup}/groupVolume`, { volume: 35 });
    expect(set).toMatchObject({ status: 200, json: {} });
    expect((await volumeEvent)[1]).toMatchObject({ volume: 35 });

    await api(sim, token, 'POST', `/groups/${musicGroup}/groupVolume/relative`, { volumeDelta: -5 });
    expect(sim.state().groups[0]?.volume).toBe(30);
    await api(sim, token, 'POST', `/groups/${musicGroup}/groupVolume/mute`, { muted: true });
    expect(sim.state().groups[0]?.muted).toBe(true);

    const paused = socket.nextEvent('playbackStatus');
    expect((await api(sim, token, 'POST', `/groups/${musicGroup}/playback/pause`)).status).toBe(200);
    expect((await paused)[1]['playbackState']).toBe('PLAYBACK_STATE_PAUSED');
    for (const action of [
      'play',
      'togglePlayPause',
      'togglePlayPause',
      'skipToNextTrack',
      'skipToPreviousTrack',
    ]) {
      expect((await api(sim, token, 'POST', `/groups/${musicGroup}/playback/${action}`)).status).toBe(200);
    }
    expect(sim.state().groups[0]?.playbackState).toBe('PLAYBACK_STATE_PLAYING');
    socket.close();
  });

  it('sets player volume, relative and mute', async () => {
    const id = sim.players[2]?.id ?? '';
    await api(sim, token, 'POST', `/players/${id}/playerVolume`, { volume: 12 });
    await api(sim, token, 'POST', `/players/${id}/playerVolume/relative`, { volumeDelta: 3 });
    expect(sim.state().players[2]).toMatchObject({ volume: 15, muted: false });
    await api(sim, token, 'POST', `/players/${id}/playerVolume/mute`, { muted: true });
    expect(sim.state().players[2]?.muted).toBe(true);
  });

  it('rejects bad bodies with 400 and an errorCode', async () => {
    const path = `/groups/${musicGroup}/groupVolume`;
    expect(await api(sim, token, 'POST', path, { volume: 200 })).toMatchObject({
      status: 400,
      json: { errorCode: 'ERROR_INVALID_PARAMETER' },
    });
    expect(await api(sim, token, 'POST', path, {})).toMatchObject({
      status: 400,
      json: { errorCode: 'ERROR_MISSING_PARAMETERS' },
    });
    expect(await api(sim, token, 'POST', path, '{not json')).toMatchObject({ status: 400 });
    expect(
      await api(sim, token, 'POST', ['/groups', radioGroup, 'playback', 'skipToNextTrack'].join('/')),
    ).toMatchObject({
      status: 400,
    });
  });
});

describe('errors', () => {
  it('answers 401 with the real body for a missing or unknown bearer', async () => {
    for (const bearer of [null, 'not-a-token']) {
      const result = await api(sim, bearer, 'GET', '/households');
      expect(result.status).toBe(401);
      expect(result.text).toBe('{"error": "access_denied", "error_description": "Invalid Token"}');
    }
  });

  it('answers 410 ERROR_RESOURCE_GONE for a stale group id, exactly as captured', async () => {
    const local = await startFastSimulator({ players: 2, groups: '1+2' });
    try {
      const localToken = (await signIn(local)).access_token;
      const [old] = local.state().groups.map((g) => g.id) as [string];
      local.control.regroup('1,2');
      for (const [method, path] of [
        ['GET', `/groups/${old}/groupVolume`],
        ['POST', `/groups/${old}/playback/play`],
        ['GET', `/groups/${old}/playbackMetadata`],
      ] as const) {
        const result = await api(local, localToken, method, path, method === 'POST' ? {} : undefined);
        expect(result.status).toBe(410);
        expect(result.text).toBe('{"errorCode":"ERROR_RESOURCE_GONE"}');
      }
    } finally {
      await local.stop();
    }
  });

  it('answers 5xx with HTML or an empty body, or an empty 200, while failCloud is on', async () => {
    sim.control.failCloud({ mode: '5xx-html' });
    const html = await api(sim, token, 'GET', '/households');
    expect(html.status).toBeGreaterThanOrEqual(500);
    expect(html.type).toMatch(/text\/html/);
    expect(html.text).toMatch(/<html>/);
    sim.control.failCloud({ mode: '5xx-empty', count: 2 });
    for (let i = 0; i < 2; i++) {
      const empty = await api(sim, token, 'GET', '/households');
      expect(empty).toMatchObject({ status: 500, text: '' });
    }
    expect((await api(sim, token, 'GET', '/households')).status).toBe(200);
    sim.control.failCloud({ mode: 'empty-200' });
    expect(await api(sim, token, 'GET', '/households')).toMatchObject({ status: 200, text: '' });
    expect(sim.state().cloudFailure).toBe('empty-200');
    sim.control.failCloud({ mode: 'off' });
    expect((await api(sim, token, 'GET', '/households')).json).toEqual({
      households: [{ id: sim.householdId }],
    });
  });

  it('answers unknown routes and ids with 404', async () => {
    expect((await api(sim, token, 'GET', '/nothing')).status).toBe(404);
    expect((await api(sim, token, 'GET', '/players/RINCON_000000000000001400/playerVolume')).status).toBe(
      404,
    );
    expect((await api(sim, token, 'GET', '/households/Sonos_other/groups')).status).toBe(404);
  });

  it('applies latencyMs to cloud answers', async () => {
    const slow = await startFastSimulator({ players: 1, latencyMs: 120 });
    try {
      const slowToken = (await signIn(slow)).access_token;
      const started = performance.now();
      await api(slow, slowToken, 'GET', '/households');
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.stop();
    }
  });
});
