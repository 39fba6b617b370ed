/**
 * The simulated household: players, groups, volumes, what each group plays (`MusicEngine`) and the household's
 * favorites and playlists (`Library`), with the semantics real players show (group volume is the mean of its
 * members and scales them keeping their balance, setting a volume unmutes, group ids and names change whenever the
 * grouping does, the music follows the coordinator, and removing a coordinator hands the music to the rooms that
 * stay). No I/O lives here; servers call these methods and relay the change notifications as events, so local and
 * cloud commands and "another controller" all change one shared state.
 */
import { deviceProfile, SOFTWARE_VERSION, type DeviceProfile } from './devices';
import { DEFAULT_MIX, Library, NO_CONTENT, stationContent } from './library';
import { MusicEngine } from './music-engine';
import type { Content, Session } from './sessions';
import type { MusicAssignment, TopologyGroup } from './topology';
import { planTopology, sameMembers } from './topology';
import { RADIO } from './tracks';

export type { PlaybackState } from './sessions';
export { PLAYBACK_ACTIONS, type PlaybackAction } from './music-engine';

export interface SimPlayer {
  readonly id: string;
  readonly name: string;
  /** 0-based position in the household, i.e. player number - 1. */
  readonly index: number;
  readonly device: DeviceProfile;
  /** The letter after the MAC in the serial number (`54-2A-1B-73-A2-50:A`). */
  readonly serialSuffix: string;
  volume: number;
  muted: boolean;
  /** Players on different software versions cannot be grouped. */
  softwareVersion: string;
  /** Night sound and speech enhancement; only players with the `HT_PLAYBACK` capability have them. */
  homeTheater: { nightMode: boolean; enhanceDialog: boolean } | null;
}

export interface SimGroup {
  readonly id: string;
  readonly coordinatorId: string;
  /** Coordinator first. */
  readonly playerIds: readonly string[];
  /** The last group volume set, until a member's own volume changes; otherwise the mean of the members. */
  storedVolume: number | null;
  /** What the group plays. It belongs to the coordinator's music, so it moves with the group when ids change. */
  readonly session: Session;
}

export type HouseholdChange =
  | { kind: 'groupVolume'; groupId: string }
  | { kind: 'playerVolume'; playerId: string }
  | { kind: 'playback'; groupId: string }
  | { kind: 'metadata'; groupId: string }
  /** Grouping changed: `gone` ids no longer exist, `moved` maps an old id to the id its music continues under. */
  | { kind: 'groups'; gone: string[]; moved: ReadonlyMap<string, string> }
  | { kind: 'favorites' }
  | { kind: 'playlists' };

export type GroupLookup =
  { status: 'current'; group: SimGroup } | { status: 'moved'; group: SimGroup } | { status: 'gone' };

export type { MusicAssignment, TopologyGroup } from './topology';

export interface HouseholdInit {
  householdId: string;
  locationId: string;
  players: { id: string; name: string; volume: number; serialSuffix: string }[];
  /** 0-based player indexes, coordinator first. */
  groups: number[][];
  trackMs: number;
  playing: boolean;
  /** First group id counter; real ones are large numbers (`RINCON_…:620674909`). */
  groupCounter: number;
  now?: () => number;
}

export class InvalidPlayersError extends Error {
  constructor(readonly playerIds: string[]) {
    super(`Invalid player ids: ${playerIds.join(', ')}`);
  }
}

/** Players on different software versions: Sonos refuses to group them (`playerSetError` naming them). */
export class IncompatiblePlayersError extends Error {
  constructor(readonly playerIds: string[]) {
    super(`Players on another software version: ${playerIds.join(', ')}`);
  }
}

