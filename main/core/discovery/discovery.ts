/**
 * Finds players three ways — mDNS, SSDP and addresses the user typed — and merges what it finds by player id,
 * asking every new address who it is (`/api/v1/players/local/info`). It rescans when the network changes or the
 * computer wakes, and backs off while nothing answers so a quiet network is not spammed.
 *
 * Anyone on the LAN can answer a query, so what the network offers is bounded: an announced address is asked
 * only when it is the sender's own and on the LAN (`refuseAnnouncedAddress`); one sender gets a few addresses a
 * minute; at most 8 addresses are asked at once, with a bounded queue behind them; and what is remembered about
 * addresses asked and players found is trimmed.
 */
import { EventEmitter } from 'node:events';
import { networkInterfaces as osInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { addressScope, refuseAnnouncedAddress } from '../address-scope';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { toNetworkError } from '../net-errors';
import {
  fetchPlayerInfo,
  splitHost,
  type FetchInfoOptions,
  type PlayerInfo,
} from '../sonos/local/player-info';
import type { LookupFunction } from 'node:net';
import type { TlsTrust } from '../sonos/local/tls-trust';
import { inSubnet, interfacesSignature, pickInterfaces, type LanInterface } from './interfaces';
import { ProbeLimiter } from './probe-limiter';
import type { Candidate, DiscoverySource, DiscoverySourceName } from './source';

/** Addresses asked at once; the rest wait in a queue of `MAX_QUEUED_PROBES` (more are dropped and said so). */
export const MAX_CONCURRENT_PROBES = 8;
export const MAX_QUEUED_PROBES = 64;
/** Different addresses one sender may announce per `SENDER_WINDOW_MS` (a speaker announces one: itself). */
export const MAX_HOSTS_PER_SENDER = 4;
const SENDER_WINDOW_MS = 60_000;
/** How many addresses we remember having asked, and how many senders we count for. */
export const MAX_REMEMBERED = 1_024;
/** Players found and kept for diagnostics and merging (a household holds at most 32). */
export const MAX_FOUND = 256;
const REFUSAL_LOG_INTERVAL_MS = 10 * 60_000;
/** However often a rescan is asked for, the network is searched at most this often. */
const RESCAN_MIN_GAP_MS = 2_000;

export interface FoundPlayer extends PlayerInfo {
  foundBy: DiscoverySourceName[];
}

export interface ManualHostStatus {
  host: string;
  playerId: string | null;
  error: AppError | null;
}

export interface DiscoveryOptions {
  trust: TlsTrust;
  logger: Logger;
  sources?: DiscoverySource[];
  manualHosts?: string[];
  skipVirtualInterfaces?: boolean;
  fetchInfo?: (host: string, trust: TlsTrust, options: FetchInfoOptions) => Promise<PlayerInfo>;
  /** Name resolution for typed host names (tests make DNS fail without a DNS server). */
  lookup?: LookupFunction;
  networkInterfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** First rescan delay while nothing is found; doubles up to `maxScanIntervalMs`. */
  initialScanIntervalMs?: number;
  maxScanIntervalMs?: number;
  /** How often to look for network changes. */
  networkPollMs?: number;
  /** A host asked recently is not asked again sooner than this, unless the user rescans. */
  hostCooldownMs?: number;
}

interface AskResult {
  player?: FoundPlayer;
  error?: AppError;
}

type Events = {
  player: [FoundPlayer];
  searching: [boolean];
  manualHost: [ManualHostStatus];
};

export class Discovery extends EventEmitter<Events> {
  private readonly found = new Map<string, FoundPlayer>();
  /** Oldest first: trimmed from the front. */
  private readonly askedAt = new Map<string, number>();
  private readonly senders = new Map<string, { since: number; hosts: Set<string> }>();
  private readonly limiter = new ProbeLimiter(MAX_CONCURRENT_PROBES, MAX_QUEUED_PROBES);
  /** When we last said a kind of refusal in the log, and how many more there were since. */
  private readonly said = new Map<string, { at: number; since: number }>();
  private readonly inFlight = new Map<string, Promise<AskResult>>();
  private readonly manual = new Map<string, ManualHostStatus>();
  private interfaces: LanInterface[] = [];
  private signature = '';
  private scanTimer: NodeJS.Timeout | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private interval: number;
  private running = false;
  private searching = false;
  private lastScanAt = 0;

  constructor(private readonly options: DiscoveryOptions) {
    super();
    this.interval = options.initialScanIntervalMs ?? 5_000;
    for (const host of options.manualHosts ?? [])
      this.manual.set(host, { host, playerId: null, error: null });
  }

  players(): FoundPlayer[] {
    return [...this.found.values()];
  }

  /** Counters for tests and diagnostics: probes running and waiting, addresses and senders remembered. */
  stats(): { probing: number; queued: number; remembered: number; senders: number; found: number } {
    return {
      probing: this.limiter.active,
      queued: this.limiter.queued,
      remembered: this.askedAt.size,
      senders: this.senders.size,
      found: this.found.size,
    };
  }

  manualHosts(): ManualHostStatus[] {
    return [...this.manual.values()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.refreshInterfaces();
    this.startSources();
    this.scan(true);
    const poll = this.options.networkPollMs ?? 15_000;
    if (poll > 0) {
      this.pollTimer = setInterval(() => {
        if (this.refreshInterfaces()) {
          this.options.logger.info('network changed; rescanning');
          this.startSources();
          this.rescan();
        }
      }, poll);
      this.pollTimer.unref?.();
    }
  }

  stop(): void {
    this.running = false;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.scanTimer = null;
    this.pollTimer = null;
    this.rescanTimer = null;
    for (const source of this.options.sources ?? []) source.stop();
  }

  /**
   * Look again now: the user asked, the computer woke up or the network changed. However often this is called,
   * the network is queried at most every 2 s.
   */
  rescan(): void {
    if (!this.running) return;
    const wait = this.lastScanAt + RESCAN_MIN_GAP_MS - Date.now();
    if (wait > 0) {
      // Too soon: once the gap has passed, not never — an interface that comes back a second after it went down
      // must still be searched.
      this.rescanTimer ??= setTimeout(() => {
        this.rescanTimer = null;
        this.rescan();
      }, wait);
      this.rescanTimer.unref?.();
      return;
    }
    this.interval = this.options.initialScanIntervalMs ?? 5_000;
    this.askedAt.clear();
    this.scan(true);
  }

  /** Leave VPN and virtual interfaces out (or take them back in); the search restarts on the new set. */
  setSkipVirtualInterfaces(skip: boolean): void {
    if ((this.options.skipVirtualInterfaces ?? false) === skip) return;
    this.options.skipVirtualInterfaces = skip;
    if (!this.running) return;
    this.refreshInterfaces();
    this.startSources();
    this.rescan();
  }

  /** Replaces the typed addresses; new ones are asked at once. */
  setManualHosts(hosts: string[]): void {
    const next = new Set(hosts);
    for (const host of [...this.manual.keys()]) if (!next.has(host)) this.manual.delete(host);
    for (const host of next) {
      if (this.manual.has(host)) continue;
      this.manual.set(host, { host, playerId: null, error: null });
      if (this.running) void this.ask({ host, source: 'manual' }, true);
    }
  }

  /** Asks one address now and resolves with the player there, or rejects with why not. */
  async probe(host: string): Promise<FoundPlayer> {
    const result = await this.ask({ host, source: 'manual' }, true);
    if (result.player) return result.player;
    throw result.error ?? toNetworkError(new Error(`no answer from ${host}`));
  }

  // -----------------------------------------------------------------------------------------------------------

  private refreshInterfaces(): boolean {
    const read = this.options.networkInterfaces ?? osInterfaces;
    this.interfaces = pickInterfaces(read(), { skipVirtual: this.options.skipVirtualInterfaces ?? false });
    const signature = interfacesSignature(this.interfaces);
    const changed = signature !== this.signature;
    this.signature = signature;
    return changed;
  }

  private startSources(): void {
    for (const source of this.options.sources ?? []) {
      try {
        source.start(this.interfaces, (candidate) => this.offer(candidate));
      } catch (error) {
        this.options.logger.warn(`${source.name} discovery failed to start`, { error });
      }
    }
  }

  private scan(force: boolean): void {
    if (!this.running) return;
    this.lastScanAt = Date.now();
    this.setSearching(true);
    for (const source of this.options.sources ?? []) {
      try {
        source.scan();
      } catch (error) {
        this.options.logger.warn(`${source.name} scan failed`, { error });
      }
    }
    const manual = [...this.manual.keys()].map((host) => this.ask({ host, source: 'manual' }, force));
    void Promise.allSettled(manual).then(() => {
      // mDNS and SSDP answers trickle in within a second or two.
      const settle = setTimeout(() => this.setSearching(false), 2_500);
      settle.unref?.();
    });
    if (this.scanTimer) clearTimeout(this.scanTimer);
    const max = this.options.maxScanIntervalMs ?? 300_000;
    const delay = this.found.size > 0 ? max : this.interval;
    this.interval = Math.min(max, this.interval * 2);
    this.scanTimer = setTimeout(() => this.scan(false), delay);
    this.scanTimer.unref?.();
  }

  /** An address the network announced: asked if it passes the rules, else dropped (and said once). */
  private offer(candidate: Candidate): void {
    if (!this.running) return;
    let hostname: string;
    try {
      hostname = splitHost(candidate.host).hostname;
    } catch {
      return this.refuse(candidate, 'not an address');
    }
    const sender = candidate.sender;
    if (sender === undefined) return this.refuse(candidate, 'no sender');
    const why = refuseAnnouncedAddress(hostname, sender);
    if (why !== null) return this.refuse(candidate, why);
    if (!this.onSearchedNetwork(sender)) return this.refuse(candidate, 'not from a network we search');
    if (!this.withinSenderLimit(sender, candidate.host))
      return this.refuse(candidate, `more than ${MAX_HOSTS_PER_SENDER} addresses a minute from one sender`);
    void this.ask(candidate, false);
  }

  /**
   * Logs a refusal with its first example, then at most once every 10 minutes per kind with how many there were
   * meanwhile: a flood of spoofed answers is a few lines, not one per packet.
   */
  private refuse(candidate: Candidate, reason: string, kind: string = reason): void {
    const now = Date.now();
    const said = this.said.get(kind);
    if (said && now - said.at < REFUSAL_LOG_INTERVAL_MS) {
      said.since += 1;
      return;
    }
    this.said.set(kind, { at: now, since: 0 });
    this.options.logger.info('refused an announced address', {
      host: candidate.host.slice(0, 300),
      sender: candidate.sender,
      source: candidate.source,
      reason,
      ...(said ? { alsoRefusedSinceLastSaid: said.since } : {}),
    });
  }

  /**
   * An answer must come from a network of an interface we search. Sockets listening on 0.0.0.0 may be handed
   * multicast that arrived on another interface (one another program joined the group on, such as a VPN the
   * user left out); the sender's address tells where it came from. Interfaces the OS gave no prefix for do not
   * restrict.
   */
  private onSearchedNetwork(sender: string): boolean {
    if (addressScope(sender) === 'loopback') return true;
    const known = this.interfaces.filter((i) => i.cidr);
    if (known.length === 0 || this.interfaces.length > known.length) return true;
    return known.some((i) => inSubnet(sender, i.cidr!));
  }

  private withinSenderLimit(sender: string, host: string): boolean {
    const now = Date.now();
    let entry = this.senders.get(sender);
    if (!entry || now - entry.since >= SENDER_WINDOW_MS) {
      entry = { since: now, hosts: new Set() };
      this.senders.delete(sender);
      this.senders.set(sender, entry);
      trim(this.senders, MAX_REMEMBERED);
    }
    if (entry.hosts.has(host)) return true;
    if (entry.hosts.size >= MAX_HOSTS_PER_SENDER) return false;
    entry.hosts.add(host);
    return true;
  }

  private rememberAsked(host: string): void {
    this.askedAt.delete(host);
    this.askedAt.set(host, Date.now());
    if (this.askedAt.size <= MAX_REMEMBERED) return;
    // Anything older than the cooldown is no use any more; then the oldest go.
    const cooldown = this.options.hostCooldownMs ?? 60_000;
    const now = Date.now();
    for (const [asked, at] of this.askedAt) {
      if (this.askedAt.size <= MAX_REMEMBERED || now - at < cooldown) break;
      this.askedAt.delete(asked);
    }
    trim(this.askedAt, MAX_REMEMBERED);
  }

  private ask(candidate: Candidate, force: boolean): Promise<AskResult> {
    const { host, source } = candidate;
    const known = [...this.found.values()].find((p) => p.host === host);
    const running = this.inFlight.get(host);
    if (running) {
      return running.then((result) => {
        if (result.player && !result.player.foundBy.includes(source)) result.player.foundBy.push(source);
        return result;
      });
    }
    const cooldown = this.options.hostCooldownMs ?? 60_000;
    const last = this.askedAt.get(host);
    if (!force && last !== undefined && Date.now() - last < cooldown) {
      if (known && !known.foundBy.includes(source)) known.foundBy.push(source);
      return Promise.resolve(known ? { player: known } : {});
    }
    this.rememberAsked(host);
    const fetchInfo = this.options.fetchInfo ?? fetchPlayerInfo;
    // Typed addresses go first and are never dropped; announced ones wait their turn, or are dropped when the
    // queue is full (a flood), and may be announced again later.
    const run = this.limiter
      .acquire(source !== 'manual')
      .then((release) => {
        if (!release) {
          this.askedAt.delete(host);
          this.refuse(candidate, 'too many addresses waiting to be asked');
          return Promise.reject(
            new AppError(
              'unreachable',
              'Too many addresses are waiting to be asked; this one will be later.',
              {
                retryable: true,
                details: { technical: `${host}: not asked (queue full)` },
              },
            ),
          );
        }
        return fetchInfo(
          host,
          this.options.trust,
          this.options.lookup ? { lookup: this.options.lookup } : {},
        ).finally(release);
      })
      .then((info) => {
        const existing = this.found.get(info.playerId);
        const foundBy = existing ? existing.foundBy : [];
        if (!foundBy.includes(source)) foundBy.push(source);
        const player: FoundPlayer = { ...info, foundBy };
        this.found.delete(info.playerId);
        this.found.set(info.playerId, player);
        trim(this.found, MAX_FOUND);
        if (this.manual.has(host)) this.setManual({ host, playerId: info.playerId, error: null });
        this.emit('player', player);
        return { player };
      })
      .catch((error: unknown): AskResult => {
        const appError = toNetworkError(error);
        this.options.logger.info('no player at candidate address', { host, source, error: appError.message });
        if (this.manual.has(host)) this.setManual({ host, playerId: null, error: appError });
        return { error: appError };
      })
      .finally(() => this.inFlight.delete(host));
    this.inFlight.set(host, run);
    return run;
  }

  private setManual(status: ManualHostStatus): void {
    if (!this.manual.has(status.host)) return;
    this.manual.set(status.host, status);
    this.emit('manualHost', status);
  }

  private setSearching(searching: boolean): void {
    if (this.searching === searching) return;
    this.searching = searching;
    this.emit('searching', searching);
  }
}

/** Drops the oldest entries of an insertion-ordered map until it holds at most `max`. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
