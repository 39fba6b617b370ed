/**
 * The normalised household state the popover draws: households → groups → players, keyed by id, built from
 * player events. Player ids are stable; group ids change whenever groups change, so per-group facts (volume,
 * playback, play modes, metadata) are carried to the new id of a group led by the same coordinator until fresh
 * events arrive.
 *
 * Changes are batched per tick into one patch with a revision number. Values the user just set are held
 * (optimistic, `OptimisticFields`) until the player echoes them or a grace period ends, and a regroup the user
 * asked for is drawn at once (`MembershipHolds`) until the players' `groups` event shows it.
 */
import type {
  AppErrorPayload,
  ConnectionState,
  FavoritesList,
  Group,
  Household,
  HouseholdPatch,
  HouseholdSnapshot,
  NowPlaying,
  PlaybackActions,
  Player,
  PlaylistsList,
  Transport,
} from '../../contract/model';
import {
  type GroupRecord,
  type GroupsDiff,
  type GroupsUpdate,
  type HouseholdRecord,
  type PlaybackStatus,
  type PlayerRecord,
} from './household-types';
import { positionAt, rebase, SeekHolds } from './group-clock';
import { HandOvers } from './hand-overs';
import { groupView, householdView, playerView, type ViewContext } from './household-views';
import { MembershipHolds } from './membership-holds';
import {
  GROUP_FIELDS,
  isPlayerField,
  OptimisticFields,
  PLAYER_FIELDS,
  type FieldKind,
  type FieldValue,
} from './optimistic-fields';
import { PatchBatcher } from './patch-batcher';
import { newPlayer, reconcileGroups } from './reconcile-groups';

/**
 * Ids the contract's records cannot carry: valibot leaves `__proto__`, `constructor` and `prototype` out of every
 * record it checks (its guard against prototype pollution), so a household, group or player by one of these names
 * could never reach the popover and would break the picture of the others. Real ids look like `RINCON_…` and
 * `Sonos_…`; the model takes no entity by these names. Every other id, `toString` included, is an id like any.
 */
const UNUSABLE_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const usableId = (id: string): boolean => !UNUSABLE_IDS.has(id);

export type { FieldKind } from './optimistic-fields';
export type { GroupsDiff, GroupsUpdate, PlaybackStatus } from './household-types';

export interface HouseholdModelOptions {
  nickname?: (playerId: string) => string | undefined;
  now?: () => number;
  /** How long a released hold waits for the player's echo before showing the last confirmed value. */
  holdGraceMs?: number;
  /** How long a regroup is drawn after its command landed if no `groups` event shows it. */
  membershipGraceMs?: number;
}

export class HouseholdModel {
  private readonly households = new Map<string, HouseholdRecord>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly players = new Map<string, PlayerRecord>();
  private readonly fields: OptimisticFields;
  private readonly moves: MembershipHolds;
  /** Old group id → new id, for intents aimed at a group that was just regrouped under the same coordinator. */
  private readonly renamed = new Map<string, string>();
  private discovery: 'searching' | 'idle' = 'searching';
  private readonly patches: PatchBatcher;
  private readonly nickname: (playerId: string) => string | undefined;
  private readonly now: () => number;
  private readonly seeks = new SeekHolds();
  private readonly handOvers: HandOvers;
  private readonly views: ViewContext;

  constructor(options: HouseholdModelOptions = {}) {
    this.patches = new PatchBatcher({
      household: (id) => this.household(id),
      group: (id) => this.group(id),
      player: (id) => this.player(id),
      discovery: () => this.discovery,
    });
    this.nickname = options.nickname ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.handOvers = new HandOvers(this.now);
    this.fields = new OptimisticFields({
      now: this.now,
      holdGraceMs: options.holdGraceMs ?? 1_000,
      changed: (kind, id, previous) => this.fieldChanged(kind, id, previous),
    });
    this.moves = new MembershipHolds({
      graceMs: options.membershipGraceMs ?? 3_000,
      changed: () => {
        for (const id of this.groups.keys()) this.patches.group(id);
      },
    });
    this.views = {
      fields: this.fields,
      moves: this.moves,
      nickname: this.nickname,
      sonosName: (id) => this.players.get(id)?.sonosName,
    };
  }