export class Household {
  readonly householdId: string;
  readonly locationId: string;
  readonly music: MusicEngine;
  readonly library: Library;
  private readonly playerList: SimPlayer[];
  private readonly playersById = new Map<string, SimPlayer>();
  private groupList: SimGroup[] = [];
  /** Old group id → the id its music continues under after a coordinator move. */
  private readonly movedTo = new Map<string, string>();
  private counter: number;
  private readonly listeners = new Set<(change: HouseholdChange) => void>();
  private disposed = false;

  constructor(init: HouseholdInit) {
    this.householdId = init.householdId;
    this.locationId = init.locationId;
    const now = init.now ?? (() => performance.now());
    this.music = new MusicEngine({
      now,
      trackMs: init.trackMs,
      emit: (change) => this.emit(change),
      groupOf: (session) => this.groupList.find((g) => g.session === session),
      disposed: () => this.disposed,
    });
    this.counter = init.groupCounter;
    this.playerList = init.players.map((p, index) => {
      const device = deviceProfile(index);
      return {
        id: p.id,
        name: p.name,
        index,
        device,
        serialSuffix: p.serialSuffix,
        volume: p.volume,
        muted: false,
        softwareVersion: SOFTWARE_VERSION,
        homeTheater: device.capabilities.includes('HT_PLAYBACK')
          ? { nightMode: false, enhanceDialog: false }
          : null,
      };
    });
    for (const player of this.playerList) this.playersById.set(player.id, player);
    this.library = new Library(this.playerList[0]?.id ?? 'RINCON_SIM', (kind) => this.emit({ kind }));
    const lastGroup = init.groups.length - 1;
    this.groupList = init.groups.map((indexes, groupIndex) => {
      const playerIds = indexes.map((i) => this.playerAt(i).id);
      const coordinatorId = playerIds[0] ?? '';
      // The last of several groups plays a radio station, so clients meet sparse metadata from the start.
      const radio = init.groups.length > 1 && groupIndex === lastGroup;
      const content = radio ? stationContent(RADIO) : DEFAULT_MIX;
      const session = this.music.create(content, init.playing, (groupIndex * 3) % content.tracks.length);
      return { id: this.nextGroupId(coordinatorId), coordinatorId, playerIds, storedVolume: null, session };
    });
    for (const group of this.groupList) this.music.schedule(group.session);
  }

