/**
 * The fault matrix: each fault against the simulator, with a user intent made while it lasts. Each must recover
 * without a restart, and the last volume the user set must land once the player is back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simGroupOf, simPlayer, startHarness, type Harness } from '../../support/core-harness';
import { loopbackLookup } from '../../support/loopback-lookup';

let harness: Harness | null = null;
afterEach(async () => {
  vi.useRealTimers();
  await harness?.stop();
  harness = null;
});

/** The intent may fail now (the player is away); what matters is where it ends up. */
const attempt = (promise: Promise<unknown>): void => void promise.catch(() => {});

async function healthy(h: Harness): Promise<void> {
  // Recovered without a restart: the household matches the simulator again, and a fresh command lands.
  await vi.waitFor(
    () => {
      const snapshot = h.controller.snapshot();
      for (const p of h.sim.state().players) expect(snapshot.players[p.id]?.connection).toBe('connected');
      expect(Object.keys(snapshot.groups).sort()).toEqual(
        h.sim
          .state()
          .groups.map((g) => g.id)
          .sort(),
      );
    },
    { timeout: 10_000 },
  );
  const group = Object.values(h.controller.snapshot().groups)[0]!;
  await h.controller.setGroupMute(group.id, true);
  expect(simGroupOf(h.sim, group.coordinatorId).muted).toBe(true);
}

