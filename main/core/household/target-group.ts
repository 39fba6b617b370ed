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

function isPlaying(group: Group): boolean {
  return group.playback === 'playing' || group.playback === 'buffering';
}

/**
 * The hotkey group over time. Like `targetGroup`, except that a group stays the target while it exists, until the
 * user chooses another or some other group starts playing: pausing with a media key and pressing it again resumes
 * that group, instead of pausing the next one that happens to play. The tray, the hotkeys and MPRIS share one, so
 * they always name and act on the same group; asked on every household change, it sees every group that starts.
 */
export class TargetFollower {
  private coordinatorId: string | null = null;
  private playing = new Set<string>();

  current(snapshot: HouseholdSnapshot, settings: Pick<Settings, 'hotkeyTargetPlayerId'>): Group | null {
    const groups = Object.values(snapshot.groups).sort((a, b) => a.name.localeCompare(b.name));
    const playingNow = new Set(groups.filter(isPlaying).map((g) => g.coordinatorId));
    const started = groups.filter(
      (g) => playingNow.has(g.coordinatorId) && !this.playing.has(g.coordinatorId),
    );
    this.playing = playingNow;

    const chosen = settings.hotkeyTargetPlayerId;
    let group = chosen ? (groups.find((g) => g.playerIds.includes(chosen)) ?? null) : null;
    if (!group) {
      const last = groups.find((g) => g.coordinatorId === this.coordinatorId);
      const newcomer = started.find((g) => g.coordinatorId !== this.coordinatorId);
      group = last && (isPlaying(last) || !newcomer) ? last : (newcomer ?? targetGroup(snapshot, settings));
    }
    this.coordinatorId = group?.coordinatorId ?? null;
    return group;
  }
}