  onChange(listener: (change: HouseholdChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    for (const group of this.groupList) this.music.clearTimer(group.session);
    this.listeners.clear();
  }

  // ---- reading ----

  players(): readonly SimPlayer[] {
    return this.playerList;
  }

  groups(): readonly SimGroup[] {
    return this.groupList;
  }

  player(id: string): SimPlayer | undefined {
    return this.playersById.get(id);
  }

  playerAt(index: number): SimPlayer {
    const player = this.playerList[index];
    if (player === undefined) throw new RangeError(`no player number ${index + 1}`);
    return player;
  }

  group(id: string): SimGroup | undefined {
    return this.groupList.find((g) => g.id === id);
  }

  /** A group id as a player judges it: current, moved to another coordinator, or gone (stale or never existed). */
  lookupGroup(id: string): GroupLookup {
    const current = this.group(id);
    if (current) return { status: 'current', group: current };
    let target = this.movedTo.get(id);
    const seen = new Set<string>();
    while (target !== undefined && !seen.has(target)) {
      seen.add(target);
      const group = this.group(target);
      if (group) return { status: 'moved', group };
      target = this.movedTo.get(target);
    }
    return { status: 'gone' };
  }

  groupOf(playerId: string): SimGroup {
    const group = this.groupList.find((g) => g.playerIds.includes(playerId));
    if (!group) throw new Error(`player ${playerId} is in no group`);
    return group;
  }

  groupName(group: SimGroup): string {
    const coordinator = this.playersById.get(group.coordinatorId);
    const others = group.playerIds.length - 1;
    return `${coordinator?.name ?? group.coordinatorId}${others > 0 ? ` + ${others}` : ''}`;
  }

  groupVolume(group: SimGroup): number {
    return group.storedVolume ?? Math.round(this.meanVolume(group));
  }

  groupMuted(group: SimGroup): boolean {
    return group.playerIds.every((id) => this.playersById.get(id)?.muted === true);
  }

  position(session: Session): number {
    return this.music.position(session);
  }

  get trackLengthMs(): number {
    return this.music.trackMs;
  }

  // ---- volume ----

  setGroupVolume(groupId: string, volume: number): void {
    const group = this.requireGroup(groupId);
    this.withVolumeEvents(group.playerIds, () => {
      const target = clampVolume(volume);
      const mean = this.meanVolume(group);
      for (const id of group.playerIds) {
        const player = this.requirePlayer(id);
        // Scale every member by the same factor so their balance survives; from all-zero there is no balance.
        player.volume = mean === 0 ? target : clampVolume(Math.round((player.volume * target) / mean));
        player.muted = false;
      }
      group.storedVolume = target;
    });
  }

  setGroupRelativeVolume(groupId: string, delta: number): void {
    const group = this.requireGroup(groupId);
    this.setGroupVolume(groupId, clampVolume(this.groupVolume(group) + delta));
  }

  setGroupMute(groupId: string, muted: boolean): void {
    const group = this.requireGroup(groupId);
    this.withVolumeEvents(group.playerIds, () => {
      for (const id of group.playerIds) this.requirePlayer(id).muted = muted;
    });
  }

  setPlayerVolume(playerId: string, volume: number): void {
    const player = this.requirePlayer(playerId);
    this.withVolumeEvents([playerId], () => {
      player.volume = clampVolume(volume);
      player.muted = false;
      this.groupOf(playerId).storedVolume = null;
    });
  }

  setPlayerRelativeVolume(playerId: string, delta: number): void {
    const player = this.requirePlayer(playerId);
    this.setPlayerVolume(playerId, clampVolume(player.volume + delta));
  }

  setPlayerMute(playerId: string, muted: boolean): void {
    const player = this.requirePlayer(playerId);
    this.withVolumeEvents([playerId], () => {
      player.muted = muted;
    });
  }

  // ---- music ----

  /** Returns false when the source does not allow the action (skipping a radio station). */
  playback(groupId: string, action: Parameters<MusicEngine['playback']>[1]): boolean {
    return this.music.playback(this.requireGroup(groupId), action);
  }

  /** "Another controller" (or another app) starts something on the group. */
  play(groupId: string, content: Content): void {
    this.music.replace(this.requireGroup(groupId), content);
  }

  // ---- grouping ----

  /** `indexes`: 0-based player indexes per group, coordinator first; players left out stand alone. */
  regroup(indexes: number[][]): void {
    const named = new Set(indexes.flat());
    const next: TopologyGroup[] = indexes.map((group) => {
      const playerIds = group.map((i) => this.playerAt(i).id);
      return { coordinatorId: playerIds[0] ?? '', playerIds };
    });
    for (const player of this.playerList) {
      if (!named.has(player.index)) next.push({ coordinatorId: player.id, playerIds: [player.id] });
    }
    this.setTopology(next);
  }

  /** The group continues with `playerId` as coordinator and a new id; commands at the old id answer MOVED. */
  moveCoordinator(groupId: string, playerId: string): SimGroup {
    const group = this.requireGroup(groupId);
    if (!group.playerIds.includes(playerId)) throw new InvalidPlayersError([playerId]);
    if (group.coordinatorId === playerId) return group;
    this.setTopology(
      this.groupList.map((g) =>
        g === group
          ? { coordinatorId: playerId, playerIds: [playerId, ...g.playerIds.filter((id) => id !== playerId)] }
          : { coordinatorId: g.coordinatorId, playerIds: [...g.playerIds] },
      ),
      new Map([[playerId, group.session]]),
    );
    return this.groupOf(playerId);
  }

  /**
   * The group gets exactly these members. Players taken in leave their groups (the rest of those groups stay
   * together, with their music). If the coordinator is left out, the music goes on in the rooms that stay, led by
   * the first of them, and the old coordinator plays on its own (its own queue, stopped).
   */
  setGroupMembers(groupId: string, playerIds: string[]): SimGroup {
    const group = this.requireGroup(groupId);
    const unknown = playerIds.filter((id) => !this.playersById.has(id));
    if (unknown.length > 0 || playerIds.length === 0) throw new InvalidPlayersError(unknown);
    const members = unique(playerIds);
    if (sameMembers(group.playerIds, members)) return group;
    const lead = members.includes(group.coordinatorId)
      ? group.coordinatorId
      : (members.find((id) => group.playerIds.includes(id)) ?? members[0]!);
    this.checkSoftware(members);
    const next: TopologyGroup[] = [
      { coordinatorId: lead, playerIds: [lead, ...members.filter((id) => id !== lead)] },
    ];
    for (const g of this.groupList) {
      const rest = g.playerIds.filter((id) => !members.includes(id));
      if (rest.length === 0) continue;
      if (g === group) {
        // Taken out of this group: each plays on its own.
        for (const id of rest) next.push({ coordinatorId: id, playerIds: [id] });
        continue;
      }
      const coordinatorId = rest.includes(g.coordinatorId) ? g.coordinatorId : rest[0]!;
      next.push({ coordinatorId, playerIds: [coordinatorId, ...rest.filter((id) => id !== coordinatorId)] });
    }
    const music = new Map<string, MusicAssignment>([[lead, group.session]]);
    if (lead !== group.coordinatorId) music.set(group.coordinatorId, 'own');
    this.setTopology(next, music);
    return this.groupOf(lead);
  }

  /** Adds, then removes (as Sonos documents); unknown ids to remove are ignored. */
  modifyGroupMembers(groupId: string, add: string[], remove: string[]): SimGroup {
    const group = this.requireGroup(groupId);
    const unknown = add.filter((id) => !this.playersById.has(id));
    if (unknown.length > 0) throw new InvalidPlayersError(unknown);
    const members = unique([...group.playerIds, ...add]).filter((id) => !remove.includes(id));
    // Removing everyone leaves the coordinator (a group is never empty).
    return this.setGroupMembers(groupId, members.length > 0 ? members : [group.coordinatorId]);
  }

  /**
   * A new group of these players, led by the first. With `musicFrom` it plays that group's music (which moves
   * here); without it, nothing (as Sonos documents for `createGroup`). A group already made of exactly these
   * players is returned as it is.
   */
  createGroup(playerIds: string[], musicFrom?: string): SimGroup {
    const unknown = playerIds.filter((id) => !this.playersById.has(id));
    if (unknown.length > 0 || playerIds.length === 0) throw new InvalidPlayersError(unknown);
    const members = unique(playerIds);
    const source = musicFrom === undefined ? undefined : this.requireGroup(musicFrom);
    const existing = this.groupList.find(
      (g) => g.coordinatorId === members[0] && sameMembers(g.playerIds, members),
    );
    if (existing && (source === undefined || source === existing)) return existing;
    this.checkSoftware(members);
    const lead = members[0]!;
    const next: TopologyGroup[] = [{ coordinatorId: lead, playerIds: members }];
    for (const g of this.groupList) {
      const rest = g.playerIds.filter((id) => !members.includes(id));
      if (rest.length === 0) continue;
      const coordinatorId = rest.includes(g.coordinatorId) ? g.coordinatorId : rest[0]!;
      next.push({ coordinatorId, playerIds: [coordinatorId, ...rest.filter((id) => id !== coordinatorId)] });
    }
    this.setTopology(next, new Map([[lead, source?.session ?? 'none']]));
    return this.groupOf(lead);
  }

  setSoftwareVersion(playerId: string, version: string): void {
    this.requirePlayer(playerId).softwareVersion = version;
    // Players announce a new version in the groups body (`softwareVersion`).
    this.emit({ kind: 'groups', gone: [], moved: new Map() });
  }

  /**
   * Replaces the grouping. A group whose coordinator and members are unchanged keeps its id; every other group gets a
   * new `coordinator:counter` id. Music follows the coordinator unless `music` says otherwise; a group whose music
   * continues under another id is recorded as moved.
   */
  setTopology(next: TopologyGroup[], music: ReadonlyMap<string, MusicAssignment> = new Map()): void {
    const old = this.groupList;
    const plan = planTopology(old, next, music, {
      nextGroupId: (coordinatorId) => this.nextGroupId(coordinatorId),
      session: (assigned, coordinatorId) =>
        assigned === 'none' ? this.music.create(NO_CONTENT, false) : this.ownQueue(coordinatorId),
    });
    for (const [oldId, newId] of plan.moved) this.movedTo.set(oldId, newId);
    for (const g of old) if (!plan.kept.has(g.session)) this.music.clearTimer(g.session);
    this.groupList = plan.groups;
    for (const group of plan.groups) this.music.schedule(group.session);
    this.emit({ kind: 'groups', gone: plan.gone, moved: plan.moved });
  }

  // ---- internals ----

  /** A player on its own again has its own queue, stopped. */
  private ownQueue(playerId: string): Session {
    const player = this.requirePlayer(playerId);
    return this.music.create(DEFAULT_MIX, false, (player.index * 3) % DEFAULT_MIX.tracks.length);
  }

  private checkSoftware(playerIds: readonly string[]): void {
    const first = this.requirePlayer(playerIds[0]!).softwareVersion;
    const others = playerIds.filter((id) => this.requirePlayer(id).softwareVersion !== first);
    if (others.length > 0) throw new IncompatiblePlayersError([playerIds[0]!, ...others]);
  }

  private nextGroupId(coordinatorId: string): string {
    this.counter += 1;
    return `${coordinatorId}:${this.counter}`;
  }

  private meanVolume(group: SimGroup): number {
    const volumes = group.playerIds.map((id) => this.requirePlayer(id).volume);
    return volumes.reduce((sum, v) => sum + v, 0) / Math.max(1, volumes.length);
  }

  /** Runs a volume change and emits events only for what really changed, like players do. */
  private withVolumeEvents(playerIds: readonly string[], change: () => void): void {
    const groups = unique(playerIds.map((id) => this.groupOf(id).id)).map((id) => this.requireGroup(id));
    const before = new Map(playerIds.map((id) => [id, volumeKey(this.requirePlayer(id))]));
    const groupBefore = new Map(groups.map((g) => [g.id, `${this.groupVolume(g)}/${this.groupMuted(g)}`]));
    change();
    for (const g of groups) {
      if (groupBefore.get(g.id) !== `${this.groupVolume(g)}/${this.groupMuted(g)}`) {
        this.emit({ kind: 'groupVolume', groupId: g.id });
      }
    }
    for (const id of playerIds) {
      if (before.get(id) !== volumeKey(this.requirePlayer(id)))
        this.emit({ kind: 'playerVolume', playerId: id });
    }
  }

  private emit(change: HouseholdChange): void {
    if (this.disposed) return;
    for (const listener of [...this.listeners]) listener(change);
  }

  requireGroup(id: string): SimGroup {
    const group = this.group(id);
    if (!group) throw new RangeError(`no group ${id}`);
    return group;
  }

  requirePlayer(id: string): SimPlayer {
    const player = this.playersById.get(id);
    if (!player) throw new RangeError(`no player ${id}`);
    return player;
  }
}

export function clampVolume(volume: number): number {
  return Math.min(100, Math.max(0, Math.round(volume)));
}

function volumeKey(player: SimPlayer): string {
  return `${player.volume}/${player.muted}`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
