/**
 * Everything we do with players on the LAN: one connection per player, the subscriptions each needs (its own
 * volume; group volume, playback and metadata on coordinators; the household's groups, favorites and playlists on
 * one "primary" socket), events fed into the household model (`local-events.ts`), home-theater options read from
 * the speakers that have them, and commands routed to the socket that accepts them — re-routed once when a player
 * answers that the coordinator moved or the group is gone.
 */
import { EventEmitter } from 'node:events';
import type * as v from 'valibot';
import type { ConnectionState } from '../../../contract/model';
import { refuseReportedUrl } from '../../address-scope';
import { isHouseholdCommand, toLocalFrame, type Command } from '../../commands/command';
import { AppError } from '../../errors';
import { usableId, type HouseholdModel } from '../../household/household-model';
import type { Logger } from '../../logger';
import { localControlRefused, NO_ACCOUNT, type AccountView } from '../../transport-messages';
import { NS } from '../constants';
import { toGroupsUpdate } from '../normalize';
import {
  CoordinatorChangedBodySchema,
  GlobalErrorBodySchema,
  GroupsBodySchema,
  HomeTheaterBodySchema,
  readBody,
  type CommandTarget,
  type ParsedFrame,
} from './frames';
import { applyEvent } from './local-events';
import {
  PlayerConnection,
  type LinkState,
  type PlayerConnectionOptions,
  type Reply,
} from './player-connection';
import type { TlsTrust } from './tls-trust';

export interface KnownPlayer {
  playerId: string;
  householdId: string;
  websocketUrl: string;
  name: string | null;
}

type ConnectionTuning = Partial<
  Pick<
    PlayerConnectionOptions,
    'commandTimeoutMs' | 'connectTimeoutMs' | 'keepAliveMs' | 'backoffInitialMs' | 'backoffMaxMs' | 'lookup'
  >
>;

export interface LocalNetworkOptions {
  model: HouseholdModel;
  trust: TlsTrust;
  logger: Logger;
  connection?: ConnectionTuning;
}

type Events = {
  /** A player's socket opened (again): a cue to replay intents that could not land. */
  playerOpen: [playerId: string];
  /** An open socket to a player dropped: it may have moved (a DHCP renew), a cue to look for it again. */
  playerLost: [playerId: string];
  /** A household's groups arrived or changed. */
  groups: [householdId: string];
  /** A household's favorites or playlists changed (only the new version is told). */
  catalog: [householdId: string, kind: 'favorites' | 'playlists', version: string];
  /** Something that diagnostics shows changed. */
  changed: [];
};

const GROUP_NAMESPACES = [NS.groupVolume, NS.playback, NS.playbackMetadata] as const;
/** Household-scoped subscriptions, held by one socket per household. */
const HOUSEHOLD_NAMESPACES = [NS.groups, NS.favorites, NS.playlists] as const;

export class LocalNetwork extends EventEmitter<Events> {
  private readonly connections = new Map<string, PlayerConnection>();
  /** Addresses we reached players at ourselves (discovery, manual), preferred over reported ones. */
  private readonly preferredUrls = new Map<string, string>();
  private readonly primaries = new Map<string, string>();
  private readonly groupsReceived = new Set<string>();
  private readonly refreshing = new Map<string, Promise<void>>();
  /**
   * Players that refused commands (e.g. a household with authentication switched on), with the player's reason.
   * The message is worded when it is shown, from the account's state at that moment.
   */
  private readonly refusals = new Map<string, string | null>();
  private account: AccountView = NO_ACCOUNT;
  /**
   * The household each player's socket speaks for. From `/players/local/info` over the pinned connection for
   * players we found; from the `groups` of the household that listed it for the others. A frame naming another
   * household is dropped: any device can claim to be a player of its own household, never of ours.
   */
  private readonly bound = new Map<string, string>();
  /** Players whose household `/players/local/info` told us (over the pinned connection). */
  private readonly verified = new Map<string, string>();
  /** What we already said in the log about a misbehaving player, so a flood is one line. */
  private readonly said = new Set<string>();
  /** Home-theater speakers whose options were read on their current socket. */
  private readonly homeTheaterRead = new Set<string>();
  private stopped = false;

