/**
 * The simulated household: players, groups, volumes and what each group plays, with the semantics real players show
 * (group volume is the mean of its members and scales them keeping their balance, setting a volume unmutes, group ids
 * change whenever the grouping does). No I/O lives here; servers call these methods and relay the change
 * notifications as events, so local and cloud commands and "another controller" all change one shared state.
 */
import { deviceProfile, type DeviceProfile } from './devices';
import { TRACKS } from './tracks';

export type PlaybackState =
  'PLAYBACK_STATE_IDLE' | 'PLAYBACK_STATE_BUFFERING' | 'PLAYBACK_STATE_PAUSED' | 'PLAYBACK_STATE_PLAYING';

export type PlaybackAction = 'play' | 'pause' | 'togglePlayPause' | 'skipToNextTrack' | 'skipToPreviousTrack';
export const PLAYBACK_ACTIONS: readonly PlaybackAction[] = [
  'play',
  'pause',
  'togglePlayPause',
  'skipToNextTrack',
  'skipToPreviousTrack',
];

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
}

/** What a group plays. It belongs to the coordinator's music, so it moves with the group when ids change. */
export interface Session {
  source: 'playlist' | 'radio';
  state: PlaybackState;
  /** Index into TRACKS (for radio: which song the station is announcing in `streamInfo`). */
  trackIndex: number;
  /** Position when `positionAt` was taken; the live position adds the time since while playing. */
  positionBase: number;
  positionAt: number;
  previousPositionMillis: number;
  timer: NodeJS.Timeout | null;
}

export interface SimGroup {
  readonly id: string;
  readonly coordinatorId: string;
  /** Coordinator first. */
  readonly playerIds: readonly string[];
  /** The last group volume set, until a member's own volume changes; otherwise the mean of the members. */
  storedVolume: number | null;
  readonly session: Session;
}

export type HouseholdChange =
  | { kind: 'groupVolume'; groupId: string }
  | { kind: 'playerVolume'; playerId: string }
  | { kind: 'playback'; groupId: string }
  | { kind: 'metadata'; groupId: string }
  /** Grouping changed: `gone` ids no longer exist, `moved` maps an old id to the id its music continues under. */
  | { kind: 'groups'; gone: string[]; moved: ReadonlyMap<string, string> };

export type GroupLookup =
  { status: 'current'; group: SimGroup } | { status: 'moved'; group: SimGroup } | { status: 'gone' };

export interface TopologyGroup {
  coordinatorId: string;
  playerIds: string[];
}

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

export class Household {
  readonly householdId: string;
  readonly locationId: string;
  private readonly playerList: SimPlayer[];
  private readonly playersById = new Map<string, SimPlayer>();
  private groupList: SimGroup[] = [];
  /** Old group id → the id its music continues under after a coordinator move. */
  private readonly movedTo = new Map<string, string>();
  private counter: number;
  private readonly trackMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<(change: HouseholdChange) => void>();
  private disposed = false;

  constructor(init: HouseholdInit) {
    this.householdId = init.householdId;
    this.locationId = init.locationId;
    this.trackMs = init.trackMs;
    this.now = init.now ?? (() => performance.now());
    this.counter = init.groupCounter;
    this.playerList = init.players.map((p, index) => ({
      id: p.id,
      name: p.name,
      index,
      device: deviceProfile(index),
      serialSuffix: p.serialSuffix,
      volume: p.volume,
      muted: false,
    }));
    for (const player of this.playerList) this.playersById.set(player.id, player);
    const lastGroup = init.groups.length - 1;
    this.groupList = init.groups.map((indexes, groupIndex) => {
      const playerIds = indexes.map((i) => this.playerAt(i).id);
      const coordinatorId = playerIds[0] ?? '';
      // The last of several groups plays a radio station, so clients meet sparse metadata from the start.
      const radio = init.groups.length > 1 && groupIndex === lastGroup;
      const session = this.newSession(radio ? 'radio' : 'playlist', groupIndex * 3, init.playing);
      return { id: this.nextGroupId(coordinatorId), coordinatorId, playerIds, storedVolume: null, session };
    });
    for (const group of this.groupList) this.schedule(group.session);
  }

