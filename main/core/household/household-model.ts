/**
 * The normalised household state the popover draws: households → groups → players, keyed by id, built from
 * player events. Player ids are stable; group ids change whenever groups change, so per-group facts (volume,
 * playback, metadata) are carried to the new id of a group led by the same coordinator until fresh events arrive.
 *
 * Changes are batched per tick into one patch with a revision number. Values the user just set are held
 * (optimistic) until the player echoes them or a grace period ends, so a slider does not jump back to an
 * intermediate value while commands are still landing.
 */
import type {
  AppErrorPayload,
  ConnectionState,
  Group,
  Household,
  HouseholdPatch,
  HouseholdSnapshot,
  NowPlaying,
  PlaybackActions,
  PlaybackState,
  Player,
  Transport,
} from '../../contract/model';
import { DEFAULT_ACTIONS } from '../sonos/normalize';

/**
 * Ids the contract's records cannot carry: valibot leaves `__proto__`, `constructor` and `prototype` out of every
 * record it checks (its guard against prototype pollution), so a household, group or player by one of these names
 * could never reach the popover and would break the picture of the others. Real ids look like `RINCON_…` and
 * `Sonos_…`; the model takes no entity by these names. Every other id, `toString` included, is an id like any.
 */
const UNUSABLE_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
export const usableId = (id: string): boolean => !UNUSABLE_IDS.has(id);

export interface GroupsUpdate {
  groups: {
    id: string;
    name: string | undefined;
    coordinatorId: string;
    playerIds: string[];
    playbackState?: PlaybackState;
  }[];
  players: { id: string; name: string | undefined; websocketUrl: string | undefined }[];
}

export interface GroupsDiff {
  addedGroups: string[];
  removedGroups: string[];
  /** Old group id → the new id of the group led by the same coordinator (a regroup kept it). */
  renamedGroups: Map<string, string>;
  addedPlayers: string[];
  removedPlayers: string[];
}

interface PlayerRecord {
  id: string;
  householdId: string;
  sonosName: string;
  websocketUrl: string | null;
  fixedVolume: boolean;
  connection: ConnectionState;
  problem: AppErrorPayload | null;
}

interface GroupRecord {
  id: string;
  householdId: string;
  sonosName: string;
  coordinatorId: string;
  playerIds: string[];
  fixedVolume: boolean;
  actions: PlaybackActions;
  nowPlaying: NowPlaying | null;
  positionMs: number | null;
  positionAt: number | null;
}

/** A value the user can set: what we show, what the player last confirmed, and an optimistic hold. */
interface Field<T> {
  shown: T;
  confirmed: T;
  hold: { target: T; token: number; releasedAt: number | null; timer: NodeJS.Timeout | null } | null;
}

type FieldKind = 'groupVolume' | 'groupMuted' | 'playerVolume' | 'playerMuted' | 'playback';

export interface HouseholdModelOptions {
  nickname?: (playerId: string) => string | undefined;
  now?: () => number;
  /** How long a released hold waits for the player's echo before showing the last confirmed value. */
  holdGraceMs?: number;
}

export class HouseholdModel {
  private readonly households = new Map<string, { id: string; transport: Transport | null }>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly players = new Map<string, PlayerRecord>();
  private readonly fields = new Map<string, Field<unknown>>();
  /** Old group id → new id, for intents aimed at a group that was just regrouped under the same coordinator. */
  private readonly renamed = new Map<string, string>();
  private revision = 0;
  private discovery: 'searching' | 'idle' = 'searching';
  private readonly dirty = {
    households: new Set<string>(),
    groups: new Set<string>(),
    players: new Set<string>(),
  };
  private discoveryDirty = false;
  private flushQueued = false;
  private readonly listeners = new Set<(patch: HouseholdPatch) => void>();
  private readonly nickname: (playerId: string) => string | undefined;
  private readonly now: () => number;
  private readonly holdGraceMs: number;
  private holdTokens = 0;

  constructor(options: HouseholdModelOptions = {}) {
    this.nickname = options.nickname ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.holdGraceMs = options.holdGraceMs ?? 1_000;
  }