  constructor(private readonly options: LocalNetworkOptions) {
    super();
  }

  private get model(): HouseholdModel {
    return this.options.model;
  }

  /** A player found by discovery or typed by the user. */
  addPlayer(player: KnownPlayer): void {
    if (this.stopped || !usableId(player.playerId) || !usableId(player.householdId)) return;
    this.verified.set(player.playerId, player.householdId);
    const bound = this.bound.get(player.playerId);
    if (bound !== undefined && bound !== player.householdId) {
      // The speaker itself says it moved to another household (reset, or set up again): start over there.
      this.options.logger.info('a player is now in another household', {
        playerId: player.playerId,
        householdId: player.householdId,
      });
      this.disconnect(player.playerId);
    }
    this.preferredUrls.set(player.playerId, player.websocketUrl);
    this.model.addPlayer(player.playerId, player.householdId, player.name, player.websocketUrl);
    this.connect(player.playerId, player.householdId, player.websocketUrl);
  }

  hasPlayer(playerId: string): boolean {
    return this.connections.has(playerId);
  }

  /** Households whose groups we know; the household model is complete for them. */
  hasGroups(householdId: string): boolean {
    return this.groupsReceived.has(householdId);
  }

  isOpen(playerId: string): boolean {
    return this.connections.get(playerId)?.state === 'open';
  }

  /** True when a household can be controlled locally right now (some socket is open and not refused). */
  householdReachable(householdId: string): boolean {
    for (const [playerId, connection] of this.connections) {
      const player = this.model.playerRecord(playerId);
      if (player?.householdId === householdId && connection.state === 'open' && !this.refusals.has(playerId))
        return true;
    }
    return false;
  }

  connectionInfo(playerId: string): { state: LinkState; address: string; error: AppError | null } | null {
    const connection = this.connections.get(playerId);
    if (!connection) return null;
    return {
      state: connection.state,
      address: connection.address,
      error: this.refusalOf(playerId) ?? connection.lastError,
    };
  }

  /**
   * The account changed (signed in or out, households listed): what each player's trouble means changes with it,
   * so every player's state is worded again.
   */
  setAccount(account: AccountView): void {
    this.account = account;
    for (const playerId of this.connections.keys()) this.updatePlayerState(playerId);
  }

  /** Try every waiting connection now (network came back, computer woke, user asked). */
  reconnectAll(): void {
    for (const connection of this.connections.values()) connection.reconnectNow();
  }

  reconnect(playerId: string): void {
    this.connections.get(playerId)?.reconnectNow();
  }

