import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller } from '../../../main/core/controller';
import { Discovery } from '../../../main/core/discovery/discovery';
import { silentLogger } from '../../../main/core/logger';
import { memoryPinStore, TlsTrust } from '../../../main/core/sonos/local/tls-trust';
import { createConfBackend } from '../../../main/core/store/conf-backend';
import { DataStore } from '../../../main/core/store/data-store';
import { loopbackLookup } from '../../support/loopback-lookup';
import { startSimulator, type Simulator } from '../../simulator';

const sims: Simulator[] = [];
const stops: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

describe('discovery and households against the simulator', () => {
  it('finds every simulator player given as manual hosts, merged by player id', async () => {
    const sim = await startSimulator({ players: 3, holdBackMs: 0, applyDelayMs: 0 });
    sims.push(sim);
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: silentLogger,
      manualHosts: [
        ...sim.players.map((p) => p.host),
        sim.players[0]!.host.replace('127.0.0.1', 'localhost'),
      ],
      networkPollMs: 0,
    });
    stops.push(() => discovery.stop());
    discovery.start();
    await vi.waitFor(() => expect(discovery.players()).toHaveLength(3));
    for (const p of sim.players) {
      expect(discovery.players().find((f) => f.playerId === p.id)).toMatchObject({
        householdId: sim.householdId,
        fingerprint: p.fingerprint256,
        foundBy: ['manual'],
      });
    }
  });

  it('controls two households at once', async () => {
    const [home, cabin] = await Promise.all([
      startSimulator({ players: 2, groups: '1+2', holdBackMs: 0, applyDelayMs: 0, seed: 1 }),
      startSimulator({ players: 1, holdBackMs: 0, applyDelayMs: 0, seed: 2 }),
    ]);
    sims.push(home!, cabin!);
    const controller = new Controller({
      store: new DataStore(createConfBackend(mkdtempSync(join(tmpdir(), 'tfs-hh-')))),
      logger: silentLogger,
      hostsOnly: [home!.players[0]!.host, cabin!.players[0]!.host],
      discovery: { networkPollMs: 0 },
    });
    stops.push(() => controller.stop());
    controller.start();
    const snapshot = await controller.whenComplete(5_000);
    expect(Object.keys(snapshot.households).sort()).toEqual([home!.householdId, cabin!.householdId].sort());
    expect(Object.keys(snapshot.groups)).toHaveLength(2);
    const cabinGroup = Object.values(snapshot.groups).find((g) => g.householdId === cabin!.householdId)!;
    const homeGroup = Object.values(snapshot.groups).find((g) => g.householdId === home!.householdId)!;
    await controller.setGroupVolume(cabinGroup.id, 31);
    await controller.setGroupVolume(homeGroup.id, 19);
    expect(cabin!.state().groups[0]!.volume).toBe(31);
    expect(home!.state().groups[0]!.volume).toBe(19);
  });

  it('an international host name the user typed (Küche.local) is resolved in its ASCII form and connected', async () => {
    const sim = await startSimulator({ players: 1, holdBackMs: 0, applyDelayMs: 0, seed: 3 });
    sims.push(sim);
    const port = sim.players[0]!.host.split(':')[1];
    // What mDNS would answer for the name: only the ASCII (punycode) form is known to the resolver.
    const lookup = loopbackLookup({ 'xn--kche-0ra.local': '127.0.0.1' });
    const controller = new Controller({
      store: new DataStore(createConfBackend(mkdtempSync(join(tmpdir(), 'tfs-idn-')))),
      logger: silentLogger,
      hostsOnly: [`Küche.local:${port}`],
      discovery: { networkPollMs: 0, lookup },
      connection: { lookup },
    });
    stops.push(() => controller.stop());
    controller.start();
    const snapshot = await controller.whenComplete(5_000);
    expect(Object.values(snapshot.players).map((p) => p.connection)).toEqual(['connected']);
    expect(controller.discovery.players()[0]?.host).toBe(`xn--kche-0ra.local:${port}`);
  });
});
