/**
 * The core's face to the shell, the browser bridge and the CLI: one household model fed by discovery and player
 * connections, and intents as async methods. Every intent shows at once (optimistic), is coalesced per target
 * (latest value wins, one in flight, the final value lands) and travels by the transport that works: the local
 * socket first, the cloud when the player is unreachable or refuses and an account is signed in. An intent that
 * could not land because a player is away is replayed when it comes back.
 */
import { EventEmitter } from 'node:events';
import type { LookupFunction } from 'node:net';
import { arch, platform, release } from 'node:os';
import type { PlaybackAction } from '../contract/ipc';
import type {
  ConnectionState,
  Diagnostics,
  HouseholdPatch,
  HouseholdSnapshot,
  PlaybackState,
  Settings,
  SettingsUpdate,
  Transport,
} from '../contract/model';
import { Coalescer } from './commands/coalescer';
import { describeCommand, isRepeatable, type Command } from './commands/command';
import { Discovery, type FoundPlayer } from './discovery/discovery';
import type { DiscoverySource } from './discovery/source';
import { AppError, toErrorPayload } from './errors';
import { HouseholdModel } from './household/household-model';
import type { Logger } from './logger';
import { LocalNetwork, type LocalNetworkOptions } from './sonos/local/local-network';
import type { FetchInfoOptions, PlayerInfo } from './sonos/local/player-info';
import { TlsTrust } from './sonos/local/tls-trust';
import type { DataStore } from './store/data-store';

/** The cloud path, supplied by the account module once someone signs in. */
export interface CloudTransport {
  canControl(householdId: string): boolean;
  execute(command: Command, householdId: string): Promise<void>;
}

export interface ControllerOptions {
  store: DataStore;
  logger: Logger;
  /** PEM of a CA to verify players against, instead of pinning each player's certificate. */
  ca?: string | Buffer | null;
  discoverySources?: DiscoverySource[];
  /** Skip discovery entirely (CLI `--host`): only these addresses. */
  hostsOnly?: string[];
  connection?: LocalNetworkOptions['connection'];
  discovery?: { initialScanIntervalMs?: number; networkPollMs?: number; lookup?: LookupFunction };
  fetchInfo?: (host: string, trust: TlsTrust, options: FetchInfoOptions) => Promise<PlayerInfo>;
  cloud?: CloudTransport | null;
  /** Overrides the `preferCloud` setting for this run without saving it (the CLI's `--cloud`). */
  preferCloud?: boolean;
  /**
   * Keep an intent that failed because a player was away and make it when the player is back (default true).
   * The CLI says no: it exits right after, so it reports the failure as it is.
   */
  replayIntents?: boolean;
  appVersion?: string;
  electronVersion?: string | null;
}

type Events = {
  patch: [HouseholdPatch];
  /** Diagnostics changed (connections, discovery, refusals). */
  diagnostics: [];
  settings: [Settings];
};

const clampVolume = (value: number): number => Math.min(100, Math.max(0, Math.round(value)));

