import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let socket: TestSocket;
let groupA: string;
let groupB: string;

beforeAll(async () => {
  sim = await startFastSimulator({ players: 3, groups: '1+2,3' });
  socket = await TestSocket.open(sim, 1);
  [groupA, groupB] = sim.state().groups.map((g) => g.id) as [string, string];
});
afterAll(async () => {
  socket.close();
  await sim.stop();
});

describe('replies', () => {
  it('answers getGroups with a reply header like a player and a groups body without playbackState', async () => {
    const [header, body] = await socket.request('groups:1', 'getGroups', { cmdId: 'abc' });
    expect(header).toEqual({
      namespace: 'groups:1',
      householdId: sim.householdId,
      locationId: sim.locationId,
      response: 'getGroups',
      success: true,
      type: 'groups',
      cmdId: 'abc',
    });
    expect(body['_objectType']).toBe('groups');
    expect(body['partial']).toBe(false);
    const groups = body['groups'] as Record<string, unknown>[];
    expect(groups.map((g) => g['id'])).toEqual([groupA, groupB]);
    expect(groups[0]).toEqual({
      _objectType: 'group',
      id: groupA,
      name: 'Living Room + 1',
      coordinatorId: sim.players[0]?.id,
      playerIds: [sim.players[0]?.id, sim.players[1]?.id],
    });
    const players = body['players'] as Record<string, unknown>[];
    expect(players.map((p) => [p['id'], p['name'], p['websocketUrl']])).toEqual(
      sim.players.map((p) => [p.id, p.name, p.wss]),
    );
  });

  it('accepts namespaces without the :1 suffix and always answers with it', async () => {
    const [header] = await socket.request('groups', 'getGroups');
    expect(header['namespace']).toBe('groups:1');
    expect(header['success']).toBe(true);
  });

  it('answers every get command of the five namespaces with the matching object', async () => {
    const player = sim.players[0]?.id ?? '';
    const cases: [string, string, { groupId?: string; playerId?: string }, string][] = [
      ['groupVolume:1', 'getVolume', { groupId: groupA }, 'groupVolume'],
      ['playerVolume:1', 'getVolume', { playerId: player }, 'playerVolume'],
      ['playback:1', 'getPlaybackStatus', { groupId: groupA }, 'playbackStatus'],
      ['playbackMetadata:1', 'getMetadataStatus', { groupId: groupA }, 'metadataStatus'],
    ];
    for (const [namespace, command, scope, type] of cases) {
      const [header, body] = await socket.request(namespace, command, scope);
      expect(header).toMatchObject({ namespace, response: command, success: true, type, ...scope });
      expect(body['_objectType']).toBe(type);
    }
  });

  it('puts groupId in group namespace headers and playerId in playerVolume headers, never both', async () => {
    const [group] = await socket.request('groupVolume:1', 'getVolume', { groupId: groupA });
    expect(group['groupId']).toBe(groupA);
    expect(group).not.toHaveProperty('playerId');
    const [player] = await socket.request('playerVolume:1', 'getVolume', {
      playerId: sim.players[0]?.id ?? '',
    });
    expect(player['playerId']).toBe(sim.players[0]?.id);
    expect(player).not.toHaveProperty('groupId');
  });

  it('leaves cmdId out of the reply when the client sent none', async () => {
    const start = socket.frames.length;
    socket.sendFrame('groupVolume:1', 'getVolume', { groupId: groupA });
    const [header] = await socket.waitFor((f, i) => i >= start && f[0]['response'] === 'getVolume');
    expect(header).not.toHaveProperty('cmdId');
  });

  it('acks subscribe with type none and an empty body, then sends a snapshot event', async () => {
    const other = await TestSocket.open(sim, 1);
    const [ack, event] = await other.subscribe('playback:1', { groupId: groupA });
    expect(ack[0]).toMatchObject({
      namespace: 'playback:1',
      response: 'subscribe',
      success: true,
      type: 'none',
    });
    expect(ack[1]).toEqual({});
    expect(event[0]).toEqual({
      namespace: 'playback:1',
      householdId: sim.householdId,
      locationId: sim.locationId,
      groupId: groupA,
      name: 'playbackStatus',
      type: 'playbackStatus',
    });
    expect(event[1]['playbackState']).toBe('PLAYBACK_STATE_PLAYING');
    const [, metadata] = await other.subscribe('playbackMetadata:1', { groupId: groupA });
    expect(metadata[0]).toMatchObject({ name: 'playbackMetadataStatus', type: 'metadataStatus' });
    const [, groups] = await other.subscribe('groups:1');
    expect(groups[0]).toMatchObject({ name: 'groups', type: 'groups' });
    expect(groups[0]).not.toHaveProperty('groupId');
    other.close();
  });

  it('stops events after unsubscribe', async () => {
    const other = await TestSocket.open(sim, 1);
    await other.subscribe('groupVolume:1', { groupId: groupA });
    const [ack] = await other.request('groupVolume:1', 'unsubscribe', { groupId: groupA });
    expect(ack).toMatchObject({ response: 'unsubscribe', success: true, type: 'none' });
    const before = other.events('groupVolume').length;
    const watcher = await TestSocket.open(sim, 1);
    await watcher.subscribe('groupVolume:1', { groupId: groupA });
    const volume = sim.state().groups[0]?.volume ?? 0;
    sim.control.setGroupVolume(groupA, volume === 50 ? 51 : 50);
    await watcher.nextEvent('groupVolume', 1);
    expect(other.events('groupVolume')).toHaveLength(before);
    other.close();
    watcher.close();
  });
});