  onPatch(listener: (patch: HouseholdPatch) => void): () => void {
    return this.patches.onPatch(listener);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reading

  snapshot(): HouseholdSnapshot {
    this.flush();
    // Built with `Object.fromEntries`: every id becomes an own property, whatever it is called.
    return {
      revision: this.patches.revision,
      discovery: this.discovery,
      households: Object.fromEntries([...this.households.keys()].map((id) => [id, this.household(id)!])),
      groups: Object.fromEntries([...this.groups.keys()].map((id) => [id, this.group(id)!])),
      players: Object.fromEntries([...this.players.keys()].map((id) => [id, this.player(id)!])),
    };
  }

  group(id: string): Group | null {
    const record = this.groups.get(id);
    return record ? groupView(this.views, record) : null;
  }

  player(id: string): Player | null {
    const record = this.players.get(id);
    return record ? playerView(this.views, record) : null;
  }

  household(id: string): Household | null {
    const record = this.households.get(id);
    return record ? householdView(record) : null;
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }
  playerIds(): string[] {
    return [...this.players.keys()];
  }
  householdIds(): string[] {
    return [...this.households.keys()];
  }
  /** Raw facts the controller routes by (the real grouping, without moves still on their way). */
  groupRecord(id: string): Readonly<GroupRecord> | undefined {
    return this.groups.get(id);
  }
  playerRecord(id: string): Readonly<PlayerRecord> | undefined {
    return this.players.get(id);
  }
  householdRecord(id: string): Readonly<HouseholdRecord> | undefined {
    return this.households.get(id);
  }
  /** The group a player is in now (the real grouping). */
  groupOfPlayer(playerId: string): Readonly<GroupRecord> | undefined {
    for (const group of this.groups.values()) if (group.playerIds.includes(playerId)) return group;
    return undefined;
  }
  /** The id a group has now, following regroups that kept its coordinator. */
  resolveGroupId(id: string): string {
    let current = id;
    for (let hops = 0; hops < 16 && !this.groups.has(current); hops++) {
      const next = this.renamed.get(current);
      if (next === undefined) break;
      current = next;
    }
    return current;
  }

  /** The value the player last confirmed, ignoring optimistic holds. */
  confirmed<T>(kind: FieldKind, id: string): T | undefined {
    return this.fields.confirmed<T>(kind, id);
  }

  /** Where the group's track is now by the model's clock (null when unknown). */
  positionNow(groupId: string): number | null {
    const record = this.groups.get(groupId);
    if (!record) return null;
    return positionAt(record, this.fields.shown('playback', groupId) === 'playing', this.now());
  }

  // ---------------------------------------------------------------------------------------------------------
  // Facts from players

  ensureHousehold(id: string): void {
    if (this.households.has(id) || !usableId(id)) return;
    this.households.set(id, { id, transport: null, favorites: null, playlists: null });
    this.patches.household(id);
  }

  setHouseholdTransport(id: string, transport: Transport | null): void {
    const record = this.households.get(id);
    if (!record || record.transport === transport) return;
    record.transport = transport;
    this.patches.household(id);
  }

  /** The household's favorites or playlists as Sonos listed them (replaced whole; the version says which). */
  applyCatalog(id: string, kind: 'favorites', list: FavoritesList): void;
  applyCatalog(id: string, kind: 'playlists', list: PlaylistsList): void;
  applyCatalog(id: string, kind: 'favorites' | 'playlists', list: FavoritesList | PlaylistsList): void {
    const record = this.households.get(id);
    if (!record) return;
    if (kind === 'favorites') record.favorites = list as FavoritesList;
    else record.playlists = list as PlaylistsList;
    this.patches.household(id);
  }

  removeHousehold(id: string): void {
    if (!this.households.delete(id)) return;
    this.patches.household(id);
    for (const group of [...this.groups.values()]) if (group.householdId === id) this.dropGroup(group.id);
    for (const player of [...this.players.values()])
      if (player.householdId === id) this.dropPlayer(player.id);
  }

  setDiscovery(state: 'searching' | 'idle'): void {
    if (this.discovery === state) return;
    this.discovery = state;
    this.patches.discovery();
  }

  /** Registers a player we found before its household's groups arrived. */
  addPlayer(id: string, householdId: string, name: string | null, websocketUrl: string | null): void {
    if (!usableId(id) || !usableId(householdId)) return;
    this.ensureHousehold(householdId);
    const record = this.players.get(id);
    if (record) {
      if (websocketUrl && record.websocketUrl !== websocketUrl) record.websocketUrl = websocketUrl;
      return;
    }
    this.players.set(id, newPlayer(id, householdId, name ?? id, websocketUrl, false));
    this.patches.player(id);
  }

  /** Replaces the household's groups and players with a full `groups` body. */
  applyGroups(householdId: string, full: GroupsUpdate): GroupsDiff {
    if (!usableId(householdId))
      return {
        addedGroups: [],
        removedGroups: [],
        renamedGroups: new Map(),
        addedPlayers: [],
        removedPlayers: [],
      };
    this.ensureHousehold(householdId);
    const update: GroupsUpdate = {
      players: full.players.filter((p) => usableId(p.id)),
      groups: full.groups.filter((g) => usableId(g.id) && usableId(g.coordinatorId)),
    };
    const diff = reconcileGroups(
      {
        players: this.players,
        groups: this.groups,
        fields: this.fields,
        renamed: this.renamed,
        handOvers: this.handOvers,
        patches: this.patches,
        dropPlayer: (id) => this.dropPlayer(id),
        dropGroup: (id) => this.dropGroup(id),
      },
      householdId,
      update,
    );
    this.moves.settle(this.groups.values());
    // Names and members drawn with moves on their way may have changed with the real grouping.
    if (this.moves.size > 0 || diff.removedPlayers.length > 0)
      for (const id of this.groups.keys()) this.patches.group(id);
    return diff;
  }

  applyGroupVolume(
    groupId: string,
    volume: number,
    muted: boolean | undefined,
    fixed: boolean | undefined,
  ): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    this.fields.confirm('groupVolume', groupId, volume);
    if (muted !== undefined) this.fields.confirm('groupMuted', groupId, muted);
    if (fixed !== undefined && group.fixedVolume !== fixed) {
      group.fixedVolume = fixed;
      this.patches.group(groupId);
    }
  }

