/**
 * A full `groups` body (a local event or a cloud answer) reconciled with what the model has: players added, renamed
 * or gone, groups kept, added or gone — and a group under a new id takes over what was known about the group whose
 * music it continues (`HandOvers`), so the popover keeps showing the music until fresh events arrive.
 */
import type { OptimisticFields } from './optimistic-fields';
import { GROUP_FIELDS } from './optimistic-fields';
import type { HandOvers } from './hand-overs';
import {
  DEFAULT_ACTIONS,
  type GroupRecord,
  type GroupsDiff,
  type GroupsUpdate,
  type PlayerRecord,
} from './household-types';
import type { PatchBatcher } from './patch-batcher';

export interface GroupsTables {
  players: Map<string, PlayerRecord>;
  groups: Map<string, GroupRecord>;
  fields: OptimisticFields;
  /** Old group id → new id, for intents aimed at a group that was just regrouped. */
  renamed: Map<string, string>;
  handOvers: HandOvers;
  patches: PatchBatcher;
  dropPlayer(id: string): void;
  dropGroup(id: string): void;
}

export function reconcileGroups(t: GroupsTables, householdId: string, update: GroupsUpdate): GroupsDiff {
  const diff: GroupsDiff = {
    addedGroups: [],
    removedGroups: [],
    renamedGroups: new Map(),
    addedPlayers: [],
    removedPlayers: [],
  };

  const seenPlayers = new Set<string>();
  for (const p of update.players) {
    seenPlayers.add(p.id);
    const existing = t.players.get(p.id);
    if (!existing) {
      t.players.set(
        p.id,
        newPlayer(p.id, householdId, p.name ?? p.id, p.websocketUrl ?? null, p.homeTheater ?? false),
      );
      diff.addedPlayers.push(p.id);
      t.patches.player(p.id);
    } else {
      const name = p.name ?? existing.sonosName;
      const homeTheater = p.homeTheater ?? existing.homeTheater;
      if (
        existing.sonosName !== name ||
        existing.householdId !== householdId ||
        existing.homeTheater !== homeTheater
      ) {
        existing.sonosName = name;
        existing.householdId = householdId;
        existing.homeTheater = homeTheater;
        t.patches.player(p.id);
      }
      if (p.websocketUrl) existing.websocketUrl = p.websocketUrl;
    }
  }
  for (const player of [...t.players.values()]) {
    if (player.householdId === householdId && !seenPlayers.has(player.id)) {
      t.dropPlayer(player.id);
      diff.removedPlayers.push(player.id);
    }
  }

  const oldGroups = [...t.groups.values()].filter((g) => g.householdId === householdId);
  const newIds = new Set(update.groups.map((g) => g.id));
  for (const g of update.groups) {
    const existing = t.groups.get(g.id);
    const playerIds = g.playerIds.filter((id) => t.players.has(id));
    if (existing) {
      if (
        existing.sonosName !== (g.name ?? existing.sonosName) ||
        existing.coordinatorId !== g.coordinatorId ||
        existing.playerIds.join() !== playerIds.join()
      ) {
        existing.sonosName = g.name ?? existing.sonosName;
        existing.coordinatorId = g.coordinatorId;
        existing.playerIds = playerIds;
        t.patches.group(g.id);
      }
      if (g.playbackState) t.fields.confirm('playback', g.id, g.playbackState);
      continue;
    }
    // A new id for a group led by the same coordinator: keep what we knew until events refresh it. The music
    // follows the coordinator, so does what we know about it — unless we handed it on (a coordinator removed).
    const predecessor = t.handOvers.predecessor(
      g.coordinatorId,
      oldGroups.filter((old) => !newIds.has(old.id)),
    );
    t.groups.set(g.id, {
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
      t.renamed.set(predecessor.id, g.id);
      if (t.renamed.size > 256) t.renamed.delete(t.renamed.keys().next().value!);
      t.fields.carry(GROUP_FIELDS, predecessor.id, g.id);
    }
    if (g.playbackState && !t.fields.has('playback', g.id))
      t.fields.confirm('playback', g.id, g.playbackState);
    diff.addedGroups.push(g.id);
    t.patches.group(g.id);
  }
  for (const old of oldGroups) {
    if (!newIds.has(old.id)) {
      t.dropGroup(old.id);
      diff.removedGroups.push(old.id);
    }
  }
  t.handOvers.settle();
  return diff;
}

export function newPlayer(
  id: string,
  householdId: string,
  name: string,
  websocketUrl: string | null,
  homeTheater: boolean,
): PlayerRecord {
  return {
    id,
    householdId,
    sonosName: name,
    websocketUrl,
    fixedVolume: false,
    connection: 'connecting',
    problem: null,
    homeTheater,
  };
}
