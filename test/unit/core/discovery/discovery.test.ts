import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Discovery,
  MAX_CONCURRENT_PROBES,
  MAX_FOUND,
  MAX_HOSTS_PER_SENDER,
  MAX_QUEUED_PROBES,
  MAX_REMEMBERED,
  type FoundPlayer,
} from '../../../../main/core/discovery/discovery';
import type { Candidate, DiscoverySource } from '../../../../main/core/discovery/source';
import { AppError } from '../../../../main/core/errors';
import { createLogger, silentLogger, type LogRecord } from '../../../../main/core/logger';
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

/** A source whose announcements come from `sender` (by default the address they name, as a speaker's do). */
function fakeSource(
  name: 'mdns' | 'ssdp',
): DiscoverySource & { emit(host: string, sender?: string | null): void; scans: number } {
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
    emit(host: string, sender: string | null = host.split(':')[0]!) {
      found?.({ host, source: name, ...(sender === null ? {} : { sender }) });
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

describe('Discovery rescans', () => {
  it('a rescan asked for too soon runs when the 2 s gap has passed, not never', async () => {
    vi.useFakeTimers();
    const mdns = fakeSource('mdns');
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: silentLogger,
      sources: [mdns],
      fetchInfo: async () => {
        throw new Error('nobody');
      },
      networkInterfaces: () => LAN,
      initialScanIntervalMs: 60_000,
      networkPollMs: 0,
    });
    discovery.start();
    expect(mdns.scans).toBe(1);
    // An interface goes down and comes back a second later: two rescans inside the gap.
    await vi.advanceTimersByTimeAsync(500);
    discovery.rescan();
    discovery.rescan();
    expect(mdns.scans).toBe(1);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(mdns.scans).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(mdns.scans).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(mdns.scans).toBe(2);
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

describe('Discovery on a hostile LAN', () => {
  const hanging = () => new Promise<PlayerInfo>(() => {});
  const start = (options: Partial<ConstructorParameters<typeof Discovery>[0]> = {}) => {
    const ssdp = fakeSource('ssdp');
    const logs: LogRecord[] = [];
    const discovery = new Discovery({
      trust: new TlsTrust(memoryPinStore()),
      logger: createLogger((r) => logs.push(r), { level: 'debug' }),
      sources: [ssdp],
      networkInterfaces: () => LAN,
      networkPollMs: 0,
      ...options,
    });
    discovery.start();
    return { discovery, ssdp, logs };
  };

  it('asks an announced address only when it is the sender’s own and on the LAN', async () => {
    const fetchInfo = vi.fn(async (host: string) => info(`RINCON_${host}`, host));
    const { discovery, ssdp, logs } = start({ fetchInfo });
    ssdp.emit('127.0.0.1:1443', '192.168.1.66'); // a rogue pointing at this computer
    ssdp.emit('10.99.0.5:1443', '192.168.1.66'); // …or at another subnet
    ssdp.emit('8.8.8.8:1443', '8.8.8.8'); // the internet, even as itself
    ssdp.emit('192.168.1.20:1443', null); // nobody knows who said it
    ssdp.emit('192.168.1.66:1443', '192.168.1.66'); // itself, on the LAN: asked
    ssdp.emit('169.254.7.7:1443', '169.254.7.7'); // link-local: asked
    await vi.waitFor(() => expect(discovery.players()).toHaveLength(2));
    expect(fetchInfo.mock.calls.map(([host]) => host).sort()).toEqual([
      '169.254.7.7:1443',
      '192.168.1.66:1443',
    ]);
    const refused = logs.filter((l) => l.message === 'refused an announced address').map((l) => l.fields);
    expect(refused).toEqual([
      expect.objectContaining({ host: '127.0.0.1:1443', reason: expect.stringMatching(/another address/) }),
      expect.objectContaining({ host: '8.8.8.8:1443', reason: 'a public address' }),
      expect.objectContaining({ host: '192.168.1.20:1443', reason: 'no sender' }),
    ]);
    discovery.stop();
  });

  it('20 000 announcements: at most 8 asked at once, a bounded queue, and a bounded memory of them', async () => {
    const fetchInfo = vi.fn(hanging);
    const { discovery, ssdp, logs } = start({ fetchInfo });
    for (let n = 0; n < 20_000; n++) {
      const address = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      ssdp.emit(`${address}:1443`, address);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(fetchInfo).toHaveBeenCalledTimes(MAX_CONCURRENT_PROBES);
    expect(discovery.stats()).toMatchObject({ probing: MAX_CONCURRENT_PROBES, queued: MAX_QUEUED_PROBES });
    expect(discovery.stats().remembered).toBeLessThanOrEqual(MAX_REMEMBERED);
    expect(discovery.stats().senders).toBeLessThanOrEqual(MAX_REMEMBERED);
    // Said once, not 20 000 times.
    expect(logs.filter((l) => l.message === 'refused an announced address')).toHaveLength(1);
    // A typed address is not stuck behind the flood: it goes first.
    const typed = discovery.probe('192.168.1.30:1443').catch(() => null);
    expect(discovery.stats().queued).toBe(MAX_QUEUED_PROBES + 1);
    void typed;
    discovery.stop();
  });

  it('takes answers only from the networks of the interfaces it searches', async () => {
    const fetchInfo = vi.fn(async (host: string) => info(`RINCON_${host}`, host));
    const { discovery, ssdp, logs } = start({
      fetchInfo,
      // en0 searched; the VPN left out — yet multicast that arrived there may still reach a socket on 0.0.0.0.
      networkInterfaces: () =>
        ({
          en0: [{ address: '192.168.1.10', cidr: '192.168.1.10/24', family: 'IPv4', internal: false }],
          wg0: [{ address: '10.8.0.2', cidr: '10.8.0.2/24', family: 'IPv4', internal: false }],
        }) as never,
      skipVirtualInterfaces: true,
    });
    ssdp.emit('10.8.0.7:1443');
    ssdp.emit('192.168.1.20:1443');
    await vi.waitFor(() => expect(discovery.players()).toHaveLength(1));
    expect(fetchInfo.mock.calls.map(([host]) => host)).toEqual(['192.168.1.20:1443']);
    expect(logs.find((l) => l.message === 'refused an announced address')?.fields).toMatchObject({
      sender: '10.8.0.7',
      reason: 'not from a network we search',
    });
    discovery.stop();
  });

  it('lets one sender announce only a few addresses a minute', async () => {
    const fetchInfo = vi.fn(hanging);
    const { discovery, ssdp } = start({ fetchInfo });
    for (let port = 1_000; port < 1_100; port++) ssdp.emit(`192.168.1.66:${port}`, '192.168.1.66');
    // The same address again is not a new one (a speaker repeats itself on every search).
    ssdp.emit('192.168.1.66:1000', '192.168.1.66');
    await new Promise((resolve) => setImmediate(resolve));
    expect(fetchInfo).toHaveBeenCalledTimes(MAX_HOSTS_PER_SENDER);
    discovery.stop();
  });

  it('300 spoofed speakers: at most MAX_FOUND are kept', async () => {
    const { discovery, ssdp } = start({ fetchInfo: async (host) => info(`RINCON_${host}`, host) });
    for (let n = 0; n < 300; n += 50) {
      for (let k = n; k < n + 50; k++) ssdp.emit(`192.168.${k >> 8}.${k & 255}:1443`);
      await vi.waitFor(() => expect(discovery.stats().probing + discovery.stats().queued).toBe(0));
    }
    expect(discovery.players()).toHaveLength(MAX_FOUND);
    expect(discovery.players().at(-1)?.host).toBe('192.168.1.43:1443');
    discovery.stop();
  });
});
