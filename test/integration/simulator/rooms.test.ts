/**
 * Regrouping in the simulator as Sonos documents it: new ids and names, the music following the coordinator,
 * removing a coordinator handing the music to the rooms that stay, `createGroup` with and without music, and
 * players on different software refused with a `playerSetError` that names them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { startFastSimulator, TestSocket, type Body } from './ws-test-client';

let sim: Simulator;
let sockets: TestSocket[] = [];
let ids: string[];

beforeEach(async () => {
  sim = await startFastSimulator({ players: 4, groups: '1+2+3,4' });
  ids = sim.players.map((p) => p.id);
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

const groupOf = (playerId: string) => {
  const state = sim.state();
  const groupId = state.players.find((p) => p.id === playerId)!.groupId;
  return state.groups.find((g) => g.id === groupId)!;
};

describe('regrouping commands', () => {
  it('removing the coordinator hands the music to the rooms that stay, under the next member', async () => {
    const before = groupOf(ids[0]!);
    const coordinator = await open(1);
    const [header, body] = await coordinator.request('groups:1', 'modifyGroupMembers', {
      groupId: before.id,
      body: { playerIdsToAdd: [], playerIdsToRemove: [ids[0]] },
    });
    expect(header).toMatchObject({ success: true, response: 'modifyGroupMembers' });
    const rest = groupOf(ids[1]!);
    expect(rest).toMatchObject({
      coordinatorId: ids[1],
      playerIds: [ids[1], ids[2]],
      name: 'Kitchen + 1',
      track: before.track,
      playbackState: before.playbackState,
    });
    expect((body['group'] as Body)['id']).toBe(rest.id);
    // The old coordinator plays on its own: its own queue, stopped.
    expect(groupOf(ids[0]!)).toMatchObject({ playerIds: [ids[0]], playbackState: 'PLAYBACK_STATE_PAUSED' });
    // Commands at the old id are pointed at the rooms that kept the music.
    const [moved, movedBody] = await coordinator.request('playback:1', 'pause', { groupId: before.id });
    expect(moved).toMatchObject({ success: false, type: 'groupCoordinatorChanged' });
    expect(movedBody).toMatchObject({
      groupStatus: 'GROUP_STATUS_MOVED',
      playerId: ids[1],
      groupName: 'Kitchen + 1',
    });
  });

  it('setGroupMembers without the coordinator does the same; adding a speaker takes it from its group', async () => {
    const before = groupOf(ids[0]!);
    const coordinator = await open(1);
    await coordinator.request('groups:1', 'setGroupMembers', {
      groupId: before.id,
      body: { playerIds: [ids[1], ids[3]] },
    });
    const joined = groupOf(ids[3]!);
    expect(joined).toMatchObject({ coordinatorId: ids[1], playerIds: [ids[1], ids[3]], track: before.track });
    expect(groupOf(ids[2]!).playerIds).toEqual([ids[2]]);
    expect(groupOf(ids[0]!).playerIds).toEqual([ids[0]]);
  });

  it('createGroup is household-scoped: without music the group has nothing to play; with it, the music moves', async () => {
    const socket = await open(4);
    const playing = groupOf(ids[0]!);
    const [header, body] = await socket.request('groups:1', 'createGroup', {
      body: { playerIds: [ids[3], ids[2]] },
    });
    expect(header).toMatchObject({ namespace: 'groups:1', success: true, response: 'createGroup' });
    expect(header).not.toHaveProperty('groupId');
    const created = groupOf(ids[3]!);
    expect((body['group'] as Body)['id']).toBe(created.id);
    expect(created).toMatchObject({
      playerIds: [ids[3], ids[2]],
      source: 'none',
      playbackState: 'PLAYBACK_STATE_IDLE',
    });
    const [, metadata] = await socket.request('playbackMetadata:1', 'getMetadataStatus', {
      groupId: created.id,
    });
    expect(metadata).toEqual({ _objectType: 'metadataStatus' });
    const [, refused] = await socket.request('playback:1', 'play', { groupId: created.id });
    expect(refused).toMatchObject({ errorCode: 'ERROR_PLAYBACK_NO_CONTENT' });

    await socket.request('groups:1', 'createGroup', {
      body: { playerIds: [ids[3]], musicContextGroupId: groupOf(ids[0]!).id },
    });
    expect(groupOf(ids[3]!)).toMatchObject({ playerIds: [ids[3]], track: playing.track, source: 'playlist' });
    const [, missing] = await socket.request('groups:1', 'createGroup', { body: {} });
    expect(missing).toMatchObject({ errorCode: 'ERROR_MISSING_PARAMETERS' });
    const [, stale] = await socket.request('groups:1', 'createGroup', {
      body: { playerIds: [ids[3]], musicContextGroupId: 'RINCON_X:1' },
    });
    expect(stale).toMatchObject({ errorCode: 'ERROR_INVALID_OBJECT_ID' });
  });

  it('players on different software cannot be grouped: a playerSetError names them and nothing changes', async () => {
    sim.control.setSoftwareVersion(4, '97.0-00001');
    const before = sim.state().groups.map((g) => g.id);
    const socket = await open(1);
    const [header, body] = await socket.request('groups:1', 'modifyGroupMembers', {
      groupId: groupOf(ids[0]!).id,
      body: { playerIdsToAdd: [ids[3]], playerIdsToRemove: [] },
    });
    expect(header).toMatchObject({ namespace: 'groups:1', success: false, type: 'playerSetError' });
    expect(body).toMatchObject({ _objectType: 'playerSetError', playerIds: [ids[0], ids[3]] });
    expect(sim.state().groups.map((g) => g.id)).toEqual(before);
    const [, groups] = await socket.request('groups:1', 'getGroups');
    const players = groups['players'] as { id: string; softwareVersion: string }[];
    expect(players.find((p) => p.id === ids[3])?.softwareVersion).toBe('97.0-00001');
  });
});
