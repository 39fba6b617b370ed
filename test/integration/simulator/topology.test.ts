import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let sockets: TestSocket[] = [];
let ids: string[];

beforeEach(async () => {
  sim = await startFastSimulator({ players: 4, groups: '1+2,3' });
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

const groupIds = () => sim.state().groups.map((g) => g.id);

describe('regrouping', () => {
  it('gives changed groups new coordinator:counter ids and keeps untouched ones', async () => {
    const [a, b, c] = groupIds() as [string, string, string];
    expect(a).toMatch(new RegExp(`^${ids[0]}:\\d+$`));
    const after = sim.control.regroup('1+2+3');
    expect(after).toHaveLength(2);
    expect(after).not.toContain(a);
    expect(after).not.toContain(b);
    expect(after).toContain(c);
    expect(after[0]).toMatch(new RegExp(`^${ids[0]}:\\d+$`));
    expect(Number(after[0]?.split(':')[1])).toBeGreaterThan(Number(a.split(':')[1]));
    expect(sim.state().groups[0]?.playerIds).toEqual([ids[0], ids[1], ids[2]]);
  });

  it('answers old ids as GONE and tells groups subscribers the new grouping', async () => {
    const [oldA] = groupIds() as [string];
    const socket = await open(1);
    await socket.subscribe('groups:1');
    const groupsEvent = socket.nextEvent('groups');
    const [newA] = sim.control.regroup('1+3,2') as [string];
    const [, body] = await groupsEvent;
    const groups = body['groups'] as { id: string; playerIds: string[] }[];
    expect(groups.map((g) => g.id)).toContain(newA);
    expect(groups.map((g) => g.id)).not.toContain(oldA);
    expect(groups.find((g) => g.id === newA)?.playerIds).toEqual([ids[0], ids[2]]);

    const [header, reply] = await socket.request('groupVolume:1', 'getVolume', { groupId: oldA });
    expect(header).toMatchObject({ success: false, type: 'groupCoordinatorChanged', groupId: oldA });
    expect(reply).toEqual({ _objectType: 'groupCoordinatorChanged', groupStatus: 'GROUP_STATUS_GONE' });
    const [ok] = await socket.request('groupVolume:1', 'getVolume', { groupId: newA });
    expect(ok['success']).toBe(true);
  });

  it('drops subscriptions to gone groups, telling the subscriber with a groupCoordinatorChanged event', async () => {
    const [oldA] = groupIds() as [string];
    const socket = await open(1);
    await socket.subscribe('groupVolume:1', { groupId: oldA });
    const notice = socket.nextEvent('groupCoordinatorChanged');
    const [newA] = sim.control.regroup('1,2') as [string];
    const [header, body] = await notice;
    expect(header).toEqual({
      namespace: 'groupVolume:1',
      householdId: sim.householdId,
      locationId: sim.locationId,
      groupId: oldA,
      name: 'groupCoordinatorChanged',
      type: 'groupCoordinatorChanged',
    });
    expect(body['groupStatus']).toBe('GROUP_STATUS_GONE');
    const before = socket.events('groupVolume').length;
    sim.control.setGroupVolume(newA, 77);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(socket.events('groupVolume')).toHaveLength(before);
  });

  it('regroups with setGroupMembers on the coordinator’s socket', async () => {
    const [oldA, oldB] = groupIds() as [string, string];
    const socket = await open(1);
    const [header, body] = await socket.request('groups:1', 'setGroupMembers', {
      groupId: oldA,
      body: { playerIds: [ids[0], ids[2], ids[3]] },
    });
    expect(header).toMatchObject({ namespace: 'groups:1', success: true, type: 'groupInfo', groupId: oldA });
    const group = body['group'] as { id: string; coordinatorId: string; playerIds: string[] };
    expect(group.coordinatorId).toBe(ids[0]);
    expect(group.playerIds).toEqual([ids[0], ids[2], ids[3]]);
    expect(group.id).not.toBe(oldA);
    const state = sim.state();
    expect(state.groups.map((g) => g.playerIds)).toEqual([[ids[0], ids[2], ids[3]], [ids[1]]]);
    expect(groupIds()).not.toContain(oldB);
    const [gone] = await socket.request('playback:1', 'getPlaybackStatus', { groupId: oldA });
    expect(gone['type']).toBe('groupCoordinatorChanged');
  });

  it('adds and removes with modifyGroupMembers, and rejects unknown players', async () => {
    const [oldA] = groupIds() as [string];
    const socket = await open(1);
    const [, body] = await socket.request('groups:1', 'modifyGroupMembers', {
      groupId: oldA,
      body: { playerIdsToAdd: [ids[3]], playerIdsToRemove: [ids[1], 'RINCON_000000000000001400'] },
    });
    const group = body['group'] as { id: string; playerIds: string[] };
    expect(group.playerIds).toEqual([ids[0], ids[3]]);
    const [header, error] = await socket.request('groups:1', 'modifyGroupMembers', {
      groupId: group.id,
      body: { playerIdsToAdd: ['RINCON_FFFFFFFFFFFF01400'], playerIdsToRemove: [] },
    });
    expect(header).toMatchObject({ namespace: 'global', success: false });
    expect(error).toMatchObject({ errorCode: 'ERROR_INVALID_PARAMETER', reason: 'RINCON_FFFFFFFFFFFF01400' });
    // OpenAPI: both lists are required, either may be empty.
    const [, missing] = await socket.request('groups:1', 'modifyGroupMembers', {
      groupId: group.id,
      body: { playerIdsToAdd: [ids[2]] },
    });
    expect(missing).toMatchObject({
      errorCode: 'ERROR_MISSING_PARAMETERS',
      reason: 'Missing required value:[1].playerIdsToRemove',
    });
  });
});

describe('moving the coordinator', () => {
  it('gives the group a new id under the new coordinator; the old coordinator answers MOVED', async () => {
    const [oldA] = groupIds() as [string];
    const before = sim.state().groups[0];
    const newA = sim.control.moveCoordinator(oldA, 2);
    expect(newA).toMatch(new RegExp(`^${ids[1]}:\\d+$`));
    const after = sim.state().groups.find((g) => g.id === newA);
    expect(after?.playerIds).toEqual([ids[1], ids[0]]);
    expect(after?.track).toEqual(before?.track);
    expect(after?.playbackState).toBe(before?.playbackState);

    const oldCoordinator = await open(1);
    for (const groupId of [oldA, newA]) {
      const [header, body] = await oldCoordinator.request('playback:1', 'pause', { groupId });
      expect(header).toMatchObject({ success: false, type: 'groupCoordinatorChanged' });
      expect(body).toEqual({
        _objectType: 'groupCoordinatorChanged',
        groupStatus: 'GROUP_STATUS_MOVED',
        groupName: 'Kitchen + 1',
        websocketUrl: sim.players[1]?.wss,
        playerId: ids[1],
      });
    }
    const newCoordinator = await open(2);
    const [ok] = await newCoordinator.request('playback:1', 'pause', { groupId: newA });
    expect(ok['success']).toBe(true);
  });

  it('tells subscribers of the old id that the group moved', async () => {
    const [oldA] = groupIds() as [string];
    const socket = await open(1);
    await socket.subscribe('playback:1', { groupId: oldA });
    const notice = socket.nextEvent('groupCoordinatorChanged');
    const newA = sim.control.moveCoordinator(oldA, ids[1] ?? '');
    const [, body] = await notice;
    expect(body).toMatchObject({
      groupStatus: 'GROUP_STATUS_MOVED',
      playerId: ids[1],
      websocketUrl: sim.players[1]?.wss,
    });
    expect(groupIds()).toContain(newA);
  });
});
