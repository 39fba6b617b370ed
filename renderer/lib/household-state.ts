/**
 * Pure rules for the household the popover draws: applying patches in revision order, the order of the group
 * cards and which track changes are worth announcing. Kept free of Svelte so they are unit-tested in plain Node;
 * `household-store.svelte.ts` wires them to reactive state.
 */
import type { Group, HouseholdPatch, HouseholdSnapshot, PlaybackState } from '../../main/contract/model';

/**
 * The snapshot after `patch`, or `null` when the patch does not follow on (a gap or a reordering): the caller
 * must then ask for a fresh snapshot rather than guess. A patch we already have (revision ≤ ours) is ignored.
 */
export function applyPatch(snapshot: HouseholdSnapshot, patch: HouseholdPatch): HouseholdSnapshot | null {
  if (patch.revision <= snapshot.revision) return snapshot;
  if (patch.revision !== snapshot.revision + 1) return null;
  return {
    revision: patch.revision,
    discovery: patch.discovery ?? snapshot.discovery,
    households: merge(snapshot.households, patch.households),
    groups: merge(snapshot.groups, patch.groups),
    players: merge(snapshot.players, patch.players),
  };
}

/** Entities are replaced whole and `null` removes one; untouched entities keep their identity (cheap redraws). */
function merge<T>(
  current: Record<string, T>,
  changes: Record<string, T | null> | undefined,
): Record<string, T> {
  if (!changes) return current;
  const next = { ...current };
  for (const [id, value] of Object.entries(changes)) {
    if (value === null) delete next[id];
    else next[id] = value;
  }
  return next;
}

/** Buffering is "about to play": it sorts and toggles like playing. */
export function isPlaying(state: PlaybackState): boolean {
  return state === 'playing' || state === 'buffering';
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compareGroups(a: Group, b: Group): number {
  const playing = Number(isPlaying(b.playback)) - Number(isPlaying(a.playback));
  return playing || byName.compare(a.name, b.name) || a.id.localeCompare(b.id);
}

/**
 * Playing groups first, then by name — the order the popover opens with. With `kept` (coordinator ids in the order
 * the cards are on screen) known groups keep their places: a card must not move away from under the pointer or
 * the keyboard focus because another controller paused it. Groups are known by coordinator, so a regroup that
 * keeps the coordinator (and gives the group a new id) keeps its place; new groups go to the end, sorted, and
 * groups that left are dropped.
 */
export function orderGroups(groups: readonly Group[], kept: readonly string[] | null = null): Group[] {
  const sorted = [...groups].sort(compareGroups);
  if (!kept) return sorted;
  const place = new Map(kept.map((id, index) => [id, index]));
  const known = sorted
    .filter((g) => place.has(g.coordinatorId))
    .sort((a, b) => place.get(a.coordinatorId)! - place.get(b.coordinatorId)!);
  return [...known, ...sorted.filter((g) => !place.has(g.coordinatorId))];
}

/** What identifies "the same track" for announcements; null when there is nothing to announce. */
export function trackKey(group: Group): string | null {
  const np = group.nowPlaying;
  if (!np?.title) return null;
  return JSON.stringify([np.title, np.artist ?? '', np.album ?? '']);
}

export function trackAnnouncement(group: Group): string | null {
  const np = group.nowPlaying;
  if (!np?.title) return null;
  return `Now playing ${np.title}${np.artist ? ` by ${np.artist}` : ''} in ${group.name}`;
}

/**
 * Announcements for tracks that changed between two snapshots. Only a change from one track to another in a group
 * the user already sees is news: new groups (first load, regrouping) and a group's first metadata (it arrives a
 * moment after the group, while the popover is still loading) are not announced.
 */
export function trackChanges(before: HouseholdSnapshot | null, after: HouseholdSnapshot): string[] {
  if (!before) return [];
  const out: string[] = [];
  for (const group of Object.values(after.groups)) {
    // Own properties only: a group called `toString` must not find Object.prototype.toString.
    const previous = Object.hasOwn(before.groups, group.id) ? before.groups[group.id] : undefined;
    if (!previous || previous === group) continue;
    const key = trackKey(group);
    const previousKey = trackKey(previous);
    if (key === null || previousKey === null || key === previousKey) continue;
    const text = trackAnnouncement(group);
    if (text) out.push(text);
  }
  return out;
}
