import type { Group, HouseholdSnapshot, PlaybackState } from '../contract/model';
import { formatClock } from '../core/intents/playback-intents';

const STATE: Record<PlaybackState, string> = {
  playing: 'playing',
  paused: 'paused',
  idle: 'stopped',
  buffering: 'loading',
  unknown: 'unknown',
};

function volumeText(volume: number | null, muted: boolean | null): string {
  if (volume === null) return 'volume ?';
  return `volume ${volume}${muted ? ' (muted)' : ''}`;
}

/** Where the track is (by the group's clock) and the play modes that are on: `1:23 / 3:00 · shuffle · repeat all`. */
export function playDetail(group: Group, now = Date.now()): string {
  const parts: string[] = [];
  // A stream without a duration (a station) has no position worth showing.
  const duration = group.nowPlaying?.durationMs ?? null;
  if (group.positionMs !== null && group.positionAt !== null && duration !== null) {
    const running = group.playback === 'playing' ? Math.max(0, now - group.positionAt) : 0;
    parts.push(`${formatClock(Math.min(duration, group.positionMs + running))} / ${formatClock(duration)}`);
  }
  const modes = group.playModes;
  if (modes?.shuffle) parts.push('shuffle');
  if (modes && modes.repeat !== 'off') parts.push(`repeat ${modes.repeat}`);
  if (modes?.crossfade) parts.push('crossfade');
  return parts.join(' · ');
}

/** The household as text: groups (playing first, then by name), what plays, and each speaker's volume. */
export function formatStatus(snapshot: HouseholdSnapshot, at = Date.now()): string {
  const lines: string[] = [];
  const households = Object.values(snapshot.households);
  for (const household of households) {
    if (households.length > 1) lines.push(`Household ${household.id}`);
    const groups = Object.values(snapshot.groups)
      .filter((g) => g.householdId === household.id)
      .sort(
        (a, b) =>
          Number(b.playback === 'playing') - Number(a.playback === 'playing') || a.name.localeCompare(b.name),
      );
    for (const group of groups) {
      const now = group.nowPlaying;
      const what = now ? [now.title ?? now.container, now.artist].filter(Boolean).join(' · ') : '';
      lines.push(
        `${group.name} — ${STATE[group.playback]}${what ? `: ${what}` : ''} — ${volumeText(group.volume, group.muted)}`,
      );
      const detail = playDetail(group, at);
      if (detail) lines.push(`  ${detail}`);
      if (group.playerIds.length > 1) {
        for (const id of group.playerIds) {
          const player = Object.hasOwn(snapshot.players, id) ? snapshot.players[id] : undefined;
          if (player) lines.push(`  ${player.name} — ${volumeText(player.volume, player.muted)}`);
        }
      }
      for (const id of group.playerIds) {
        const player = Object.hasOwn(snapshot.players, id) ? snapshot.players[id] : undefined;
        // Through the account's cloud is a working connection too.
        if (player && player.connection !== 'connected' && player.connection !== 'cloud') {
          lines.push(`  ! ${player.name}: ${player.problem?.message ?? player.connection}`);
        }
      }
    }
  }
  return lines.length > 0 ? lines.join('\n') : 'No speakers found.';
}
