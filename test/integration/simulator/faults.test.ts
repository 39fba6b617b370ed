import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator';
import { eventually, sleep, startFastSimulator, TestSocket } from './ws-test-client';

let sim: Simulator;
let sockets: TestSocket[] = [];
beforeEach(async () => {
  sim = await startFastSimulator({ players: 2, rebootMs: 150 });
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

/** Resolves true when a TCP connection to the port is accepted, false when refused. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const port = (n: number) => sim.players[n - 1]?.port ?? 0;

describe('connection faults', () => {
  it('dropSockets cuts the player’s sockets without a close frame; a new socket starts with no subscriptions', async () => {
    const socket = await open(1);
    const group = sim.state().groups[0]?.id ?? '';
    await socket.subscribe('groupVolume:1', { groupId: group });
    sim.control.dropSockets(1);
    expect(await socket.closed).toBe(1006);
    const again = await open(1);
    sim.control.setGroupVolume(group, 66);
    await sleep(30);
    expect(again.frames).toHaveLength(0);
    expect(await accepts(port(1))).toBe(true);
  });

  it('takeOffline refuses connections until bringOnline, on the same port', async () => {
    const socket = await open(1);
    const before = port(1);
    await sim.control.takeOffline(1);
    expect(await socket.closed).toBe(1006);
    expect(await accepts(before)).toBe(false);
    expect(sim.state().players[0]?.online).toBe(false);
    await expect(TestSocket.open(sim, 1)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The other player is unaffected.
    expect(await accepts(port(2))).toBe(true);
    await sim.control.bringOnline(1);
    expect(sim.state().players[0]).toMatchObject({ online: true, port: before });
    const back = await open(1);
    const [header] = await back.request('groups:1', 'getGroups');
    expect(header['success']).toBe(true);
  });

  it('reboot drops sockets, refuses for a while, and comes back on the same port', async () => {
    const socket = await open(2);
    const rebooted = sim.control.reboot(2);
    expect(await socket.closed).toBe(1006);
    expect(await accepts(port(2))).toBe(false);
    const started = performance.now();
    await rebooted;
    expect(performance.now() - started).toBeGreaterThan(80);
    expect(await accepts(port(2))).toBe(true);
    const back = await open(2);
    expect((await back.request('groups:1', 'getGroups'))[0]['success']).toBe(true);
  });

  it('rotateCertificate serves a new certificate from the same CA on the same port', async () => {
    const socket = await open(1);
    const before = sim.players[0]?.fingerprint256;
    const { fingerprint256 } = await sim.control.rotateCertificate(1);
    expect(fingerprint256).not.toBe(before);
    expect(sim.players[0]?.fingerprint256).toBe(fingerprint256);
    expect(await socket.closed).toBe(1006);
    const again = await open(1);
    expect(again.peerFingerprint256).toBe(fingerprint256);
    expect(socket.peerFingerprint256).toBe(before);
  });

  it('counts open sockets in the state', async () => {
    await open(1);
    await open(1);
    await eventually(() => (sim.state().players[0]?.openSockets === 2 ? true : undefined));
  });
});

describe('garbage frames', () => {
  it('sends each kind to every open socket of the player', async () => {
    const a = await open(1);
    const b = await open(1);
    const bystander = await open(2);
    const kinds = ['text', 'partial', 'oversized', 'binary', 'wrong-shape'] as const;
    for (const kind of kinds) expect(sim.control.sendGarbage(1, kind)).toBe(2);
    for (const socket of [a, b]) {
      await eventually(() => (socket.raw.length >= kinds.length ? true : undefined));
      const [text, partial, oversized, binary, wrongShape] = socket.raw;
      expect(typeof text).toBe('string');
      expect(() => JSON.parse(text as string)).toThrow();
      expect(typeof partial).toBe('string');
      expect(() => JSON.parse(partial as string)).toThrow();
      expect((partial as string).startsWith('[{"namespace":"groups:1"')).toBe(true);
      expect((oversized as string).length).toBeGreaterThan(2 * 1024 * 1024);
      expect(Array.isArray(JSON.parse(oversized as string))).toBe(true);
      expect(Buffer.isBuffer(binary)).toBe(true);
      const shape: unknown = JSON.parse(wrongShape as string);
      expect(Array.isArray(shape)).toBe(false);
      expect(typeof shape).toBe('object');
    }
    expect(bystander.raw).toHaveLength(0);
    // The sockets still work afterwards.
    expect((await a.request('groups:1', 'getGroups'))[0]['success']).toBe(true);
  });
});
