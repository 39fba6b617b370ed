/**
 * Finds players three ways — mDNS, SSDP and addresses the user typed — and merges what it finds by player id,
 * asking every new address who it is (`/api/v1/players/local/info`). It rescans when the network changes or the
 * computer wakes, and backs off while nothing answers so a quiet network is not spammed.
 */
import { EventEmitter } from 'node:events';
import { networkInterfaces as osInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { AppError } from '../errors';
import type { Logger } from '../logger';
import { toNetworkError } from '../net-errors';
import { fetchPlayerInfo, type FetchInfoOptions, type PlayerInfo } from '../sonos/local/player-info';
import type { LookupFunction } from 'node:net';
import type { TlsTrust } from '../sonos/local/tls-trust';
import { interfacesSignature, pickInterfaces, type LanInterface } from './interfaces';
import type { Candidate, DiscoverySource, DiscoverySourceName } from './source';

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
  private readonly askedAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<AskResult>>();
  private readonly manual = new Map<string, ManualHostStatus>();
  private interfaces: LanInterface[] = [];
  private signature = '';
  private scanTimer: NodeJS.Timeout | null = null;
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
    this.scanTimer = null;
    this.pollTimer = null;
    for (const source of this.options.sources ?? []) source.stop();
  }

  /**
   * Look again now: the user asked, the computer woke up or the network changed. However often this is called,
   * the network is queried at most every 2 s.
   */
  rescan(): void {
    if (!this.running || Date.now() - this.lastScanAt < 2_000) return;
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
        source.start(this.interfaces, (candidate) => void this.ask(candidate, false));
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
    this.askedAt.set(host, Date.now());
    const fetchInfo = this.options.fetchInfo ?? fetchPlayerInfo;
    const run = fetchInfo(
      host,
      this.options.trust,
      this.options.lookup ? { lookup: this.options.lookup } : {},
    )
      .then((info) => {
        const existing = this.found.get(info.playerId);
        const foundBy = existing ? existing.foundBy : [];
        if (!foundBy.includes(source)) foundBy.push(source);
        const player: FoundPlayer = { ...info, foundBy };
        this.found.set(info.playerId, player);
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
