import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { sleep, startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let socket: TestSocket;
let group: string;
let p1: string;
let p2: string;

beforeAll(async () => {
  sim = await startFastSimulator({ players: 3, groups: '1+2' });
  socket = await TestSocket.open(sim, 1);
  group = sim.state().groups[0]?.id ?? '';
  [p1, p2] = sim.players.map((p) => p.id) as [string, string];
});
afterAll(async () => {
  socket.close();
  await sim.stop();
});
beforeEach(() => {
  sim.control.setMute(group, false);
});

const players = () =>
  sim
    .state()
    .players.slice(0, 2)
    .map((p) => ({ volume: p.volume, muted: p.muted }));
const groupState = () => sim.state().groups[0];

async function setGroup(volume: number): Promise<void> {
  const [header] = await socket.request('groupVolume:1', 'setVolume', { groupId: group, body: { volume } });
  expect(header['success']).toBe(true);
}

describe('group volume', () => {
  it('is the rounded mean of the members', async () => {
    sim.control.setPlayerVolume(1, 10);
    sim.control.setPlayerVolume(2, 31);
    const [, body] = await socket.request('groupVolume:1', 'getVolume', { groupId: group });
    expect(body).toEqual({ _objectType: 'groupVolume', volume: 21, muted: false, fixed: false });
  });

  it('scales members proportionally, keeping their balance, and reports exactly the value set', async () => {
    sim.control.setPlayerVolume(1, 20);
    sim.control.setPlayerVolume(2, 40);
    await setGroup(40);
    expect(players().map((p) => p.volume)).toEqual([27, 53]);
    const [, body] = await socket.request('groupVolume:1', 'getVolume', { groupId: group });
    expect(body['volume']).toBe(40);
  });

  it('clamps members at 100 and sets everyone to the value when all were silent', async () => {
    sim.control.setPlayerVolume(1, 10);
    sim.control.setPlayerVolume(2, 90);
    await setGroup(80);
    expect(players().map((p) => p.volume)).toEqual([16, 100]);
    sim.control.setPlayerVolume(1, 0);
    sim.control.setPlayerVolume(2, 0);
    await setGroup(30);
    expect(players().map((p) => p.volume)).toEqual([30, 30]);
  });

  it('changes relatively from the group volume, clamped to 0..100', async () => {
    sim.control.setPlayerVolume(1, 20);
    sim.control.setPlayerVolume(2, 40);
    await socket.request('groupVolume:1', 'setRelativeVolume', { groupId: group, body: { volumeDelta: 15 } });
    expect(groupState()?.volume).toBe(45);
    expect(players().map((p) => p.volume)).toEqual([30, 60]);
    await socket.request('groupVolume:1', 'setRelativeVolume', {
      groupId: group,
      body: { volumeDelta: -100 },
    });
    expect(groupState()?.volume).toBe(0);
    expect(players().map((p) => p.volume)).toEqual([0, 0]);
  });

  it('forgets the set value once a member’s own volume changes', async () => {
    sim.control.setPlayerVolume(1, 20);
    sim.control.setPlayerVolume(2, 40);
    await setGroup(41);
    expect(groupState()?.volume).toBe(41);
    const watcher = await TestSocket.open(sim, 1);
    await watcher.subscribe('groupVolume:1', { groupId: group });
    const event = watcher.nextEvent('groupVolume');
    const own = await TestSocket.open(sim, 2);
    await own.request('playerVolume:1', 'setVolume', { playerId: p2, body: { volume: 80 } });
    expect((await event)[1]).toMatchObject({ volume: Math.round((27 + 80) / 2) });
    watcher.close();
    own.close();
  });
});

describe('mute', () => {
  it('mutes every member with the group and unmutes them all when the group volume is set', async () => {
    const watcher = await TestSocket.open(sim, 2);
    await watcher.subscribe('playerVolume:1', { playerId: p2 });
    const muted = watcher.nextEvent('playerVolume');
    await socket.request('groupVolume:1', 'setMute', { groupId: group, body: { muted: true } });
    expect(players().every((p) => p.muted)).toBe(true);
    expect(groupState()?.muted).toBe(true);
    expect((await muted)[1]).toMatchObject({ muted: true });

    const unmuted = watcher.nextEvent('playerVolume');
    await setGroup(25);
    expect(players().every((p) => !p.muted)).toBe(true);
    expect(groupState()).toMatchObject({ muted: false, volume: 25 });
    expect((await unmuted)[1]).toMatchObject({ muted: false });
    watcher.close();
  });

  it('unmutes a player when its volume is set, and the group is muted only when every member is', async () => {
    const own = await TestSocket.open(sim, 2);
    sim.control.setMute(group, true);
    await own.request('playerVolume:1', 'setVolume', { playerId: p2, body: { volume: 22 } });
    expect(players()).toEqual([
      { volume: expect.any(Number), muted: true },
      { volume: 22, muted: false },
    ]);
    expect(groupState()?.muted).toBe(false);
    await own.request('playerVolume:1', 'setMute', { playerId: p2, body: { muted: true } });
    expect(groupState()?.muted).toBe(true);
    await own.request('playerVolume:1', 'setRelativeVolume', { playerId: p2, body: { volumeDelta: 3 } });
    expect(players()[1]).toEqual({ volume: 25, muted: false });
    own.close();
  });
});

describe('volume events', () => {
  it('fire only for what changed', async () => {
    sim.control.setPlayerVolume(1, 30);
    sim.control.setPlayerVolume(2, 30);
    const watcher = await TestSocket.open(sim, 1);
    await watcher.subscribe('groupVolume:1', { groupId: group });
    await watcher.subscribe('playerVolume:1', { playerId: p1 });
    const before = watcher.events().length;
    await watcher.request('playerVolume:1', 'setVolume', { playerId: p1, body: { volume: 30 } });
    await sleep(30);
    expect(watcher.events()).toHaveLength(before);
    await watcher.request('playerVolume:1', 'setVolume', { playerId: p1, body: { volume: 50 } });
    await watcher.nextEvent('groupVolume', 0);
    await sleep(30);
    expect(
      watcher
        .events()
        .slice(before)
        .map((f) => [f[0]['type'], f[1]['volume']]),
    ).toEqual([
      ['groupVolume', 40],
      ['playerVolume', 50],
    ]);
    watcher.close();
  });
});
