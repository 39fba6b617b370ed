import type { Group, HouseholdSnapshot, Player } from '../contract/model';
import { shorten } from '../contract/host';
import { AppError } from '../core/errors';

export type Target = { kind: 'group'; group: Group } | { kind: 'player'; player: Player };

/**
 * Finds what the user named: an id first (group, then player), then a group name, then a player name, all
 * case-insensitive. A single-speaker group and its speaker share a name; the group wins, which sets the same
 * volume. Two matches of the same kind are ambiguous and say so.
 */
export function findTarget(snapshot: HouseholdSnapshot, query: string): Target {
  const wanted = query.trim().toLowerCase();
  const named = `“${shorten(query.trim())}”`;
  const groups = Object.values(snapshot.groups);
  const players = Object.values(snapshot.players);
  const groupById = groups.find((g) => g.id.toLowerCase() === wanted);
  if (groupById) return { kind: 'group', group: groupById };
  const playerById = players.find((p) => p.id.toLowerCase() === wanted);
  if (playerById) return { kind: 'player', player: playerById };
  const groupsByName = groups.filter((g) => g.name.toLowerCase() === wanted);
  if (groupsByName.length === 1) return { kind: 'group', group: groupsByName[0]! };
  const playersByName = players.filter(
    (p) => p.name.toLowerCase() === wanted || p.sonosName.toLowerCase() === wanted,
  );
  if (groupsByName.length === 0 && playersByName.length === 1)
    return { kind: 'player', player: playersByName[0]! };
  if (groupsByName.length > 1 || playersByName.length > 1) {
    throw new AppError(
      'invalid-request',
      `${named} matches more than one speaker; use its id (see \`status --json\`).`,
    );
  }
  const names = [...new Set([...groups.map((g) => g.name), ...players.map((p) => p.name)])].sort();
  throw new AppError(
    'not-found',
    `No group or speaker named ${named}.${names.length ? ` Known: ${names.join(', ')}.` : ''}`,
  );
}

/** For transport commands a speaker stands for the group it is in. */
export function findGroup(snapshot: HouseholdSnapshot, query: string): Group {
  const target = findTarget(snapshot, query);
  if (target.kind === 'group') return target.group;
  const group = Object.values(snapshot.groups).find((g) => g.playerIds.includes(target.player.id));
  if (!group) throw new AppError('not-found', `${target.player.name} is not in any group right now.`);
  return group;
}

/**
 * `30` → set 30; `+5`/`-5` → change by 5. A typographic minus (U+2212, pasted from a document) counts as a minus.
 * Out-of-range numbers of any length get the same message as their neighbours (-101, -5000, +200).
 */
export function parseVolume(
  text: string,
): { kind: 'set'; volume: number } | { kind: 'change'; delta: number } {
  const typed = text.trim().replace(/^\u2212/, '-');
  const match = /^([+-]?)(\d+)$/.exec(typed);
  if (!match)
    throw new AppError('invalid-request', `Volume must be 0–100, +N or -N, not “${shorten(typed, 20)}”.`);
  const value = Number(match[2]);
  if (match[1] === '') {
    if (value > 100) throw new AppError('invalid-request', 'Volume must be between 0 and 100.');
    return { kind: 'set', volume: value };
  }
  if (value > 100) throw new AppError('invalid-request', 'A volume change must be between -100 and +100.');
  return { kind: 'change', delta: match[1] === '+' ? value : -value };
}
