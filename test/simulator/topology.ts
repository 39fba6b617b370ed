/**
 * How a household's groups change when the grouping does, as real players do it: a group whose coordinator and
 * members are unchanged keeps its id; every other group gets a new `coordinator:counter` id and the name that
 * goes with it ("Kitchen + 2"). The music follows the coordinator — unless told otherwise (the music handed to the
 * rooms that stay when their coordinator is removed, or `createGroup`'s `musicContextGroupId`) — and a group whose
 * music continues under another id is recorded as moved, so commands at the old id answer MOVED, not GONE.
 */
import type { SimGroup } from './household';
import type { Session } from './sessions';

export interface TopologyGroup {
  coordinatorId: string;
  playerIds: string[];
}

/** Whose music a new group plays: a session taken from another group, nothing, or the coordinator's own queue. */
export type MusicAssignment = Session | 'none' | 'own';

export interface TopologyPlan {
  groups: SimGroup[];
  /** Old id → the new id its music continues under. */
  moved: Map<string, string>;
  /** Old ids that no longer exist and whose music did not continue elsewhere. */
  gone: string[];
  /** Sessions still playing somewhere (the others stop). */
  kept: Set<Session>;
}

export interface TopologyDeps {
  nextGroupId(coordinatorId: string): string;
  /** A fresh session: nothing at all, or the coordinator's own (stopped) queue. */
  session(kind: 'none' | 'own', coordinatorId: string): Session;
}

export function planTopology(
  old: readonly SimGroup[],
  next: readonly TopologyGroup[],
  music: ReadonlyMap<string, MusicAssignment>,
  deps: TopologyDeps,
): TopologyPlan {
  const taken = new Set<Session>();
  const result: SimGroup[] = [];
  const pending: { spec: TopologyGroup; index: number }[] = [];
  const sessionFor = new Map<number, Session>();
  const musicMoves = new Map<string, number>();
  const take = (index: number, session: Session, movedFrom?: string): void => {
    taken.add(session);
    sessionFor.set(index, session);
    if (movedFrom !== undefined) musicMoves.set(movedFrom, index);
  };

  next.forEach((spec, index) => {
    const same = old.find(
      (g) => g.coordinatorId === spec.coordinatorId && sameMembers(g.playerIds, spec.playerIds),
    );
    const assigned = music.get(spec.coordinatorId);
    if (same && (assigned === undefined || assigned === same.session)) {
      taken.add(same.session);
      result[index] = same;
    } else {
      pending.push({ spec, index });
    }
  });
  // Music someone asked for comes first.
  for (const { spec, index } of pending) {
    const assigned = music.get(spec.coordinatorId);
    if (assigned === undefined) continue;
    const session = typeof assigned === 'string' ? deps.session(assigned, spec.coordinatorId) : assigned;
    // Music that stays with its coordinator is not a move: its old id is gone, as for any membership change.
    const from = old.find((g) => g.session === session);
    take(index, session, from && from.coordinatorId !== spec.coordinatorId ? from.id : undefined);
  }
  // Then a coordinator keeps its own music.
  for (const { spec, index } of pending) {
    if (sessionFor.has(index)) continue;
    const own = old.find((g) => g.coordinatorId === spec.coordinatorId);
    if (own && !taken.has(own.session)) take(index, own.session);
  }
  // Then a new coordinator picks up the music of the group it was in, if nobody kept it.
  for (const { spec, index } of pending) {
    if (sessionFor.has(index)) continue;
    const previous = old.find((g) => g.playerIds.includes(spec.coordinatorId));
    if (previous && !taken.has(previous.session)) take(index, previous.session, previous.id);
  }
  for (const { spec, index } of pending) {
    const session = sessionFor.get(index) ?? deps.session('own', spec.coordinatorId);
    taken.add(session);
    result[index] = {
      id: deps.nextGroupId(spec.coordinatorId),
      coordinatorId: spec.coordinatorId,
      playerIds: [...new Set([spec.coordinatorId, ...spec.playerIds])],
      storedVolume: null,
      session,
    };
  }
  const moved = new Map<string, string>();
  for (const [oldId, index] of musicMoves) {
    const newGroup = result[index];
    if (newGroup && newGroup.id !== oldId) moved.set(oldId, newGroup.id);
  }
  const ids = new Set(result.map((g) => g.id));
  const gone = old.filter((g) => !ids.has(g.id) && !moved.has(g.id)).map((g) => g.id);
  return { groups: result, moved, gone, kept: taken };
}

export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((id) => set.has(id));
}
