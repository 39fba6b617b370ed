import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type ReceivedCommand, type Simulator } from '../../simulator';
import { TestSocket } from './ws-test-client';

let sim: Simulator | undefined;
let sockets: TestSocket[] = [];
afterEach(async () => {
  sockets.forEach((s) => s.close());
  sockets = [];
  await sim?.stop();
  sim = undefined;
});

async function setup(
  options: Parameters<typeof startSimulator>[0],
): Promise<{ sim: Simulator; socket: TestSocket }> {
  sim = await startSimulator({ seed: 5, players: 2, ...options });
  const socket = await TestSocket.open(sim, 1);
  sockets.push(socket);
  return { sim, socket };
}

/** Times when replies with these cmdIds reached the client. */
function arrivals(socket: TestSocket, cmdIds: string[]): Promise<number[]> {
  return Promise.all(
    cmdIds.map((id) => socket.waitFor((f) => f[0]['cmdId'] === id, id, 5000).then(() => performance.now())),
  );
}

describe('held-back commands', () => {
  // The simulator runs in this process, so client and player share one clock: an ack can never arrive earlier than
  // the hold-back allows, measured from the moment the commands were sent.
  it('holds a second command on the same target until holdBackMs after the first, then acks it', async () => {
    const { sim, socket } = await setup({ holdBackMs: 150, applyDelayMs: 0 });
    const group = sim.state().groups[0]?.id ?? '';
    const received: ReceivedCommand[] = [];
    sim.onCommand((c) => received.push(c));
    const replies = arrivals(socket, ['h1', 'h2', 'h3']);
    const sent = performance.now();
    for (const [cmdId, volume] of [
      ['h1', 20],
      ['h2', 30],
      ['h3', 40],
    ] as const) {
      socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, cmdId, body: { volume } });
    }
    const [t1, t2, t3] = (await replies) as [number, number, number];
    // All three reached the player at once; the player spaced the acks out.
    expect(received.map((c) => c.command)).toEqual(['setVolume', 'setVolume', 'setVolume']);
    expect((received[2]?.receivedAt ?? 0) - (received[0]?.receivedAt ?? 0)).toBeLessThan(100);
    expect(received[0]?.receivedAt).toBeGreaterThanOrEqual(sent);
    expect(t1 - sent).toBeLessThan(150);
    expect(t2 - sent).toBeGreaterThanOrEqual(150);
    expect(t3 - sent).toBeGreaterThanOrEqual(300);
    expect(sim.state().groups[0]?.volume).toBe(40);
  });

  it('does not hold back commands to a different target, nor reads with nothing pending', async () => {
    const { sim, socket } = await setup({ holdBackMs: 1000, applyDelayMs: 0 });
    const group = sim.state().groups[0]?.id ?? '';
    const player = sim.players[0]?.id ?? '';
    const started = performance.now();
    const replies = arrivals(socket, ['a', 'b', 'c']);
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, cmdId: 'a', body: { volume: 20 } });
    socket.sendFrame('playerVolume:1', 'setVolume', { playerId: player, cmdId: 'b', body: { volume: 25 } });
    socket.sendFrame('playback:1', 'getPlaybackStatus', { groupId: group, cmdId: 'c' });
    const times = await replies;
    for (const t of times) expect(t - started).toBeLessThan(800);
  });

  it('keeps replies in order: a read behind a held-back command waits for it', async () => {
    const { sim, socket } = await setup({ holdBackMs: 120, applyDelayMs: 0 });
    const group = sim.state().groups[0]?.id ?? '';
    const replies = arrivals(socket, ['w1', 'w2', 'r']);
    const sent = performance.now();
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, cmdId: 'w1', body: { volume: 11 } });
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, cmdId: 'w2', body: { volume: 12 } });
    socket.sendFrame('groupVolume:1', 'getVolume', { groupId: group, cmdId: 'r' });
    const [, t2, t3] = (await replies) as [number, number, number];
    expect(t3).toBeGreaterThanOrEqual(t2);
    expect(t3 - sent).toBeGreaterThanOrEqual(120);
    const read = socket.frames.find((f) => f[0]['cmdId'] === 'r');
    expect(read?.[1]['volume']).toBe(12);
  });
});

describe('apply delay', () => {
  it('acks first and applies the volume applyDelayMs later, then sends the event', async () => {
    const { sim, socket } = await setup({ holdBackMs: 0, applyDelayMs: 150 });
    const group = sim.state().groups[0]?.id ?? '';
    await socket.subscribe('groupVolume:1', { groupId: group });
    const target = (sim.state().groups[0]?.volume ?? 0) === 70 ? 71 : 70;
    const event = socket.nextEvent('groupVolume');
    const sent = performance.now();
    await socket.request('groupVolume:1', 'setVolume', { groupId: group, body: { volume: target } });
    expect(sim.state().groups[0]?.volume).not.toBe(target);
    await event;
    expect(performance.now() - sent).toBeGreaterThanOrEqual(150);
    expect(sim.state().groups[0]?.volume).toBe(target);
  });

  it('defaults to hardware-like timings: 260 ms hold-back and 21 ms apply delay', async () => {
    const { sim, socket } = await setup({});
    const group = sim.state().groups[0]?.id ?? '';
    await socket.subscribe('groupVolume:1', { groupId: group });
    const replies = arrivals(socket, ['d1', 'd2']);
    const firstEvent = socket.nextEvent('groupVolume');
    const sent = performance.now();
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, cmdId: 'd1', body: { volume: 21 } });
    socket.sendFrame('groupVolume:1', 'setVolume', { groupId: group, cmdId: 'd2', body: { volume: 22 } });
    await firstEvent;
    expect(performance.now() - sent).toBeGreaterThanOrEqual(21);
    const [, t2] = (await replies) as [number, number];
    expect(t2 - sent).toBeGreaterThanOrEqual(260);
  });
});

describe('latency', () => {
  it('delays every reply and event by latencyMs', async () => {
    const { sim, socket } = await setup({ holdBackMs: 0, applyDelayMs: 0, latencyMs: 80 });
    const started = performance.now();
    await socket.request('groups:1', 'getGroups');
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);
    const group = sim.state().groups[0]?.id ?? '';
    const subscribed = performance.now();
    await socket.subscribe('playback:1', { groupId: group });
    expect(performance.now() - subscribed).toBeGreaterThanOrEqual(80);
  });

  it('adds delayReplies(ms) on top, and eventDelayMs to events only', async () => {
    const { sim, socket } = await setup({ holdBackMs: 0, applyDelayMs: 0, eventDelayMs: 300 });
    const group = sim.state().groups[0]?.id ?? '';
    let started = performance.now();
    await socket.request('groups:1', 'getGroups');
    expect(performance.now() - started).toBeLessThan(250);
    started = performance.now();
    await socket.subscribe('playback:1', { groupId: group });
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);

    sim.control.delayReplies(300);
    started = performance.now();
    await socket.request('groups:1', 'getGroups');
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    sim.control.delayReplies(0);
    started = performance.now();
    await socket.request('groups:1', 'getGroups');
    expect(performance.now() - started).toBeLessThan(250);
  });
});