describe('errors', () => {
  it('answers an unknown namespace in the global namespace, as captured', async () => {
    const [header, body] = await socket.request('bogus:1', 'subscribe', { groupId: groupA, cmdId: 'x1' });
    expect(header).toEqual({
      namespace: 'global',
      householdId: sim.householdId,
      locationId: sim.locationId,
      groupId: groupA,
      response: 'subscribe',
      success: false,
      type: 'globalError',
      cmdId: 'x1',
    });
    expect(body).toEqual({
      _objectType: 'globalError',
      errorCode: 'ERROR_UNSUPPORTED_NAMESPACE',
      reason: 'v1:bogus:1 namespace is not supported.',
    });
  });

  it('answers an unknown command with ERROR_UNSUPPORTED_COMMAND', async () => {
    const [header, body] = await socket.request('groupVolume:1', 'setVolumeLoudly', { groupId: groupA });
    expect(header).toMatchObject({ namespace: 'global', success: false, type: 'globalError' });
    expect(body).toMatchObject({ _objectType: 'globalError', errorCode: 'ERROR_UNSUPPORTED_COMMAND' });
  });

  it('names the missing value the way the docs do', async () => {
    const missingVolume = await socket.request('groupVolume:1', 'setVolume', { groupId: groupA, body: {} });
    expect(missingVolume[1]).toEqual({
      _objectType: 'globalError',
      errorCode: 'ERROR_MISSING_PARAMETERS',
      reason: 'Missing required value:[1].volume',
    });
    const missingHousehold = await socket.request('groupVolume:1', 'getVolume', {
      groupId: groupA,
      householdId: null,
    });
    expect(missingHousehold[1]).toMatchObject({ reason: 'Missing required value:[0].householdId' });
    const missingGroup = await socket.request('groupVolume:1', 'getVolume');
    expect(missingGroup[1]).toMatchObject({ reason: 'Missing required value:[0].groupId' });
    const missingPlayer = await socket.request('playerVolume:1', 'getVolume');
    expect(missingPlayer[1]).toMatchObject({ reason: 'Missing required value:[0].playerId' });
  });

  it('rejects out-of-range and mistyped values with ERROR_INVALID_PARAMETER', async () => {
    for (const body of [{ volume: 101 }, { volume: -1 }, { volume: '20' }, { volume: 20.5 }]) {
      const [header, reply] = await socket.request('groupVolume:1', 'setVolume', { groupId: groupA, body });
      expect(header['success']).toBe(false);
      expect(reply).toMatchObject({
        errorCode: 'ERROR_INVALID_PARAMETER',
        reason: 'Invalid value:[1].volume',
      });
    }
    const [, mute] = await socket.request('groupVolume:1', 'setMute', {
      groupId: groupA,
      body: { muted: 'yes' },
    });
    expect(mute).toMatchObject({ errorCode: 'ERROR_INVALID_PARAMETER' });
  });

  it('answers a frame of another household with ERROR_INVALID_OBJECT_ID', async () => {
    const [, body] = await socket.request('groupVolume:1', 'getVolume', {
      groupId: groupA,
      householdId: 'Sonos_other',
    });
    expect(body).toMatchObject({ errorCode: 'ERROR_INVALID_OBJECT_ID' });
  });

  it('answers non-JSON and non-array frames with ERROR_INVALID_SYNTAX and keeps the socket open', async () => {
    const probe = await TestSocket.open(sim, 1);
    for (const text of ['not json at all', '{"namespace":"groups:1"}', '[1, 2]', '[']) {
      const start = probe.frames.length;
      probe.ws.send(text);
      const [header, body] = await probe.waitFor((f, i) => i >= start && f[0]['type'] === 'globalError');
      expect(header).toEqual({
        namespace: 'global',
        householdId: sim.householdId,
        locationId: sim.locationId,
        success: false,
        type: 'globalError',
      });
      expect(body).toEqual({ _objectType: 'globalError', errorCode: 'ERROR_INVALID_SYNTAX' });
    }
    probe.ws.send(Buffer.from([0xff, 0x00, 0x13]));
    await probe.waitFor((f) => f[1]['errorCode'] === 'ERROR_INVALID_SYNTAX' && probe.frames.length >= 5);
    const [header] = await probe.request('groups:1', 'getGroups');
    expect(header['success']).toBe(true);
    probe.close();
  });

  it('answers every command with ERROR_NO_PERMISSION while authentication is on', async () => {
    sim.control.setLocalAuth(true);
    try {
      for (const [namespace, command] of [
        ['groups:1', 'getGroups'],
        ['groupVolume:1', 'setVolume'],
        ['playback:1', 'play'],
      ] as const) {
        const [header, body] = await socket.request(namespace, command, {
          groupId: groupA,
          body: { volume: 5 },
        });
        expect(header).toMatchObject({
          namespace: 'global',
          success: false,
          type: 'globalError',
          response: command,
        });
        expect(body).toMatchObject({ _objectType: 'globalError', errorCode: 'ERROR_NO_PERMISSION' });
      }
      expect(sim.state().groups[0]?.volume).not.toBe(5);
    } finally {
      sim.control.setLocalAuth(false);
    }
    const [header] = await socket.request('groups:1', 'getGroups');
    expect(header['success']).toBe(true);
  });
});