  onChange(listener: (change: HouseholdChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    for (const group of this.groupList) this.clearTimer(group.session);
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
    if (session.state !== 'PLAYBACK_STATE_PLAYING') return session.positionBase;
    return Math.min(this.trackMs, Math.max(0, session.positionBase + (this.now() - session.positionAt)));
  }

  get trackLengthMs(): number {
    return this.trackMs;
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

  // ---- playback ----

  /** Returns false when the source does not allow the action (skipping a radio station). */
  playback(groupId: string, action: PlaybackAction): boolean {
    const group = this.requireGroup(groupId);
    const session = group.session;
    const playing = session.state === 'PLAYBACK_STATE_PLAYING';
    switch (action) {
      case 'play':
        if (!playing) this.setState(group, 'PLAYBACK_STATE_PLAYING');
        return true;
      case 'pause':
        if (playing) this.setState(group, this.pausedState(session));
        return true;
      case 'togglePlayPause':
        this.setState(group, playing ? this.pausedState(session) : 'PLAYBACK_STATE_PLAYING');
        return true;
      case 'skipToNextTrack':
      case 'skipToPreviousTrack':
        if (session.source === 'radio') return false;
        this.changeTrack(group, action === 'skipToNextTrack' ? 1 : -1);
        return true;
    }
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
    );
    return this.groupOf(playerId);
  }

  /** The group keeps its coordinator (always, even if left out) and gets exactly these members. */
  setGroupMembers(groupId: string, playerIds: string[]): SimGroup {
    const group = this.requireGroup(groupId);
    const unknown = playerIds.filter((id) => !this.playersById.has(id));
    if (unknown.length > 0) throw new InvalidPlayersError(unknown);
    const members = unique([group.coordinatorId, ...playerIds]);
    const next: TopologyGroup[] = [];
    for (const g of this.groupList) {
      if (g === group) {
        next.push({ coordinatorId: g.coordinatorId, playerIds: members });
        continue;
      }
      // Players taken into the group leave their old groups; the rest of an old group stays together.
      const rest = g.playerIds.filter((id) => !members.includes(id));
      if (rest.length > 0) {
        const coordinatorId = rest.includes(g.coordinatorId) ? g.coordinatorId : (rest[0] ?? '');
        next.push({
          coordinatorId,
          playerIds: [coordinatorId, ...rest.filter((id) => id !== coordinatorId)],
        });
      }
    }
    for (const id of group.playerIds) {
      if (!members.includes(id)) next.push({ coordinatorId: id, playerIds: [id] });
    }
    this.setTopology(next);
    return this.groupOf(group.coordinatorId);
  }

  /** Adds, then removes (as Sonos documents); unknown ids to remove are ignored, the coordinator always stays. */
  modifyGroupMembers(groupId: string, add: string[], remove: string[]): SimGroup {
    const group = this.requireGroup(groupId);
    const unknown = add.filter((id) => !this.playersById.has(id));
    if (unknown.length > 0) throw new InvalidPlayersError(unknown);
    const members = unique([...group.playerIds, ...add]).filter(
      (id) => id === group.coordinatorId || !remove.includes(id),
    );
    return this.setGroupMembers(groupId, members);
  }

  /**
   * Replaces the grouping. A group whose coordinator and members are unchanged keeps its id; every other group gets a
   * new `coordinator:counter` id. Music follows the coordinator; a group whose coordinator changed but whose music
   * continues is recorded as moved.
   */
  setTopology(next: TopologyGroup[]): void {
    const old = this.groupList;
    const taken = new Set<Session>();
    const moved = new Map<string, string>();
    const result: SimGroup[] = [];
    const pending: { spec: TopologyGroup; index: number }[] = [];

    next.forEach((spec, index) => {
      const same = old.find(
        (g) => g.coordinatorId === spec.coordinatorId && sameMembers(g.playerIds, spec.playerIds),
      );
      if (same) {
        taken.add(same.session);
        result[index] = same;
      } else {
        pending.push({ spec, index });
      }
    });
    // First pass: a coordinator keeps its own music.
    const sessionFor = new Map<number, Session>();
    for (const { spec, index } of pending) {
      const own = old.find((g) => g.coordinatorId === spec.coordinatorId);
      if (own && !taken.has(own.session)) {
        taken.add(own.session);
        sessionFor.set(index, own.session);
      }
    }
    // Second pass: a new coordinator picks up the music of the group it was in, if nobody kept it.
    for (const { spec, index } of pending) {
      if (sessionFor.has(index)) continue;
      const previous = old.find((g) => g.playerIds.includes(spec.coordinatorId));
      if (previous && !taken.has(previous.session)) {
        taken.add(previous.session);
        sessionFor.set(index, previous.session);
        moved.set(previous.id, `pending:${index}`);
      }
    }
    for (const { spec, index } of pending) {
      const player = this.requirePlayer(spec.coordinatorId);
      const session = sessionFor.get(index) ?? this.newSession('playlist', player.index * 3, false);
      result[index] = {
        id: this.nextGroupId(spec.coordinatorId),
        coordinatorId: spec.coordinatorId,
        playerIds: unique([spec.coordinatorId, ...spec.playerIds]),
        storedVolume: null,
        session,
      };
    }
    for (const [oldId, marker] of moved) {
      const newGroup = result[Number(marker.slice('pending:'.length))];
      if (newGroup) {
        moved.set(oldId, newGroup.id);
        this.movedTo.set(oldId, newGroup.id);
      }
    }
    for (const g of old) if (!taken.has(g.session)) this.clearTimer(g.session);
    this.groupList = result;
    const ids = new Set(result.map((g) => g.id));
    const gone = old.filter((g) => !ids.has(g.id) && !moved.has(g.id)).map((g) => g.id);
    for (const group of result) this.schedule(group.session);
    this.emit({ kind: 'groups', gone, moved });
  }

  // ---- internals ----

  private nextGroupId(coordinatorId: string): string {
    this.counter += 1;
    return `${coordinatorId}:${this.counter}`;
  }

  private newSession(source: Session['source'], trackIndex: number, playing: boolean): Session {
    return {
      source,
      state: playing
        ? 'PLAYBACK_STATE_PLAYING'
        : source === 'radio'
          ? 'PLAYBACK_STATE_IDLE'
          : 'PLAYBACK_STATE_PAUSED',
      trackIndex: trackIndex % TRACKS.length,
      positionBase: 0,
      positionAt: this.now(),
      previousPositionMillis: 0,
      timer: null,
    };
  }

  /** Real players report IDLE, not PAUSED, when a radio stream is paused (it cannot resume where it was). */
  private pausedState(session: Session): PlaybackState {
    return session.source === 'radio' ? 'PLAYBACK_STATE_IDLE' : 'PLAYBACK_STATE_PAUSED';
  }

  private setState(group: SimGroup, state: PlaybackState): void {
    const session = group.session;
    session.positionBase = session.source === 'radio' ? 0 : this.position(session);
    session.positionAt = this.now();
    session.state = state;
    this.schedule(session);
    this.emit({ kind: 'playback', groupId: group.id });
  }

  private changeTrack(group: SimGroup, step: number): void {
    const session = group.session;
    session.previousPositionMillis = this.position(session);
    session.trackIndex = (session.trackIndex + step + TRACKS.length) % TRACKS.length;
    session.positionBase = 0;
    session.positionAt = this.now();
    this.schedule(session);
    if (session.source === 'playlist') this.emit({ kind: 'playback', groupId: group.id });
    this.emit({ kind: 'metadata', groupId: group.id });
  }

  /** Tracks advance on their own while playing; there are no position events, clients run their own clock. */
  private schedule(session: Session): void {
    this.clearTimer(session);
    if (this.disposed || session.state !== 'PLAYBACK_STATE_PLAYING') return;
    const remaining = Math.max(0, this.trackMs - this.position(session));
    session.timer = setTimeout(() => {
      session.timer = null;
      const group = this.groupList.find((g) => g.session === session);
      if (group) this.changeTrack(group, 1);
    }, remaining);
    session.timer.unref();
  }

  private clearTimer(session: Session): void {
    if (session.timer) clearTimeout(session.timer);
    session.timer = null;
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

  private requireGroup(id: string): SimGroup {
    const group = this.group(id);
    if (!group) throw new RangeError(`no group ${id}`);
    return group;
  }

  private requirePlayer(id: string): SimPlayer {
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

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((id) => set.has(id));
}
