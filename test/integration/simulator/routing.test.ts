import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { sleep, startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let coordinator: TestSocket;
let member: TestSocket;
let groupA: string;

beforeAll(async () => {
  sim = await startFastSimulator({ players: 3, groups: '1+2,3' });
  coordinator = await TestSocket.open(sim, 1);
  member = await TestSocket.open(sim, 2);
  groupA = sim.state().groups[0]?.id ?? '';
});
afterAll(async () => {
  coordinator.close();
  member.close();
  await sim.stop();
});

describe('wrong target', () => {
  it('answers a group command at a member with groupCoordinatorChanged MOVED, naming the coordinator', async () => {
    const [header, body] = await member.request('groupVolume:1', 'setVolume', {
      groupId: groupA,
      body: { volume: 30 },
      cmdId: 'm1',
    });
    expect(header).toEqual({
      namespace: 'groupVolume:1',
      householdId: sim.householdId,
      locationId: sim.locationId,
      groupId: groupA,
      response: 'setVolume',
      success: false,
      type: 'groupCoordinatorChanged',
      cmdId: 'm1',
    });
    expect(body).toEqual({
      _objectType: 'groupCoordinatorChanged',
      groupStatus: 'GROUP_STATUS_MOVED',
      groupName: 'Living Room + 1',
      websocketUrl: sim.players[0]?.wss,
      playerId: sim.players[0]?.id,
    });
  });

  it('routes every group namespace, subscribe included, to the coordinator only', async () => {
    for (const [namespace, command] of [
      ['playback:1', 'play'],
      ['playback:1', 'subscribe'],
      ['playbackMetadata:1', 'getMetadataStatus'],
      ['groupVolume:1', 'getVolume'],
      ['groups:1', 'setGroupMembers'],
    ] as const) {
      const [header, body] = await member.request(namespace, command, {
        groupId: groupA,
        body: { playerIds: [] },
      });
      expect(header).toMatchObject({ success: false, type: 'groupCoordinatorChanged', response: command });
      expect(body['groupStatus']).toBe('GROUP_STATUS_MOVED');
    }
  });

  it('answers an unknown or stale group id with GROUP_STATUS_GONE', async () => {
    const [header, body] = await coordinator.request('groupVolume:1', 'getVolume', {
      groupId: `${sim.players[0]?.id}:1`,
    });
    expect(header).toMatchObject({ success: false, type: 'groupCoordinatorChanged' });
    expect(body).toEqual({ _objectType: 'groupCoordinatorChanged', groupStatus: 'GROUP_STATUS_GONE' });
  });

  it('answers player volume for another player with ERROR_INVALID_OBJECT_ID', async () => {
    const other = sim.players[0]?.id ?? '';
    const [header, body] = await member.request('playerVolume:1', 'setVolume', {
      playerId: other,
      body: { volume: 12 },
    });
    expect(header).toMatchObject({
      namespace: 'global',
      success: false,
      type: 'globalError',
      playerId: other,
    });
    expect(body).toMatchObject({ _objectType: 'globalError', errorCode: 'ERROR_INVALID_OBJECT_ID' });
    expect(sim.state().players[0]?.volume).not.toBe(12);
  });

  it('lets a member change its own player volume on its own socket', async () => {
    const id = sim.players[1]?.id ?? '';
    const [header] = await member.request('playerVolume:1', 'setVolume', {
      playerId: id,
      body: { volume: 33 },
    });
    expect(header).toMatchObject({ namespace: 'playerVolume:1', success: true, type: 'none', playerId: id });
    expect(sim.state().players[1]?.volume).toBe(33);
  });
});

describe('events', () => {
  it('reach every subscribed socket of the household, so a second client sees the first one’s change', async () => {
    const first = await TestSocket.open(sim, 1);
    const second = await TestSocket.open(sim, 1);
    const memberWatcher = await TestSocket.open(sim, 2);
    await first.subscribe('groupVolume:1', { groupId: groupA });
    await second.subscribe('groupVolume:1', { groupId: groupA });
    await memberWatcher.subscribe('playerVolume:1', { playerId: sim.players[1]?.id ?? '' });
    const target = (sim.state().groups[0]?.volume ?? 0) === 60 ? 61 : 60;

    const seenBySecond = second.nextEvent('groupVolume');
    const seenByMember = memberWatcher.nextEvent('playerVolume');
    await first.request('groupVolume:1', 'setVolume', { groupId: groupA, body: { volume: target } });
    const [header, body] = await seenBySecond;
    expect(header).toMatchObject({ namespace: 'groupVolume:1', groupId: groupA, name: 'groupVolume' });
    expect(body).toMatchObject({ _objectType: 'groupVolume', volume: target, muted: false, fixed: false });
    const [, playerBody] = await seenByMember;
    expect(playerBody).toMatchObject({ _objectType: 'playerVolume', volume: sim.state().players[1]?.volume });
    // The socket that sent the command is subscribed too and gets the event after its ack.
    await first.nextEvent('groupVolume', 0);
    const ackIndex = first.frames.findIndex((f) => f[0]['response'] === 'setVolume');
    const eventIndex = first.frames.findIndex((f, i) => i > 1 && f[0]['name'] === 'groupVolume');
    expect(ackIndex).toBeLessThan(eventIndex);
    for (const s of [first, second, memberWatcher]) s.close();
  });

  it('sends events for changes made by another controller (control API) and by the cloud path', async () => {
    const watcher = await TestSocket.open(sim, 1);
    await watcher.subscribe('playback:1', { groupId: groupA });
    const next = watcher.nextEvent('playbackStatus');
    sim.control.playback(groupA, 'pause');
    expect((await next)[1]['playbackState']).toBe('PLAYBACK_STATE_PAUSED');
    watcher.close();
  });

  it('does not send events to sockets that did not subscribe', async () => {
    const quiet = await TestSocket.open(sim, 1);
    sim.control.setGroupVolume(groupA, 44);
    sim.control.playback(groupA, 'play');
    await sleep(50);
    expect(quiet.frames).toHaveLength(0);
    quiet.close();
  });
});
