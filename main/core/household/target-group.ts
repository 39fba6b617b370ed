import type { Group, HouseholdSnapshot, Settings } from '../../contract/model';

/**
 * The group that hotkeys and the tray's Play/Pause act on: the one holding the player chosen in Settings, else
 * the group that is playing (by name when several are), else the first by name.
 */
export function targetGroup(
  snapshot: HouseholdSnapshot,
  settings: Pick<Settings, 'hotkeyTargetPlayerId'>,
): Group | null {
  const groups = Object.values(snapshot.groups).sort((a, b) => a.name.localeCompare(b.name));
  const chosen = settings.hotkeyTargetPlayerId;
  if (chosen) {
    const group = groups.find((g) => g.playerIds.includes(chosen));
    if (group) return group;
  }
  return groups.find((g) => g.playback === 'playing' || g.playback === 'buffering') ?? groups[0] ?? null;
}