  onPatch(listener: (patch: HouseholdPatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reading

  snapshot(): HouseholdSnapshot {
    this.flush();
    // Built with `Object.fromEntries`: every id becomes an own property, whatever it is called.
    return {
      revision: this.revision,
      discovery: this.discovery,
      households: Object.fromEntries([...this.households.keys()].map((id) => [id, this.household(id)!])),
      groups: Object.fromEntries([...this.groups.keys()].map((id) => [id, this.group(id)!])),
      players: Object.fromEntries([...this.players.keys()].map((id) => [id, this.player(id)!])),
    };
  }

  group(id: string): Group | null {
    const record = this.groups.get(id);
    if (!record) return null;
    return {
      id: record.id,
      householdId: record.householdId,
      name: this.groupName(record),
      coordinatorId: record.coordinatorId,
      playerIds: [...record.playerIds],
      volume: this.shown<number | null>('groupVolume', id, null),
      muted: this.shown<boolean | null>('groupMuted', id, null),
      fixedVolume: record.fixedVolume,
      playback: this.shown<PlaybackState>('playback', id, 'unknown'),
      actions: { ...record.actions },
      nowPlaying: record.nowPlaying ? { ...record.nowPlaying } : null,
      positionMs: record.positionMs,
      positionAt: record.positionAt,
    };
  }

  player(id: string): Player | null {
    const record = this.players.get(id);
    if (!record) return null;
    return {
      id: record.id,
      householdId: record.householdId,
      name: this.nickname(id) ?? record.sonosName,
      sonosName: record.sonosName,
      volume: this.shown<number | null>('playerVolume', id, null),
      muted: this.shown<boolean | null>('playerMuted', id, null),
      fixedVolume: record.fixedVolume,
      connection: record.connection,
      problem: record.problem,
    };
  }

  household(id: string): Household | null {
    const record = this.households.get(id);
    return record ? { id: record.id, name: null, transport: record.transport } : null;
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
  /** Raw facts the controller routes by. */
  groupRecord(id: string): Readonly<GroupRecord> | undefined {
    return this.groups.get(id);
  }
  playerRecord(id: string): Readonly<PlayerRecord> | undefined {
    return this.players.get(id);
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
    return this.fields.get(`${kind}:${id}`)?.confirmed as T | undefined;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Facts from players

  ensureHousehold(id: string): void {
    if (this.households.has(id) || !usableId(id)) return;
    this.households.set(id, { id, transport: null });
    this.dirty.households.add(id);
    this.schedule();
  }

  setHouseholdTransport(id: string, transport: Transport | null): void {
    const record = this.households.get(id);
    if (!record || record.transport === transport) return;
    record.transport = transport;
    this.dirty.households.add(id);
    this.schedule();
  }

  removeHousehold(id: string): void {
    if (!this.households.delete(id)) return;
    this.dirty.households.add(id);
    for (const group of [...this.groups.values()]) if (group.householdId === id) this.dropGroup(group.id);
    for (const player of [...this.players.values()])
      if (player.householdId === id) this.dropPlayer(player.id);
    this.schedule();
  }

  setDiscovery(state: 'searching' | 'idle'): void {
    if (this.discovery === state) return;
    this.discovery = state;
    this.discoveryDirty = true;
    this.schedule();
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
    this.players.set(id, {
      id,
      householdId,
      sonosName: name ?? id,
      websocketUrl,
      fixedVolume: false,
      connection: 'connecting',
      problem: null,
    });
    this.dirty.players.add(id);
    this.schedule();
  }

  /** Replaces the household's groups and players with a full `groups` body. */
  applyGroups(householdId: string, full: GroupsUpdate): GroupsDiff {
    const diff: GroupsDiff = {
      addedGroups: [],
      removedGroups: [],
      renamedGroups: new Map(),
      addedPlayers: [],
      removedPlayers: [],
    };
    if (!usableId(householdId)) return diff;
    this.ensureHousehold(householdId);
    const update: GroupsUpdate = {
      players: full.players.filter((p) => usableId(p.id)),
      groups: full.groups.filter((g) => usableId(g.id) && usableId(g.coordinatorId)),
    };

    const seenPlayers = new Set<string>();
    for (const p of update.players) {
      seenPlayers.add(p.id);
      const existing = this.players.get(p.id);
      if (!existing) {
        this.players.set(p.id, {
          id: p.id,
          householdId,
          sonosName: p.name ?? p.id,
          websocketUrl: p.websocketUrl ?? null,
          fixedVolume: false,
          connection: 'connecting',
          problem: null,
        });
        diff.addedPlayers.push(p.id);
        this.dirty.players.add(p.id);
      } else {
        const name = p.name ?? existing.sonosName;
        if (existing.sonosName !== name || existing.householdId !== householdId) {
          existing.sonosName = name;
          existing.householdId = householdId;
          this.dirty.players.add(p.id);
        }
        if (p.websocketUrl) existing.websocketUrl = p.websocketUrl;
      }
    }
    for (const player of [...this.players.values()]) {
      if (player.householdId === householdId && !seenPlayers.has(player.id)) {
        this.dropPlayer(player.id);
        diff.removedPlayers.push(player.id);
      }
    }

    const oldGroups = [...this.groups.values()].filter((g) => g.householdId === householdId);
    const newIds = new Set(update.groups.map((g) => g.id));
    for (const g of update.groups) {
      const existing = this.groups.get(g.id);
      const playerIds = g.playerIds.filter((id) => this.players.has(id));
      if (existing) {
        if (
          existing.sonosName !== (g.name ?? existing.sonosName) ||
          existing.coordinatorId !== g.coordinatorId ||
          existing.playerIds.join() !== playerIds.join()
        ) {
          existing.sonosName = g.name ?? existing.sonosName;
          existing.coordinatorId = g.coordinatorId;
          existing.playerIds = playerIds;
          this.dirty.groups.add(g.id);
        }
      } else {
        // A new id for a group led by the same coordinator: keep what we knew until events refresh it.
        const predecessor = oldGroups.find(
          (old) => !newIds.has(old.id) && old.coordinatorId === g.coordinatorId,
        );
        this.groups.set(g.id, {
          id: g.id,
          householdId,
          sonosName: g.name ?? '',
          coordinatorId: g.coordinatorId,
          playerIds,
          fixedVolume: predecessor?.fixedVolume ?? false,
          actions: predecessor ? { ...predecessor.actions } : { ...DEFAULT_ACTIONS },
          nowPlaying: predecessor?.nowPlaying ?? null,
          positionMs: predecessor?.positionMs ?? null,
          positionAt: predecessor?.positionAt ?? null,
        });
        if (predecessor) {
          diff.renamedGroups.set(predecessor.id, g.id);
          this.renamed.set(predecessor.id, g.id);
          if (this.renamed.size > 256) this.renamed.delete(this.renamed.keys().next().value!);
          for (const kind of ['groupVolume', 'groupMuted', 'playback'] as const) {
            const field = this.fields.get(`${kind}:${predecessor.id}`);
            if (field)
              this.fields.set(`${kind}:${g.id}`, {
                shown: field.shown,
                confirmed: field.confirmed,
                // A command still on its way keeps its hold; the controller releases it under the new id.
                hold:
                  field.hold && field.hold.releasedAt === null
                    ? { target: field.hold.target, token: field.hold.token, releasedAt: null, timer: null }
                    : null,
              });
          }
        }
        if (g.playbackState && !this.fields.has(`playback:${g.id}`))
          this.confirm('playback', g.id, g.playbackState);
        diff.addedGroups.push(g.id);
        this.dirty.groups.add(g.id);
      }
      if (g.playbackState && existing) this.confirm('playback', g.id, g.playbackState);
    }
    for (const old of oldGroups) {
      if (!newIds.has(old.id)) {
        this.dropGroup(old.id);
        diff.removedGroups.push(old.id);
      }
    }
    this.schedule();
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
    this.confirm('groupVolume', groupId, volume);
    if (muted !== undefined) this.confirm('groupMuted', groupId, muted);
    if (fixed !== undefined && group.fixedVolume !== fixed) {
      group.fixedVolume = fixed;
      this.dirty.groups.add(groupId);
    }
    this.schedule();
  }

  applyPlayerVolume(
    playerId: string,
    volume: number,
    muted: boolean | undefined,
    fixed: boolean | undefined,
  ): void {
    const player = this.players.get(playerId);
    if (!player) return;
    this.confirm('playerVolume', playerId, volume);
    if (muted !== undefined) this.confirm('playerMuted', playerId, muted);
    if (fixed !== undefined && player.fixedVolume !== fixed) {
      player.fixedVolume = fixed;
      this.dirty.players.add(playerId);
    }
    this.schedule();
  }

  applyPlayback(
    groupId: string,
    state: PlaybackState,
    actions: PlaybackActions,
    positionMs: number | null,
  ): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    this.confirm('playback', groupId, state);
    const sameActions =
      group.actions.canPlay === actions.canPlay &&
      group.actions.canPause === actions.canPause &&
      group.actions.canSkip === actions.canSkip &&
      group.actions.canSkipBack === actions.canSkipBack;
    if (!sameActions) group.actions = actions;
    if (positionMs !== null) {
      group.positionMs = Math.max(0, Math.round(positionMs));
      group.positionAt = this.now();
    }
    this.dirty.groups.add(groupId);
    this.schedule();
  }

  applyNowPlaying(groupId: string, nowPlaying: NowPlaying | null): void {
    const group = this.groups.get(groupId);
    if (!group) return;
    group.nowPlaying = nowPlaying;
    this.dirty.groups.add(groupId);
    this.schedule();
  }

  setPlayerConnection(playerId: string, connection: ConnectionState, problem: AppErrorPayload | null): void {
    const player = this.players.get(playerId);
    if (!player) return;
    if (player.connection === connection && player.problem?.message === problem?.message) return;
    player.connection = connection;
    player.problem = problem;
    this.dirty.players.add(playerId);
    this.schedule();
  }

  /**
   * A value the speakers accepted without an event to say so (the cloud has no events): confirmed as if echoed,
   * so a hold on it ends and the next toggle starts from the truth.
   */
  confirmValue(kind: FieldKind, id: string, value: number | boolean | PlaybackState): void {
    if (kind === 'playerVolume' || kind === 'playerMuted') {
      if (!this.players.has(id)) return;
    } else if (!this.groups.has(id)) return;
    this.confirm(kind, id, value);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Optimistic values

  /**
   * Shows `value` now and keeps showing it while commands land. Returns the hold's token: only a release with
   * it ends this hold, so an older intent finishing cannot end a newer intent's hold on the same field.
   */
  hold<T>(kind: FieldKind, id: string, value: T): number {
    const key = `${kind}:${id}`;
    const field = (this.fields.get(key) as Field<T> | undefined) ?? {
      shown: value,
      confirmed: value,
      hold: null,
    };
    if (field.hold?.timer) clearTimeout(field.hold.timer);
    const token = ++this.holdTokens;
    field.hold = { target: value, token, releasedAt: null, timer: null };
    field.shown = value;
    this.fields.set(key, field as Field<unknown>);
    this.markField(kind, id);
    return token;
  }

  /**
   * The last command for this value finished. On success the held value stays until the player echoes it (or
   * the grace period ends); on failure the last confirmed value comes back at once.
   */
  release(kind: FieldKind, id: string, succeeded: boolean, token?: number): void {
    const key = `${kind}:${id}`;
    const field = this.fields.get(key);
    if (!field?.hold) return;
    if (token !== undefined && field.hold.token !== token) return;
    if (field.hold.timer) clearTimeout(field.hold.timer);
    if (!succeeded || field.confirmed === field.hold.target) {
      field.hold = null;
      if (field.shown !== field.confirmed) {
        field.shown = field.confirmed;
        this.markField(kind, id);
      }
      return;
    }
    field.hold.releasedAt = this.now();
    const timer = setTimeout(() => {
      if (!field.hold || field.hold.releasedAt === null) return;
      field.hold = null;
      if (field.shown !== field.confirmed) {
        field.shown = field.confirmed;
        this.markField(kind, id);
      }
    }, this.holdGraceMs);
    timer.unref?.();
    field.hold.timer = timer;
  }

  shownValue<T>(kind: FieldKind, id: string): T | undefined {
    return this.fields.get(`${kind}:${id}`)?.shown as T | undefined;
  }

  // ---------------------------------------------------------------------------------------------------------

  private shown<T>(kind: FieldKind, id: string, fallback: T): T {
    const field = this.fields.get(`${kind}:${id}`);
    return field ? (field.shown as T) : fallback;
  }

  private confirm<T>(kind: FieldKind, id: string, value: T): void {
    const key = `${kind}:${id}`;
    const field = this.fields.get(key) as Field<T> | undefined;
    if (!field) {
      this.fields.set(key, { shown: value, confirmed: value, hold: null });
      this.markField(kind, id);
      return;
    }
    field.confirmed = value;
    if (field.hold) {
      // While held, only the player's echo of the final value ends the hold.
      if (field.hold.releasedAt === null || value !== field.hold.target) return;
      if (field.hold.timer) clearTimeout(field.hold.timer);
      field.hold = null;
    }
    if (field.shown !== value) {
      field.shown = value;
      this.markField(kind, id);
    }
  }

  private markField(kind: FieldKind, id: string): void {
    if (kind === 'playerVolume' || kind === 'playerMuted') this.dirty.players.add(id);
    else this.dirty.groups.add(id);
    this.schedule();
  }

  private groupName(record: GroupRecord): string {
    const coordinatorNickname = this.nickname(record.coordinatorId);
    if (coordinatorNickname === undefined && record.sonosName) return record.sonosName;
    const lead = coordinatorNickname ?? this.players.get(record.coordinatorId)?.sonosName ?? record.sonosName;
    return record.playerIds.length > 1 ? `${lead} + ${record.playerIds.length - 1}` : lead;
  }

  private dropGroup(id: string): void {
    this.groups.delete(id);
    for (const kind of ['groupVolume', 'groupMuted', 'playback'] as const) {
      const field = this.fields.get(`${kind}:${id}`);
      if (field?.hold?.timer) clearTimeout(field.hold.timer);
      this.fields.delete(`${kind}:${id}`);
    }
    this.dirty.groups.add(id);
  }

  private dropPlayer(id: string): void {
    this.players.delete(id);
    for (const kind of ['playerVolume', 'playerMuted'] as const) {
      const field = this.fields.get(`${kind}:${id}`);
      if (field?.hold?.timer) clearTimeout(field.hold.timer);
      this.fields.delete(`${kind}:${id}`);
    }
    this.dirty.players.add(id);
  }

  private schedule(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  /** Emits pending changes as one patch now (also called before a snapshot so both agree). */
  flush(): void {
    this.flushQueued = false;
    const { households, groups, players } = this.dirty;
    if (households.size === 0 && groups.size === 0 && players.size === 0 && !this.discoveryDirty) return;
    this.revision += 1;
    const patch: HouseholdPatch = { revision: this.revision };
    if (this.discoveryDirty) patch.discovery = this.discovery;
    if (households.size > 0)
      patch.households = Object.fromEntries([...households].map((id) => [id, this.household(id)]));
    if (groups.size > 0) patch.groups = Object.fromEntries([...groups].map((id) => [id, this.group(id)]));
    if (players.size > 0) patch.players = Object.fromEntries([...players].map((id) => [id, this.player(id)]));
    households.clear();
    groups.clear();
    players.clear();
    this.discoveryDirty = false;
    for (const listener of this.listeners) listener(patch);
  }

  /** Clears timers; the model keeps its data. */
  dispose(): void {
    for (const field of this.fields.values()) if (field.hold?.timer) clearTimeout(field.hold.timer);
    this.listeners.clear();
  }
}
