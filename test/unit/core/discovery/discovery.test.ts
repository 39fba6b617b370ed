import { afterEach, describe, expect, it, vi } from 'vitest';
import { Discovery, type FoundPlayer } from '../../../../main/core/discovery/discovery';
import type { Candidate, DiscoverySource } from '../../../../main/core/discovery/source';
import { AppError } from '../../../../main/core/errors';
import { silentLogger } from '../../../../main/core/logger';
import type { PlayerInfo } from '../../../../main/core/sonos/local/player-info';
import { memoryPinStore, TlsTrust } from '../../../../main/core/sonos/local/tls-trust';

const LAN = { en0: [{ address: '192.168.1.10', family: 'IPv4', internal: false }] } as never;

function info(playerId: string, host: string): PlayerInfo {
  return {
    playerId,
    householdId: 'HH',
    name: playerId,
    model: null,
    softwareVersion: null,
    host,
    websocketUrl: `wss://${host}/websocket/api`,
    fingerprint: 'AA',
  };
}

function fakeSource(name: 'mdns' | 'ssdp'): DiscoverySource & { emit(host: string): void; scans: number } {
  let found: ((c: Candidate) => void) | null = null;
  return {
    name,
    scans: 0,
    start(_i, cb) {
      found = cb;
    },
    scan() {
      this.scans += 1;
    },
    stop() {},
    emit(host: string) {
      found?.({ host, source: name });
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('Discovery', () => {
  it('merges what several sources find by player id', async () => {
    const mdns = fakeSource('mdns');
    const ssdp = fakeSource('ssdp');
    const players: Record<string, string> = { '10.0.0.2:1443': 'RINCON_1', '10.0.0.3:1443': 'RINCON_2' };
    const fetchInfo = vi.fn(async (host: string) => info(players[host]!, host));
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: silentLogger,
      sources: [mdns, ssdp],
      fetchInfo,
      networkInterfaces: () => LAN,
      networkPollMs: 0,
    });
    const seen: FoundPlayer[] = [];
    discovery.on('player', (p) => seen.push(p));
    discovery.start();
    mdns.emit('10.0.0.2:1443');
    ssdp.emit('10.0.0.2:1443');
    ssdp.emit('10.0.0.3:1443');
    await vi.waitFor(() => expect(discovery.players()).toHaveLength(2));
    await discovery.probe('10.0.0.2:1443');
    const first = discovery.players().find((p) => p.playerId === 'RINCON_1')!;
    expect(first.foundBy.sort()).toEqual(['manual', 'mdns', 'ssdp']);
    // The same address announced twice is asked once (cooldown), unless someone forces it.
    expect(fetchInfo.mock.calls.filter(([host]) => host === '10.0.0.3:1443')).toHaveLength(1);
    discovery.stop();
  });

  it('reports why a typed address has no player, and recovers when it does', async () => {
    let up = false;
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: silentLogger,
      manualHosts: ['10.0.0.9'],
      fetchInfo: async (host) => {
        if (!up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return info('RINCON_9', host);
      },
      networkInterfaces: () => LAN,
      networkPollMs: 0,
    });
    discovery.start();
    await vi.waitFor(() => expect(discovery.manualHosts()[0]?.error).toBeInstanceOf(AppError));
    expect(discovery.manualHosts()[0]!.error!.message).toMatch(/refused/);
    await expect(discovery.probe('10.0.0.9')).rejects.toThrow(/refused/);
    up = true;
    await expect(discovery.probe('10.0.0.9')).resolves.toMatchObject({
      playerId: 'RINCON_9',
      foundBy: ['manual'],
    });
    expect(discovery.manualHosts()[0]).toMatchObject({ playerId: 'RINCON_9', error: null });
    discovery.stop();
  });

  it('backs off while nothing answers, and rescans when the network changes', async () => {
    vi.useFakeTimers();
    const mdns = fakeSource('mdns');
    let lan: unknown = LAN;
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: silentLogger,
      sources: [mdns],
      fetchInfo: async () => {
        throw new Error('nobody');
      },
      networkInterfaces: () => lan as never,
      initialScanIntervalMs: 1_000,
      maxScanIntervalMs: 8_000,
      networkPollMs: 60_000,
    });
    discovery.start();
    expect(mdns.scans).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000); // 1 s
    await vi.advanceTimersByTimeAsync(2_000); // then 2 s
    await vi.advanceTimersByTimeAsync(4_000); // then 4 s
    expect(mdns.scans).toBe(4);
    await vi.advanceTimersByTimeAsync(7_999); // capped at 8 s
    expect(mdns.scans).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(mdns.scans).toBe(5);
    lan = { en0: [{ address: '192.168.7.10', family: 'IPv4', internal: false }] };
    await vi.advanceTimersByTimeAsync(60_000 - 8_000);
    expect(mdns.scans).toBeGreaterThanOrEqual(6);
    discovery.stop();
  });
});

describe('Discovery interfaces', () => {
  it('leaves VPN and virtual interfaces out when the user says so, restarting the search', () => {
    const started: string[][] = [];
    const source: DiscoverySource = {
      name: 'mdns',
      start: (interfaces) => void started.push(interfaces.map((i) => i.name)),
      scan() {},
      stop() {},
    };
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: silentLogger,
      sources: [source],
      fetchInfo: async () => {
        throw new Error('nobody');
      },
      networkInterfaces: () =>
        ({
          en0: [{ address: '192.168.1.10', family: 'IPv4', internal: false }],
          utun2: [{ address: '10.8.0.2', family: 'IPv4', internal: false }],
        }) as never,
      networkPollMs: 0,
    });
    discovery.start();
    discovery.setSkipVirtualInterfaces(true);
    discovery.setSkipVirtualInterfaces(true);
    discovery.setSkipVirtualInterfaces(false);
    expect(started).toEqual([['en0', 'utun2'], ['en0'], ['en0', 'utun2']]);
    discovery.stop();
  });
});
