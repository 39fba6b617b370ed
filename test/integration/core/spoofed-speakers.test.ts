/**
 * 300 spoofed answers on the LAN once meant 300 pins and 300 ghost speakers saved for good and reconnected at every
 * start. Each "speaker" here answers on its own loopback address (127.0.1.N, where nothing listens), so every
 * reconnect fails at once and no traffic leaves this computer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller } from '../../../main/core/controller';
import type { Candidate, DiscoverySource } from '../../../main/core/discovery/source';
import { silentLogger } from '../../../main/core/logger';
import type { PlayerInfo } from '../../../main/core/sonos/local/player-info';
import type { TlsTrust } from '../../../main/core/sonos/local/tls-trust';
import { createConfBackend } from '../../../main/core/store/conf-backend';
import { DataStore, MAX_KNOWN_PLAYERS, MAX_PINS } from '../../../main/core/store/data-store';

const controllers: Controller[] = [];
/** The n-th ghost's own loopback address, and the id it claims. */
const ghost = (n: number): string => `127.1.${n >> 8}.${n & 255}`;
const idOf = (host: string): string => `RINCON_GHOST_${host.replace(/\W/g, '_')}`;
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.stop();
});

/** A controller whose only discovery source announces what the test says, as SSDP answers would. */
function start(dir: string): { controller: Controller; store: DataStore; announce: (host: string) => void } {
  let emit: (c: Candidate) => void = () => {};
  const source: DiscoverySource = {
    name: 'ssdp',
    start: (_interfaces, found) => void (emit = found),
    scan: () => {},
    stop: () => {},
  };
  const store = new DataStore(createConfBackend(dir));
  const controller = new Controller({
    store,
    logger: silentLogger,
    discoverySources: [source],
    discovery: { networkPollMs: 0 },
    connection: { backoffInitialMs: 60_000, backoffMaxMs: 60_000 },
    // What a spoofed speaker answers at /players/local/info, pinned like the real request does.
    fetchInfo: async (host: string, trust: TlsTrust): Promise<PlayerInfo> => {
      const playerId = idOf(host);
      const fingerprint = `AA:${playerId}`;
      trust.verifyFingerprint(playerId, fingerprint);
      return {
        playerId,
        householdId: 'Sonos_Ghosts.Household',
        name: playerId,
        model: null,
        softwareVersion: null,
        host,
        websocketUrl: `wss://${host}/websocket/api`,
        fingerprint,
      };
    },
  });
  controllers.push(controller);
  controller.start();
  // Each answer comes from the address it names, as a spoofed one would.
  const announce = (host: string): void => emit({ host: `${host}:9`, source: 'ssdp', sender: host });
  return { controller, store, announce };
}

describe('300 spoofed speakers', () => {
  it('leave at most 100 known players and 100 pins, and at most 100 reconnects at the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-ghosts-'));
    const { controller: first, store, announce } = start(dir);
    // In waves: a flood at once is already cut short by the probe queue (see the discovery tests).
    for (let wave = 0; wave < 6; wave++) {
      for (let k = 1; k <= 50; k++) announce(ghost(wave * 50 + k));
      await vi.waitFor(() => expect(first.discovery.players()).toHaveLength(Math.min(256, (wave + 1) * 50)));
    }
    expect(store.knownPlayers().size).toBe(MAX_KNOWN_PLAYERS);
    let pins = 0;
    for (let n = 1; n <= 300; n++) if (store.getPin(idOf(`${ghost(n)}:9`)) !== undefined) pins++;
    expect(pins).toBeLessThanOrEqual(MAX_PINS);
    first.stop();

    const { controller: next } = start(dir);
    const connecting = next.model.playerIds().filter((id) => next.network.hasPlayer(id));
    expect(connecting).toHaveLength(MAX_KNOWN_PLAYERS);
  });
});
