import type { HouseholdSnapshot, PlaybackState } from '../contract/model';

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

/** The household as text: groups (playing first, then by name), what plays, and each speaker's volume. */
export function formatStatus(snapshot: HouseholdSnapshot): string {
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
