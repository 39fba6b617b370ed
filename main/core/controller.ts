/**
 * The core's face to the shell, the browser bridge and the CLI, and the one place its parts are wired: the
 * household model fed by discovery and player connections, the one delivery path (`Delivery`: local first, cloud
 * fallback, coalescing, holds, replay), and the intents by family — volume, playback, rooms, music, home theater —
 * each a small class over that path. The volume and transport methods of the first version stay here as one-line
 * delegates for their callers.
 */
import { EventEmitter } from 'node:events';
import type { LookupFunction } from 'node:net';
import { arch, platform, release } from 'node:os';
import type { PlaybackAction } from '../contract/ipc';
import type {
  AccountStatus,
  ConnectionState,
  Diagnostics,
  HouseholdPatch,
  HouseholdSnapshot,
  Settings,
  SettingsUpdate,
  Transport,
} from '../contract/model';
import { Delivery, type CloudTransport } from './delivery/delivery';
import { Discovery, type FoundPlayer } from './discovery/discovery';
import type { DiscoverySource } from './discovery/source';
import { AppError } from './errors';
import { HouseholdModel } from './household/household-model';
import { HomeTheaterIntents } from './intents/home-theater-intents';
import type { IntentContext } from './intents/intent-context';
import { MusicIntents } from './intents/music-intents';
import { PlaybackIntents } from './intents/playback-intents';
import { RoomIntents } from './intents/room-intents';
import { VolumeIntents } from './intents/volume-intents';
import type { Logger } from './logger';
import { LocalNetwork, type LocalNetworkOptions } from './sonos/local/local-network';
import type { FetchInfoOptions, PlayerInfo } from './sonos/local/player-info';
import { TlsTrust } from './sonos/local/tls-trust';
import type { DataStore } from './store/data-store';

export type { CloudTransport } from './delivery/delivery';
export interface ControllerOptions {
  store: DataStore;
  logger: Logger;
  /** PEM of a CA to verify players against, instead of pinning each player's certificate. */
  ca?: string | Buffer | null;
  discoverySources?: DiscoverySource[];
  /** Skip discovery entirely (CLI `--host`): only these addresses. */
  hostsOnly?: string[];
  /**
   * Addresses always asked besides the user's own (the demo's simulated household); never saved, and the user's
   * addresses are asked as well.
   */
  fixedHosts?: string[];
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

export class Controller extends EventEmitter<Events> {
  readonly model: HouseholdModel;
  readonly network: LocalNetwork;
  readonly discovery: Discovery;
  readonly trust: TlsTrust;
  readonly delivery: Delivery;
  readonly volumes: VolumeIntents;
  readonly transport: PlaybackIntents;
  readonly rooms: RoomIntents;
  readonly music: MusicIntents;
  readonly homeTheater: HomeTheaterIntents;
  /** Coordinators of the groups the last "Pause all" paused, for "Resume". */
  private pausedByPauseAll: string[] = [];
  private started = false;
  private stopped = false;