  applyPlayerVolume(
    playerId: string,
    volume: number,
    muted: boolean | undefined,
    fixed: boolean | undefined,
  ): void {
    const player = this.players.get(playerId);
    if (!player) return;
    this.fields.confirm('playerVolume', playerId, volume);
    if (muted !== undefined) this.fields.confirm('playerMuted', playerId, muted);
    if (fixed !== undefined && player.fixedVolume !== fixed) {
      player.fixedVolume = fixed;
      this.patches.player(playerId);
    }
  }

  /** A playback status: state, what the source allows, the play modes, and the position (which corrects the clock). */
  applyPlayback(groupId: string, status: PlaybackStatus): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    this.fields.confirm('playback', groupId, status.state);
    if (status.playModes) {
      this.fields.confirm('shuffle', groupId, status.playModes.shuffle);
      this.fields.confirm('repeat', groupId, status.playModes.repeat);
      this.fields.confirm('crossfade', groupId, status.playModes.crossfade);
    }
    const actions = status.actions;
    if ((Object.keys(actions) as (keyof PlaybackActions)[]).some((k) => group.actions[k] !== actions[k]))
      group.actions = { ...actions };
    if (status.positionMs !== null) {
      group.positionMs = Math.max(0, Math.round(status.positionMs));
      group.positionAt = this.now();
      this.seeks.settle(groupId);
    }
    this.patches.group(groupId);
  }

  applyNowPlaying(groupId: string, nowPlaying: NowPlaying | null): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    group.nowPlaying = nowPlaying;
    this.patches.group(groupId);
  }

  /** Night sound and speech enhancement as the speaker reported them (only home-theater speakers have them). */
  applyHomeTheater(
    playerId: string,
    options: { nightMode?: boolean | undefined; enhanceDialog?: boolean | undefined },
  ): void {
    const player = this.players.get(playerId);
    if (!player?.homeTheater) return;
    if (options.nightMode !== undefined) this.fields.confirm('nightMode', playerId, options.nightMode);
    if (options.enhanceDialog !== undefined)
      this.fields.confirm('enhanceDialog', playerId, options.enhanceDialog);
  }

  setPlayerConnection(playerId: string, connection: ConnectionState, problem: AppErrorPayload | null): void {
    const player = this.players.get(playerId);
    if (!player) return;
    if (player.connection === connection && player.problem?.message === problem?.message) return;
    player.connection = connection;
    player.problem = problem;
    this.patches.player(playerId);
  }

  /**
   * A value the speakers accepted without an event to say so (the cloud has no events, home-theater options send
   * none): confirmed as if echoed, so a hold on it ends and the next toggle starts from the truth.
   */
  confirmValue(kind: FieldKind, id: string, value: FieldValue): void {
    if (isPlayerField(kind) ? !this.players.has(id) : !this.groups.has(id)) return;
    this.fields.confirm(kind, id, value);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Optimistic values

  /** See `OptimisticFields.hold`: shows `value` now; returns the token that ends this hold. */
  hold<T extends FieldValue>(kind: FieldKind, id: string, value: T): number {
    return this.fields.hold(kind, id, value);
  }

  /** See `OptimisticFields.release`. */
  release(kind: FieldKind, id: string, succeeded: boolean, token?: number): void {
    this.fields.release(kind, id, succeeded, token);
  }

  shownValue<T>(kind: FieldKind, id: string): T | undefined {
    return this.fields.shown<T>(kind, id);
  }

  /** Draws a speaker's move at once (into the group `coordinatorId` leads, or on its own when null). */
  holdMove(playerId: string, coordinatorId: string | null): number {
    return this.moves.hold(playerId, coordinatorId);
  }

  releaseMove(playerId: string, token: number, succeeded: boolean): void {
    this.moves.release(playerId, token, succeeded);
  }

  /**
   * Shows a seek at once: the clock restarts from `positionMs`. Returns a function that puts the position back
   * when the seek failed — unless an event has told the real position since.
   */
  seekTo(groupId: string, positionMs: number): (succeeded: boolean) => void {
    const group = this.groups.get(groupId);
    if (!group) return () => {};
    return this.seeks.seek(groupId, group, positionMs, this.now(), () => this.patches.group(groupId));
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * The coordinator `from` is being taken out of its group, so its music goes on in the rooms that stay: the new
   * group led by one of `to` takes over what we know about it (until its own events arrive), not `from`'s group.
   */
  expectHandOver(from: string, to: readonly string[]): void {
    this.handOvers.expect(from, to);
  }

  private fieldChanged(kind: FieldKind, id: string, previous: unknown): void {
    if (isPlayerField(kind)) {
      this.patches.player(id);
    } else {
      // The clock runs while playing: when what we show stops or starts, the position is re-based to now, so the
      // progress neither jumps back on a pause nor counts the paused time on a play.
      if (kind === 'playback') this.rebasePosition(id, previous === 'playing');
      this.patches.group(id);
    }
  }

  private rebasePosition(groupId: string, wasPlaying: boolean): void {
    const group = this.groups.get(groupId);
    if (group) rebase(group, wasPlaying, this.now());
  }

  private dropGroup(id: string): void {
    this.groups.delete(id);
    this.fields.drop(GROUP_FIELDS, id);
    this.seeks.settle(id);
    this.patches.group(id);
  }

  private dropPlayer(id: string): void {
    this.players.delete(id);
    this.fields.drop(PLAYER_FIELDS, id);
    this.patches.player(id);
  }

  /** Emits pending changes as one patch now (also called before a snapshot so both agree). */
  flush(): void {
    this.patches.flush();
  }

  /** Clears timers; the model keeps its data. */
  dispose(): void {
    this.fields.dispose();
    this.moves.dispose();
    this.patches.dispose();
  }
}