  stop(): void {
    this.stopped = true;
    for (const connection of this.connections.values()) {
      connection.removeAllListeners();
      connection.stop();
    }
    this.connections.clear();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Commands

  /**
   * Sends a command to the socket that accepts it. When the player says the coordinator moved or the group is
   * gone, refreshes the household's groups and tries once more at the right place.
   */
  async execute(command: Command): Promise<void> {
    const first = await this.sendOnce(command);
    if (first.outcome === 'done') return;
    if (first.outcome === 'moved') {
      await this.refreshGroups(first.householdId);
      const retargeted = this.retarget(command, first);
      const second = await this.sendOnce(retargeted);
      if (second.outcome === 'done') return;
      throw new AppError('refused', 'The speakers were regrouped; try again.', {
        retryable: true,
        details: { technical: `still ${second.outcome} after re-routing ${command.kind}` },
      });
    }
  }

  /** Which player a command goes to, and in which household. */
  route(command: Command): { playerId: string; householdId: string; groupId?: string } {
    if (isHouseholdCommand(command)) {
      // Household commands go to any player of the household we can talk to; the primary first.
      const { householdId } = command;
      const playerId =
        this.openConnectionIn(householdId)?.playerId ??
        this.model.playerIds().find((id) => this.model.playerRecord(id)?.householdId === householdId);
      if (!playerId) throw new AppError('not-found', 'That household has no speakers we know.');
      return { playerId, householdId: command.householdId };
    }
    if ('playerId' in command) {
      const player = this.model.playerRecord(command.playerId);
      if (!player) throw new AppError('not-found', 'That speaker is no longer in your household.');
      return { playerId: player.id, householdId: player.householdId };
    }
    const group = this.model.groupRecord(this.model.resolveGroupId(command.groupId));
    if (!group) throw new AppError('not-found', 'That group no longer exists.');
    return { playerId: group.coordinatorId, householdId: group.householdId, groupId: group.id };
  }

  private async sendOnce(
    command: Command,
  ): Promise<
    | { outcome: 'done' }
    | { outcome: 'moved'; householdId: string; oldCoordinator: string; newCoordinator: string | null }
  > {
    const target = this.route(command);
    const connection = this.connections.get(target.playerId);
    if (!connection) {
      throw new AppError('unreachable', 'That speaker is not connected.', {
        retryable: true,
        details: { technical: `no connection to ${target.playerId}` },
      });
    }
    const frame = toLocalFrame(command);
    const reply = await connection.send(
      frame.namespace,
      frame.name,
      isHouseholdCommand(command)
        ? { householdId: target.householdId }
        : target.groupId !== undefined
          ? { householdId: target.householdId, groupId: target.groupId }
          : { householdId: target.householdId, playerId: target.playerId },
      frame.body,
    );
    if (reply.ok) {
      if (this.refusals.delete(target.playerId)) this.updatePlayerState(target.playerId);
      return { outcome: 'done' };
    }
    const moved = readBody(CoordinatorChangedBodySchema, reply.body);
    if (reply.header.type === 'groupCoordinatorChanged' && moved) {
      return {
        outcome: 'moved',
        householdId: target.householdId,
        oldCoordinator: target.playerId,
        newCoordinator: moved.groupStatus === 'GROUP_STATUS_MOVED' ? (moved.playerId ?? null) : null,
      };
    }
    throw this.refusal(target.playerId, reply);
  }

  private retarget(
    command: Command,
    moved: { oldCoordinator: string; newCoordinator: string | null },
  ): Command {
    if (!('groupId' in command)) return command;
    // Follow the group by who leads it now, or else by a member that was in it.
    const groups = this.model.groupIds().map((id) => this.model.groupRecord(id)!);
    const byCoordinator = moved.newCoordinator
      ? groups.find((g) => g.coordinatorId === moved.newCoordinator)
      : undefined;
    const byMember = groups.find((g) => g.playerIds.includes(moved.oldCoordinator));
    const next = byCoordinator ?? byMember;
    if (!next) throw new AppError('not-found', 'That group no longer exists.');
    return { ...command, groupId: next.id };
  }

  private refusal(playerId: string, reply: Reply): AppError {
    const error = readBody(GlobalErrorBodySchema, reply.body);
    const code = error?.errorCode ?? reply.header.type ?? 'unknown';
    if (code === 'ERROR_NO_PERMISSION') return this.refuseLocalControl(playerId, error?.reason ?? null);
    const players = error?.playerIds?.length ? ` (players ${error.playerIds.join(', ')})` : '';
    if (code === 'ERROR_DISALLOWED_BY_POLICY')
      return new AppError('not-allowed', 'What is playing does not allow that.', {
        details: { code, description: error?.reason ?? null },
      });
    return new AppError('refused', 'The speaker refused the command.', {
      details: {
        code,
        description: error?.reason ?? null,
        technical: `${reply.header.response ?? ''}${players}`,
      },
    });
  }

  /** The household forbids local control (`ERROR_NO_PERMISSION`): remember it for this player and say so. */
  private refuseLocalControl(playerId: string, reason: string | null): AppError {
    this.refusals.set(playerId, reason);
    this.updatePlayerState(playerId);
    return this.refusalOf(playerId)!;
  }

  private refusalOf(playerId: string): AppError | null {
    if (!this.refusals.has(playerId)) return null;
    const householdId = this.model.playerRecord(playerId)?.householdId ?? '';
    return new AppError('refused', localControlRefused(this.account, householdId), {
      details: { code: 'ERROR_NO_PERMISSION', description: this.refusals.get(playerId) ?? null },
    });
  }

  /**
   * A read (`getFavorites`, `getOptions`…) on the socket that answers for `target`: the player's own for a player,
   * any open one of the household for the household. Resolves with the body; a refusal is an `AppError`.
   */
  async read(
    namespace: string,
    command: string,
    target: CommandTarget,
    body: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const connection =
      target.playerId !== undefined
        ? this.connections.get(target.playerId)
        : this.openConnectionIn(target.householdId);
    if (!connection) {
      throw new AppError('unreachable', 'No speaker of this household is connected right now.', {
        retryable: true,
        details: { technical: `${namespace} ${command}: no connection` },
      });
    }
    const reply = await connection.send(namespace, command, target, body);
    if (!reply.ok) throw this.refusal(connection.playerId, reply);
    return reply.body;
  }

  /** Asks for the household's groups and applies them; concurrent callers share one request. */
  refreshGroups(householdId: string): Promise<void> {
    const running = this.refreshing.get(householdId);
    if (running) return running;
    const run = (async () => {
      const connection = this.openConnectionIn(householdId);
      if (!connection) return;
      const reply = await connection.send(NS.groups, 'getGroups', { householdId });
      if (!reply.ok) return;
      if (reply.header.householdId !== undefined && reply.header.householdId !== householdId) {
        this.foreignHousehold(connection.playerId, reply.header.householdId);
        return;
      }
      this.applyGroups(householdId, reply.body, connection.playerId);
    })().finally(() => this.refreshing.delete(householdId));
    this.refreshing.set(householdId, run);
    return run;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Connections and subscriptions

  private connect(playerId: string, householdId: string, url: string): void {
    const existing = this.connections.get(playerId);
    if (existing) {
      existing.setUrl(url);
      return;
    }
    this.bound.set(playerId, householdId);
    const connection = new PlayerConnection({
      url,
      playerId,
      trust: this.options.trust,
      logger: this.options.logger.child(playerId),
      ...this.options.connection,
    });
    this.connections.set(playerId, connection);
    connection.subscribe({ namespace: NS.playerVolume, target: { householdId, playerId } });
    let wasOpen = false;
    connection.on('state', () => {
      const open = connection.state === 'open';
      if (wasOpen && !open && connection.state !== 'stopped') this.emit('playerLost', playerId);
      wasOpen = open;
      if (connection.state !== 'open') this.homeTheaterRead.delete(playerId);
      this.updatePlayerState(playerId);
      if (connection.state !== 'open' && this.primaries.get(householdId) === playerId)
        this.electPrimary(householdId);
      this.emit('changed');
    });
    connection.on('open', () => {
      if (!this.primaries.has(householdId)) this.electPrimary(householdId);
      this.readHomeTheater(playerId);
      this.emit('playerOpen', playerId);
    });
    connection.on('frame', (frame) => this.onFrame(playerId, frame));
    // The player accepted a subscription: local control works (again), whatever it refused before.
    connection.on('accepted', () => {
      if (!this.refusals.delete(playerId)) return;
      this.updatePlayerState(playerId);
      this.emit('changed');
    });
    connection.start();
  }

  private disconnect(playerId: string): void {
    const connection = this.connections.get(playerId);
    if (!connection) return;
    connection.removeAllListeners();
    connection.stop();
    this.connections.delete(playerId);
    this.refusals.delete(playerId);
    this.bound.delete(playerId);
    this.homeTheaterRead.delete(playerId);
    for (const [householdId, primary] of this.primaries)
      if (primary === playerId) this.electPrimary(householdId);
  }

  private openConnectionIn(householdId: string): PlayerConnection | null {
    const primary = this.primaries.get(householdId);
    const preferred = primary ? this.connections.get(primary) : undefined;
    if (preferred?.state === 'open') return preferred;
    for (const [playerId, connection] of this.connections) {
      if (connection.state === 'open' && this.bound.get(playerId) === householdId) return connection;
    }
    return null;
  }

  /** One open socket per household subscribes to `groups`, `favorites` and `playlists`. */
  private electPrimary(householdId: string): void {
    const old = this.primaries.get(householdId);
    const oldConnection = old ? this.connections.get(old) : undefined;
    const next = this.openConnectionIn(householdId);
    if (next && next === oldConnection) return;
    for (const namespace of HOUSEHOLD_NAMESPACES)
      oldConnection?.unsubscribe({ namespace, target: { householdId } });
    if (!next) {
      this.primaries.delete(householdId);
      return;
    }
    this.primaries.set(householdId, next.playerId);
    for (const namespace of HOUSEHOLD_NAMESPACES) next.subscribe({ namespace, target: { householdId } });
  }

  /**
   * Night sound and speech enhancement are read once per socket of a home-theater speaker: peers report that its
   * `homeTheater` subscription never sends events, so a read (and the answer to our own writes) is all there is.
   */
  private readHomeTheater(playerId: string): void {
    const player = this.model.playerRecord(playerId);
    if (!player?.homeTheater || !this.isOpen(playerId) || this.homeTheaterRead.has(playerId)) return;
    this.homeTheaterRead.add(playerId);
    this.read(NS.homeTheater, 'getOptions', { householdId: player.householdId, playerId })
      .then((body) => {
        const options = readBody(HomeTheaterBodySchema, body);
        if (options) this.model.applyHomeTheater(playerId, options);
      })
      .catch((error: unknown) => {
        this.homeTheaterRead.delete(playerId);
        this.options.logger.debug('home-theater options not read', { playerId, error });
      });
  }

  /** Coordinators subscribe to their group's volume, playback and metadata; nobody else does. */
  private syncGroupSubscriptions(householdId: string): void {
    const wanted = new Map<string, string>();
    for (const groupId of this.model.groupIds()) {
      const group = this.model.groupRecord(groupId)!;
      if (group.householdId === householdId) wanted.set(groupId, group.coordinatorId);
    }
    for (const [playerId, connection] of this.connections) {
      if (this.model.playerRecord(playerId)?.householdId !== householdId) continue;
      // Subscriptions to groups that are gone die with the group on the player; forget them quietly.
      connection.unsubscribeWhere(
        (s) => s.target.groupId !== undefined && !wanted.has(s.target.groupId),
        false,
      );
      connection.unsubscribeWhere(
        (s) => s.target.groupId !== undefined && wanted.get(s.target.groupId) !== playerId,
      );
    }
    for (const [groupId, coordinatorId] of wanted) {
      const connection = this.connections.get(coordinatorId);
      if (!connection) continue;
      for (const namespace of GROUP_NAMESPACES)
        connection.subscribe({ namespace, target: { householdId, groupId } });
    }
  }

  private updatePlayerState(playerId: string): void {
    const connection = this.connections.get(playerId);
    if (!connection) return;
    const refusal = this.refusalOf(playerId);
    const state = refusal ? 'refused' : toConnectionState(connection.state, connection.lastError);
    // Refused or away on the LAN, but the signed-in account reaches the household: commands go through the cloud
    // (Controller.run), so that is the player's state, not a problem to show.
    const householdId = this.model.playerRecord(playerId)?.householdId;
    if ((state === 'refused' || state === 'offline') && householdId && this.account.covers(householdId)) {
      this.model.setPlayerConnection(playerId, 'cloud', null);
      return;
    }
    const problem =
      refusal ?? (state === 'connected' || state === 'connecting' ? null : connection.lastError);
    this.model.setPlayerConnection(playerId, state, problem?.toPayload() ?? null);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Events

  /**
   * Applies one parsed frame from a player, as its connection does for every frame it receives. Public for the
   * benchmark, which measures this path without a socket in between.
   */
  ingest(playerId: string, frame: ParsedFrame): void {
    this.onFrame(playerId, frame);
  }

  private onFrame(playerId: string, frame: ParsedFrame): void {
    const householdId = this.bound.get(playerId);
    if (householdId === undefined) return;
    if (frame.header.householdId !== undefined && frame.header.householdId !== householdId) {
      this.foreignHousehold(playerId, frame.header.householdId);
      return;
    }
    const outcome = applyEvent(this.model, playerId, householdId, frame);
    switch (outcome?.kind) {
      case 'groups':
        return this.applyGroups(householdId, outcome.body, playerId);
      case 'refreshGroups':
        return void this.refreshGroups(householdId).catch(() => {});
      case 'catalog':
        return void this.emit('catalog', householdId, outcome.catalog, outcome.version);
      case 'noPermission':
        this.refuseLocalControl(playerId, outcome.reason);
        this.emit('changed');
        return;
      default:
        return;
    }
  }

  /** Logs a misbehaviour once per player and kind, however often it repeats. */
  private sayOnce(key: string, message: string, fields: Record<string, unknown>): void {
    if (this.said.has(key)) return;
    if (this.said.size >= 1_000) this.said.clear();
    this.said.add(key);
    this.options.logger.warn(message, fields);
  }

  private foreignHousehold(playerId: string, named: string): void {
    this.sayOnce(`foreign:${playerId}:${named}`, 'dropped frames naming another household', {
      playerId,
      householdId: named,
      speaksFor: this.bound.get(playerId),
    });
  }

  private applyGroups(householdId: string, raw: Record<string, unknown>, from: string): void {
    const parsed = readBody(GroupsBodySchema, raw);
    if (!parsed) {
      this.options.logger.warn('ignored a groups body of unexpected shape', { householdId });
      return;
    }
    const body = this.screenGroups(householdId, parsed, from);
    const diff = this.model.applyGroups(householdId, toGroupsUpdate(body, { addresses: true }));
    for (const playerId of diff.removedPlayers) this.disconnect(playerId);
    for (const p of body.players) {
      const url = this.preferredUrls.get(p.id) ?? p.websocketUrl;
      if (url) this.connect(p.id, householdId, url);
    }
    this.syncGroupSubscriptions(householdId);
    for (const p of body.players) this.readHomeTheater(p.id);
    this.groupsReceived.add(householdId);
    this.emit('groups', householdId);
    this.emit('changed');
  }

  /**
   * What of a `groups` body we believe: players that belong to another household (found there, or connected for
   * it) are left out, and so are groups they lead; a `websocketUrl` is kept only where a speaker can be.
   */
  private screenGroups(householdId: string, body: GroupsBody, from: string): GroupsBody {
    const reached = this.connections.get(from)?.address;
    const reachedHost = reached ? hostnameOf(reached) : null;
    const elsewhere = (id: string): boolean => {
      const home = this.verified.get(id) ?? this.bound.get(id);
      return home !== undefined && home !== householdId;
    };
    const players: GroupsBody['players'] = [];
    for (const player of body.players) {
      if (!usableId(player.id)) {
        this.sayOnce(`unusable:${from}:${player.id}`, 'ignored a player with an id we cannot show', {
          playerId: from,
          listed: player.id,
        });
        continue;
      }
      if (elsewhere(player.id)) {
        this.sayOnce(`claimed:${from}:${player.id}`, 'ignored a player listed by another household', {
          playerId: from,
          listed: player.id,
          householdId,
        });
        continue;
      }
      const { websocketUrl, ...rest } = player;
      const why =
        websocketUrl === undefined
          ? null
          : reachedHost === null
            ? 'the reporting player has no address'
            : refuseReportedUrl(websocketUrl, reachedHost);
      if (why === null) {
        players.push(player);
        continue;
      }
      this.sayOnce(`url:${from}:${player.id}:${websocketUrl}`, 'refused an address a player reported', {
        playerId: from,
        listed: player.id,
        url: websocketUrl?.slice(0, 200),
        reason: why,
      });
      players.push(rest);
    }
    const listed = new Set(players.map((p) => p.id));
    const groups = body.groups
      .filter((g) => !elsewhere(g.coordinatorId))
      .map((g) => ({ ...g, playerIds: g.playerIds.filter((id) => listed.has(id) || !elsewhere(id)) }));
    return { ...body, groups, players };
  }
}

type GroupsBody = v.InferOutput<typeof GroupsBodySchema>;

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

function toConnectionState(state: LinkState, error: AppError | null): ConnectionState {
  if (state === 'open') return 'connected';
  if (state === 'connecting' || state === 'idle') return error ? 'offline' : 'connecting';
  if (error?.code === 'untrusted-certificate') return 'untrusted';
  if (error?.code === 'refused') return 'refused';
  return 'offline';
}