describe('fault matrix (local)', () => {
  it('player socket drop: the volume set meanwhile lands', async () => {
    harness = await startHarness({ players: 2, groups: '1,2' });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const [, b] = sim.players;
    sim.control.dropSockets(b!.id);
    attempt(controller.setPlayerVolume(b!.id, 71));
    await vi.waitFor(() => expect(simPlayer(sim, b!.id).volume).toBe(71), { timeout: 5_000 });
    await healthy(harness);
  });

  it('player reboot: new socket, no subscriptions — resubscribed, and the intent lands', async () => {
    harness = await startHarness({ players: 2, groups: '1+2' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const [a] = sim.players;
    const group = Object.values(snapshot.groups)[0]!;
    const rebooting = sim.control.reboot(a!.id, 400);
    attempt(controller.setGroupVolume(group.id, 33));
    await rebooting;
    await vi.waitFor(() => expect(simGroupOf(sim, a!.id).volume).toBe(33), { timeout: 5_000 });
    // Subscriptions are back: another controller's change shows.
    sim.control.setGroupVolume(simGroupOf(sim, a!.id).id, 12);
    await vi.waitFor(() => expect(controller.snapshot().groups[simGroupOf(sim, a!.id).id]?.volume).toBe(12));
    await healthy(harness);
  });

  it('coordinator move: re-routed once, lands on the group under its new id', async () => {
    harness = await startHarness({ players: 3, groups: '1+2+3' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const group = Object.values(snapshot.groups)[0]!;
    const newId = sim.control.moveCoordinator(group.id, sim.players[2]!.id);
    await controller.setGroupVolume(group.id, 64);
    expect(sim.state().groups.find((g) => g.id === newId)!.volume).toBe(64);
    await healthy(harness);
  });

  it('regroup: the intent for the old id follows the group that kept its coordinator', async () => {
    harness = await startHarness({ players: 3, groups: '1+2,3' });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const pair = Object.values(snapshot.groups).find((g) => g.playerIds.length === 2)!;
    sim.control.regroup('1+2+3');
    await controller.setGroupVolume(pair.id, 27);
    await vi.waitFor(() => expect(simGroupOf(sim, pair.coordinatorId).volume).toBe(27));
    await healthy(harness);
  });

  it('regroup mid-drag: one lane per coordinator, so the last value set lands', async () => {
    harness = await startHarness({ players: 3, groups: '1+2,3', latencyMs: 120 });
    const { sim, controller } = harness;
    const snapshot = await controller.whenComplete(5_000);
    const pair = Object.values(snapshot.groups).find((g) => g.playerIds.length === 2)!;
    attempt(controller.setGroupVolume(pair.id, 10));
    attempt(controller.setGroupVolume(pair.id, 20));
    const [newId] = sim.control.regroup('1+2+3');
    await vi.waitFor(() => expect(controller.snapshot().groups[newId!]).toBeDefined(), { timeout: 5_000 });
    // Still addressed by the old id, as a popover that has not redrawn yet would.
    await controller.setGroupVolume(pair.id, 30);
    await vi.waitFor(() => expect(controller.snapshot().groups[newId!]?.volume).toBe(30));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(simGroupOf(sim, pair.coordinatorId).volume).toBe(30);
    expect(controller.stats().maxInFlight).toBe(1);
    await healthy(harness);
  });

  it('player offline for 30 s (fake clock): backs off, and the last volume lands when it returns', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    harness = await startHarness(
      { players: 2, groups: '1,2' },
      { connection: { backoffInitialMs: 500, backoffMaxMs: 8_000, commandTimeoutMs: 3_000 } },
    );
    const { sim, controller } = harness;
    const settle = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 250) {
        await vi.advanceTimersByTimeAsync(250);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const complete = controller.whenComplete(10_000);
    await settle(2_000);
    await complete;
    const [, b] = sim.players;
    await sim.control.takeOffline(b!.id);
    await settle(1_000);
    attempt(controller.setPlayerVolume(b!.id, 40));
    attempt(controller.setPlayerVolume(b!.id, 41));
    await settle(30_000);
    expect(controller.snapshot().players[b!.id]).toMatchObject({ connection: 'offline', volume: 41 });
    await sim.control.bringOnline(b!.id);
    await settle(10_000);
    expect(simPlayer(sim, b!.id).volume).toBe(41);
    vi.useRealTimers();
    await healthy(harness);
  });

  it('TLS certificate changed: refused, then trusted again without a restart', async () => {
    harness = await startHarness({ players: 1 });
    const { sim, controller } = harness;
    await controller.whenComplete(5_000);
    const [a] = sim.players;
    const { fingerprint256 } = await sim.control.rotateCertificate(a!.id);
    await vi.waitFor(() => expect(controller.snapshot().players[a!.id]!.connection).toBe('untrusted'));
    const group = Object.values(controller.snapshot().groups)[0]!;
    await expect(controller.setGroupVolume(group.id, 5)).rejects.toMatchObject({
      code: 'untrusted-certificate',
    });
    controller.trustCertificate(a!.id, fingerprint256);
    await controller.setGroupVolume(group.id, 6);
    expect(simGroupOf(sim, a!.id).volume).toBe(6);
    await healthy(harness);
  });

  it('DNS failure and refused connections for typed hosts: clear errors, found once reachable', async () => {
    // Name resolution without a DNS server: "kitchen.lan" is unknown until the test maps it to the simulator.
    const lookup = loopbackLookup();
    harness = await startHarness(
      { players: 1 },
      { hostsOnly: ['127.0.0.1:9'], discovery: { networkPollMs: 0, lookup }, connection: { lookup } },
    );
    const { sim, controller } = harness;
    const port = sim.players[0]!.port;
    await vi.waitFor(() => expect(controller.discovery.manualHosts()[0]?.error?.message).toMatch(/refused/));
    await expect(controller.discovery.probe(`kitchen.lan:${port}`)).rejects.toMatchObject({
      code: 'unreachable',
      message: 'That speaker address could not be found.',
    });
    lookup.names['kitchen.lan'] = '127.0.0.1';
    await expect(controller.discovery.probe(`kitchen.lan:${port}`)).resolves.toMatchObject({
      playerId: sim.players[0]!.id,
    });
    await vi.waitFor(() => expect(Object.keys(controller.snapshot().players)).toEqual([sim.players[0]!.id]));
    await healthy(harness);
  });
});