/** When an intent that failed for a passing reason is tried again, if no event brings it back sooner. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

export class Controller extends EventEmitter<Events> {
  readonly model: HouseholdModel;
  readonly network: LocalNetwork;
  readonly discovery: Discovery;
  readonly trust: TlsTrust;
  private readonly volumes = new Coalescer<number>();
  private readonly mutes = new Coalescer<boolean>();
  private readonly serial = new Map<string, Promise<unknown>>();
  /** The "unmuted" hold a volume lane put up, by lane, until the lane's last command is answered. */
  private readonly unmuteHolds = new Map<string, number>();
  /** Intents that could not land because the player was away, by coalescing key. */
  private readonly waiting = new Map<string, () => void>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private cloud: CloudTransport | null;
  private lastTransport: Transport | null = null;
  private started = false;
  private stopped = false;

  constructor(private readonly options: ControllerOptions) {
    super();
    const { store, logger } = options;
    this.cloud = options.cloud ?? null;
    this.trust = new TlsTrust(store, options.ca ?? null);
    this.model = new HouseholdModel({ nickname: (id) => store.nickname(id) });
    this.network = new LocalNetwork({
      model: this.model,
      trust: this.trust,
      logger: logger.child('local'),
      ...(options.connection ? { connection: options.connection } : {}),
    });
    const settings = store.settings;
    this.discovery = new Discovery({
      trust: this.trust,
      logger: logger.child('discovery'),
      sources: options.hostsOnly ? [] : (options.discoverySources ?? []),
      manualHosts: options.hostsOnly ?? settings.manualHosts,
      skipVirtualInterfaces: settings.skipVirtualInterfaces,
      ...(options.fetchInfo ? { fetchInfo: options.fetchInfo } : {}),
      ...(options.discovery?.initialScanIntervalMs !== undefined && {
        initialScanIntervalMs: options.discovery.initialScanIntervalMs,
      }),
      ...(options.discovery?.networkPollMs !== undefined && {
        networkPollMs: options.discovery.networkPollMs,
      }),
      ...(options.discovery?.lookup && { lookup: options.discovery.lookup }),
    });

    this.model.onPatch((patch) => this.emit('patch', patch));
    this.discovery.on('player', (player) => this.onFound(player));
    this.discovery.on('searching', (searching) => this.model.setDiscovery(searching ? 'searching' : 'idle'));
    this.discovery.on('manualHost', () => this.emit('diagnostics'));
    this.network.on('changed', () => {
      this.updateHouseholdTransports();
      this.emit('diagnostics');
    });
    this.network.on('playerOpen', () => this.replayWaiting());
    // A speaker that dropped may have a new address (a DHCP renew): ask the network again (at most every 2 s).
    this.network.on('playerLost', () => {
      if (!this.stopped) this.discovery.rescan();
    });
    this.network.on('groups', (householdId) => {
      if (this.stopped) return;
      this.rememberHousehold(householdId);
      this.replayWaiting();
    });
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (!this.options.hostsOnly) {
      // Reconnect at once to the players we knew; discovery confirms or corrects them.
      for (const [playerId, known] of this.options.store.knownPlayers()) {
        if (known.host) {
          this.network.addPlayer({
            playerId,
            householdId: known.householdId,
            websocketUrl: `wss://${known.host}/websocket/api`,
            name: known.name,
          });
        }
      }
    }
    this.discovery.start();
  }

  stop(): void {
    if (this.stopped) return;
    // First, so that commands the network rejects as it closes schedule no retries and replay nothing.
    this.stopped = true;
    this.discovery.stop();
    this.network.stop();
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.waiting.clear();
    this.unmuteHolds.clear();
    this.model.dispose();
    this.removeAllListeners();
  }

  setCloud(cloud: CloudTransport | null): void {
    this.cloud = cloud;
    this.updateHouseholdTransports();
  }

  snapshot(): HouseholdSnapshot {
    return this.model.snapshot();
  }

  /** Counters of the coalescing lanes, for diagnostics and benchmarks. */
  stats(): { sent: number; superseded: number; maxInFlight: number } {
    const a = this.volumes.stats;
    const b = this.mutes.stats;
    return {
      sent: a.sent + b.sent,
      superseded: a.superseded + b.superseded,
      maxInFlight: Math.max(a.maxInFlight, b.maxInFlight),
    };
  }

  /**
   * Resolves once every household we know has its groups, and each group its volume and playback state and each
   * player its volume: a full picture, not a half-drawn popover.
   */
  whenComplete(timeoutMs = 10_000): Promise<HouseholdSnapshot> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const snapshot = this.model.snapshot();
        const households = Object.keys(snapshot.households);
        const complete =
          households.length > 0 &&
          households.every((id) => this.network.hasGroups(id)) &&
          Object.values(snapshot.groups).every(
            (g) =>
              (g.volume !== null && g.playback !== 'unknown') ||
              // A group led by a speaker that is away has nothing more to tell until it is back.
              away(snapshot.players[g.coordinatorId]?.connection),
          ) &&
          Object.values(snapshot.players).every((p) =>
            p.connection === 'connected' ? p.volume !== null : p.connection !== 'connecting',
          );
        if (complete) {
          cleanup();
          resolve(snapshot);
          return true;
        }
        // Every speaker refused us or presented a changed certificate: waiting longer cannot help.
        const players = Object.values(snapshot.players);
        const hopeless =
          !this.cloud &&
          players.length > 0 &&
          players.every((p) => p.connection === 'refused' || p.connection === 'untrusted');
        if (hopeless) {
          const problem = players.find((p) => p.problem)?.problem;
          cleanup();
          reject(
            problem
              ? new AppError(
                  problem.code,
                  problem.message,
                  problem.details ? { details: problem.details } : {},
                )
              : new AppError('refused', 'The speakers refused the connection.'),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new AppError('timeout', 'No speakers answered in time.', { retryable: true }));
      }, timeoutMs);
      const onPatch = (): void => void check();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('patch', onPatch);
      };
      this.on('patch', onPatch);
      check();
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Intents

  async setGroupVolume(groupId: string, volume: number): Promise<void> {
    const id = this.existingGroup(groupId);
    const value = clampVolume(volume);
    // Lanes follow the coordinator and the id is looked up when each command leaves, so a regroup that renames
    // the group mid-drag neither splits the lane nor sends to a group id that is gone.
    const now = (): string => this.model.resolveGroupId(id);
    const key = `gv:${this.groupLane(id)}`;
    const held = this.model.hold('groupVolume', id, value);
    const unmute = this.unmuteHold(key, 'groupMuted', id);
    const release = (succeeded: boolean): void => {
      this.model.release('groupVolume', now(), succeeded, held);
      this.model.release('groupMuted', now(), succeeded, unmute());
    };
    return this.coalesced(
      this.volumes,
      key,
      value,
      (v) => ({ kind: 'groupVolume', groupId: now(), volume: v }),
      () => release(true),
      () => release(false),
    );
  }

  async adjustGroupVolume(groupId: string, delta: number): Promise<void> {
    const id = this.existingGroup(groupId);
    const current = this.model.shownValue<number>('groupVolume', id);
    if (typeof current === 'number') return this.setGroupVolume(id, current + delta);
    return this.run({ kind: 'groupRelativeVolume', groupId: id, delta });
  }

  async setGroupMute(groupId: string, muted: boolean): Promise<void> {
    const id = this.existingGroup(groupId);
    const held = this.model.hold('groupMuted', id, muted);
    const now = (): string => this.model.resolveGroupId(id);
    return this.coalesced(
      this.mutes,
      `gm:${this.groupLane(id)}`,
      muted,
      (m) => ({ kind: 'groupMute', groupId: now(), muted: m }),
      () => this.model.release('groupMuted', now(), true, held),
      () => this.model.release('groupMuted', now(), false, held),
    );
  }

  async setPlayerVolume(playerId: string, volume: number): Promise<void> {
    this.existingPlayer(playerId);
    const value = clampVolume(volume);
    const key = `pv:${playerId}`;
    const held = this.model.hold('playerVolume', playerId, value);
    const unmute = this.unmuteHold(key, 'playerMuted', playerId);
    const release = (succeeded: boolean): void => {
      this.model.release('playerVolume', playerId, succeeded, held);
      this.model.release('playerMuted', playerId, succeeded, unmute());
    };
    return this.coalesced(
      this.volumes,
      key,
      value,
      (v) => ({ kind: 'playerVolume', playerId, volume: v }),
      () => release(true),
      () => release(false),
    );
  }

  async adjustPlayerVolume(playerId: string, delta: number): Promise<void> {
    this.existingPlayer(playerId);
    const current = this.model.shownValue<number>('playerVolume', playerId);
    if (typeof current === 'number') return this.setPlayerVolume(playerId, current + delta);
    return this.run({ kind: 'playerRelativeVolume', playerId, delta });
  }

  async setPlayerMute(playerId: string, muted: boolean): Promise<void> {
    this.existingPlayer(playerId);
    const held = this.model.hold('playerMuted', playerId, muted);
    return this.coalesced(
      this.mutes,
      `pm:${playerId}`,
      muted,
      (m) => ({ kind: 'playerMute', playerId, muted: m }),
      () => this.model.release('playerMuted', playerId, true, held),
      () => this.model.release('playerMuted', playerId, false, held),
    );
  }

  /** Transport buttons run in order per group: three presses of Next skip three tracks. */
  async playback(groupId: string, action: PlaybackAction): Promise<void> {
    const id = this.existingGroup(groupId);
    const shown = this.model.shownValue<PlaybackState>('playback', id);
    const optimistic: PlaybackState | null =
      action === 'play'
        ? 'playing'
        : action === 'pause'
          ? 'paused'
          : action === 'togglePlayPause'
            ? shown === 'playing' || shown === 'buffering'
              ? 'paused'
              : 'playing'
            : null;
    // Toggle is sent as the explicit action we showed, so the player and the button cannot disagree.
    const sent: PlaybackAction =
      action === 'togglePlayPause' && optimistic ? (optimistic === 'playing' ? 'play' : 'pause') : action;
    const held = optimistic ? this.model.hold('playback', id, optimistic) : null;
    const now = (): string => this.model.resolveGroupId(id);
    const key = `pb:${this.groupLane(id)}`;
    const previous = this.serial.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(() => this.run({ kind: 'playback', groupId: now(), action: sent }))
      .then(
        () => {
          if (held !== null) this.model.release('playback', now(), true, held);
        },
        (error: unknown) => {
          if (held !== null) this.model.release('playback', now(), false, held);
          throw error;
        },
      );
    this.serial.set(key, next);
    void next
      .finally(() => {
        if (this.serial.get(key) === next) this.serial.delete(key);
      })
      .catch(() => {});
    return next;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Settings and maintenance

  get settings(): Settings {
    return this.options.store.settings;
  }

  updateSettings(update: SettingsUpdate): Settings {
    const settings = this.options.store.updateSettings(update);
    if (update.manualHosts !== undefined && !this.options.hostsOnly)
      this.discovery.setManualHosts(settings.manualHosts);
    if (update.skipVirtualInterfaces !== undefined) {
      this.discovery.setSkipVirtualInterfaces(settings.skipVirtualInterfaces);
    }
    this.emit('settings', settings);
    return settings;
  }

  rescan(): void {
    this.discovery.rescan();
    this.network.reconnectAll();
  }

  /** The user trusts the certificate a player now presents (after a reset or replacement), as it was shown. */
  trustCertificate(playerId: string, fingerprint: string): void {
    if (!this.trust.trustRefused(playerId, fingerprint)) {
      const now = this.trust.status(playerId);
      throw new AppError(
        'not-found',
        now.status === 'changed'
          ? 'This speaker now presents a different certificate from the one shown. Check it and try again.'
          : 'There is no new certificate to trust for this speaker.',
      );
    }
    this.network.reconnect(playerId);
    this.discovery.rescan();
    this.emit('diagnostics');
  }

  diagnostics(accountStatus: Diagnostics['account']['status'] = 'signedOut'): Diagnostics {
    const found = new Map(this.discovery.players().map((p) => [p.playerId, p]));
    const snapshot = this.model.snapshot();
    return {
      app: {
        version: this.options.appVersion ?? '0.0.0',
        electron: this.options.electronVersion ?? null,
        node: process.versions.node,
        os: `${platform()} ${release()} ${arch()}`,
      },
      players: Object.values(snapshot.players).map((player) => {
        const link = this.network.connectionInfo(player.id);
        const discovered = found.get(player.id);
        const tls = this.trust.status(player.id);
        return {
          id: player.id,
          name: player.name,
          host: discovered?.host ?? (link ? hostOf(link.address) : null),
          foundBy: discovered ? [...discovered.foundBy] : ['groups'],
          connection: player.connection,
          lastError: link?.error ? link.error.toPayload() : null,
          tls: { status: tls.status, fingerprint: tls.fingerprint },
        };
      }),
      hotkeys: [],
      account: { status: accountStatus, lastTransport: this.lastTransport },
    };
  }

  // ---------------------------------------------------------------------------------------------------------

  private existingGroup(groupId: string): string {
    const id = this.model.resolveGroupId(groupId);
    if (!this.model.groupRecord(id)) throw new AppError('not-found', 'That group no longer exists.');
    return id;
  }

  /**
   * Setting a volume unmutes on the player, so a volume intent shows "unmuted" at once. That hold belongs to the
   * volume lane (a drag started muted unmutes once, and its last command ends the hold); the returned function
   * gives its token when the lane finishes — a mute pressed meanwhile has its own hold, which this cannot end.
   */
  private unmuteHold(laneKey: string, kind: 'groupMuted' | 'playerMuted', id: string): () => number {
    if (this.model.shownValue(kind, id) === true)
      this.unmuteHolds.set(laneKey, this.model.hold(kind, id, false));
    return () => {
      const token = this.unmuteHolds.get(laneKey);
      this.unmuteHolds.delete(laneKey);
      // No unmute hold in this lane: a token that matches none.
      return token ?? -1;
    };
  }

  /** Group lanes are named by coordinator: a regroup gives the group a new id but keeps its coordinator. */
  private groupLane(groupId: string): string {
    return this.model.groupRecord(groupId)?.coordinatorId ?? groupId;
  }

  private existingPlayer(playerId: string): void {
    if (!this.model.playerRecord(playerId))
      throw new AppError('not-found', 'That speaker is no longer in your household.');
  }

  private coalesced<T>(
    coalescer: Coalescer<T>,
    key: string,
    value: T,
    toCommand: (value: T) => Command,
    onLanded: () => void,
    onFailed: () => void,
  ): Promise<void> {
    this.forget(key);
    let retries = 0;
    const attempt = (): Promise<void> =>
      coalescer
        .submit(key, value, (latest) => this.run(toCommand(latest)))
        .then(
          () => {
            if (!coalescer.hasQueued(key)) onLanded();
          },
          (error: unknown) => {
            if (coalescer.hasQueued(key)) throw error;
            const appError =
              error instanceof AppError ? error : new AppError('internal', 'The command failed.');
            const away = appError.code === 'unreachable' || appError.code === 'timeout';
            const passing = appError.code === 'unexpected' && appError.retryable;
            if ((away || passing) && !this.stopped && this.options.replayIntents !== false) {
              // Keep showing what the user chose and land it later: when the player is back (its socket opens),
              // or on a timer for a passing failure such as a cloud 5xx. A newer intent replaces this one.
              const replay = (): void => void attempt().catch(() => {});
              this.waiting.set(key, replay);
              if (retries < RETRY_DELAYS_MS.length) {
                const timer = setTimeout(() => {
                  this.retryTimers.delete(key);
                  if (this.waiting.get(key) !== replay) return;
                  this.waiting.delete(key);
                  replay();
                }, RETRY_DELAYS_MS[retries++]);
                timer.unref?.();
                this.retryTimers.set(key, timer);
              }
              throw new AppError(
                appError.code,
                `${appError.message} ${away ? 'Your change will be made when it is back.' : 'Trying again…'}`,
                {
                  retryable: true,
                  ...(appError.details ? { details: appError.details } : {}),
                },
              );
            }
            onFailed();
            throw appError;
          },
        );
    return attempt();
  }

  /** A newer intent for `key` replaces any that waits to be replayed. */
  private forget(key: string): void {
    this.waiting.delete(key);
    const timer = this.retryTimers.get(key);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(key);
  }

  private replayWaiting(): void {
    if (this.waiting.size === 0 || this.stopped) return;
    const replays = [...this.waiting.entries()];
    this.waiting.clear();
    for (const [key, replay] of replays) {
      const timer = this.retryTimers.get(key);
      if (timer) clearTimeout(timer);
      this.retryTimers.delete(key);
      replay();
    }
  }

  /** Sends one command by the transport that works right now. */
  private async run(command: Command): Promise<void> {
    if (this.stopped) throw new AppError('unreachable', 'Tray for Sonos is closing.');
    const route = this.network.route(command);
    const cloud = this.cloud?.canControl(route.householdId) ? this.cloud : null;
    if (cloud && (this.options.preferCloud ?? this.options.store.settings.preferCloud)) {
      try {
        await cloud.execute(command, route.householdId);
        this.lastTransport = 'cloud';
        return;
      } catch (error) {
        // Preferred is not required: when the cloud fails and the player is right here, use it.
        if (!this.network.isOpen(route.playerId)) throw error;
        if (error instanceof AppError && !this.mayResend(command, error)) throw notResent(error);
        this.options.logger.info('the cloud failed; using the local connection', {
          command: describeCommand(command),
          reason: error instanceof AppError ? error.code : 'error',
        });
      }
    }
    try {
      await this.network.execute(command);
      this.lastTransport = 'local';
    } catch (error) {
      const appError =
        error instanceof AppError ? error : new AppError('internal', 'The command failed.', { cause: error });
      if (cloud && ['unreachable', 'timeout', 'refused'].includes(appError.code)) {
        if (!this.mayResend(command, appError)) throw notResent(appError);
        this.options.logger.info('falling back to the cloud', {
          command: describeCommand(command),
          reason: appError.code,
        });
        await cloud.execute(command, route.householdId);
        this.lastTransport = 'cloud';
        return;
      }
      if (appError.code === 'internal')
        this.options.logger.warn('command failed', { error: toErrorPayload(error) });
      throw appError;
    }
  }

  /** A command that may already have been carried out is sent again only when repeating it is harmless. */
  private mayResend(command: Command, error: AppError): boolean {
    if (!error.maybeDelivered || isRepeatable(command)) return true;
    this.options.logger.info('not sending again: the first attempt may have landed', {
      command: describeCommand(command),
      reason: error.code,
    });
    return false;
  }

  private onFound(player: FoundPlayer): void {
    // A probe that was on its way when we stopped: nothing to connect to, nothing to write.
    if (this.stopped) return;
    this.network.addPlayer({
      playerId: player.playerId,
      householdId: player.householdId,
      websocketUrl: player.websocketUrl,
      name: player.name,
    });
    this.options.store.rememberPlayer(player.playerId, {
      householdId: player.householdId,
      name: player.name ?? player.playerId,
      host: player.host,
      lastSeen: Date.now(),
    });
    this.emit('diagnostics');
  }

  private rememberHousehold(householdId: string): void {
    for (const id of this.model.playerIds()) {
      const record = this.model.playerRecord(id)!;
      if (record.householdId !== householdId || !record.websocketUrl) continue;
      const host = hostOf(record.websocketUrl);
      if (host) {
        this.options.store.rememberPlayer(id, {
          householdId,
          name: record.sonosName,
          host,
          lastSeen: Date.now(),
        });
      }
    }
  }

  private updateHouseholdTransports(): void {
    for (const householdId of this.model.householdIds()) {
      const transport: Transport | null = this.network.householdReachable(householdId)
        ? 'local'
        : this.cloud?.canControl(householdId)
          ? 'cloud'
          : null;
      this.model.setHouseholdTransport(householdId, transport);
    }
  }
}

const away = (connection: ConnectionState | undefined): boolean =>
  connection === 'offline' || connection === 'refused' || connection === 'untrusted';

function notResent(error: AppError): AppError {
  return new AppError(error.code, `${error.message} It may have happened anyway, so it was not sent again.`, {
    maybeDelivered: true,
    cause: error,
    ...(error.details ? { details: error.details } : {}),
  });
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}