  constructor(private readonly options: ControllerOptions) {
    super();
    const { store, logger } = options;
    this.trust = new TlsTrust(store, options.ca ?? null);
    this.model = new HouseholdModel({ nickname: (id) => store.nickname(id) });
    this.network = new LocalNetwork({
      model: this.model,
      trust: this.trust,
      logger: logger.child('local'),
      ...(options.connection ? { connection: options.connection } : {}),
    });
    this.delivery = new Delivery({
      network: this.network,
      logger,
      cloud: options.cloud ?? null,
      preferCloud: () => options.preferCloud ?? store.settings.preferCloud,
      replayIntents: options.replayIntents !== false,
    });
    const context: IntentContext = {
      model: this.model,
      delivery: this.delivery,
      network: this.network,
      logger,
    };
    this.volumes = new VolumeIntents(context);
    this.transport = new PlaybackIntents(context);
    this.rooms = new RoomIntents(context);
    this.music = new MusicIntents(context);
    this.homeTheater = new HomeTheaterIntents(context);
    const settings = store.settings;
    this.discovery = new Discovery({
      trust: this.trust,
      logger: logger.child('discovery'),
      sources: options.hostsOnly ? [] : (options.discoverySources ?? []),
      manualHosts: options.hostsOnly ?? [...(options.fixedHosts ?? []), ...settings.manualHosts],
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
    this.network.on('playerOpen', () => this.delivery.replayWaiting());
    // A speaker that dropped may have a new address (a DHCP renew): ask the network again (at most every 2 s).
    this.network.on('playerLost', () => {
      if (!this.stopped) this.discovery.rescan();
    });
    this.network.on('groups', (householdId) => {
      if (this.stopped) return;
      this.rememberHousehold(householdId);
      this.delivery.replayWaiting();
    });
    this.network.on('catalog', (householdId, kind, version) => {
      if (!this.stopped) this.music.onVersion(householdId, kind, version);
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
    this.delivery.stop();
    this.discovery.stop();
    this.network.stop();
    this.volumes.stop();
    this.model.dispose();
    this.removeAllListeners();
  }

  /**
   * The account's cloud path (null while nobody is signed in) and the account's state, which decides how a
   * speaker's trouble is worded: a refusal the cloud works around is no trouble, "sign in again" is not "sign in".
   */
  setCloud(cloud: CloudTransport | null, status: AccountStatus = cloud ? 'signedIn' : 'signedOut'): void {
    this.delivery.cloud = cloud;
    this.network.setAccount({
      status,
      covers: (householdId) => this.delivery.cloud?.canControl(householdId) ?? false,
    });
    this.updateHouseholdTransports();
  }

  snapshot(): HouseholdSnapshot {
    return this.model.snapshot();
  }

  /** The host (IP or name, without port) we reach a player at on the LAN, or null when it has no connection. */
  playerHost(playerId: string): string | null {
    const link = this.network.connectionInfo(playerId);
    if (!link) return null;
    try {
      return new URL(link.address).hostname.replace(/^\[|\]$/g, '') || null;
    } catch {
      return null;
    }
  }

  /** Counters of the coalescing lanes, for diagnostics and benchmarks. */
  stats(): { sent: number; superseded: number; maxInFlight: number } {
    return this.delivery.stats();
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
          !this.delivery.cloud &&
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
  // Intents of the first version (delegates; new intents live in their families: `rooms`, `music`, …)

  setGroupVolume(groupId: string, volume: number): Promise<void> {
    return this.volumes.setGroupVolume(groupId, volume);
  }
  adjustGroupVolume(groupId: string, delta: number): Promise<void> {
    return this.volumes.adjustGroupVolume(groupId, delta);
  }
  setGroupMute(groupId: string, muted: boolean): Promise<void> {
    return this.volumes.setGroupMute(groupId, muted);
  }
  setPlayerVolume(playerId: string, volume: number): Promise<void> {
    return this.volumes.setPlayerVolume(playerId, volume);
  }
  adjustPlayerVolume(playerId: string, delta: number): Promise<void> {
    return this.volumes.adjustPlayerVolume(playerId, delta);
  }
  setPlayerMute(playerId: string, muted: boolean): Promise<void> {
    return this.volumes.setPlayerMute(playerId, muted);
  }
  /** Transport buttons run in order per group: three presses of Next skip three tracks. */
  playback(groupId: string, action: PlaybackAction): Promise<void> {
    return this.transport.playback(groupId, action);
  }

  /** "Pause all" from the tray or the popover; remembers which groups it paused for `resumeAll`. */
  async pauseAll(): Promise<number> {
    const result = await this.transport.pauseAll();
    if (result.paused.length > 0) this.pausedByPauseAll = result.paused;
    if (result.paused.length === 0 && result.failed[0]) throw result.failed[0].error;
    return result.paused.length;
  }

  /** "Resume": plays again only what the last "Pause all" paused (and is still paused). */
  async resumeAll(): Promise<number> {
    const ids = this.pausedByPauseAll;
    this.pausedByPauseAll = [];
    return (await this.transport.resumeAll(ids)).resumed.length;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Settings and maintenance

  get settings(): Settings {
    return this.options.store.settings;
  }

  updateSettings(update: SettingsUpdate): Settings {
    const settings = this.options.store.updateSettings(update);
    if (update.manualHosts !== undefined && !this.options.hostsOnly)
      this.discovery.setManualHosts([...(this.options.fixedHosts ?? []), ...settings.manualHosts]);
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
      account: { status: accountStatus, lastTransport: this.delivery.lastTransport },
    };
  }

  // ---------------------------------------------------------------------------------------------------------

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
        : this.delivery.cloud?.canControl(householdId)
          ? 'cloud'
          : null;
      this.model.setHouseholdTransport(householdId, transport);
    }
  }
}

const away = (connection: ConnectionState | undefined): boolean =>
  connection === 'offline' || connection === 'refused' || connection === 'untrusted';

function hostOf(url: string): string | null {
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}
