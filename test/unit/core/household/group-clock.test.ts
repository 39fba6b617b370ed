import { describe, expect, it } from 'vitest';
import { positionAt, rebase, SeekHolds } from '../../../../main/core/household/group-clock';

const clocked = (
  positionMs: number | null,
  positionAt: number | null,
  durationMs: number | null = 180_000,
) => ({
  positionMs,
  positionAt,
  nowPlaying:
    durationMs === null
      ? null
      : { title: 'T', artist: null, album: null, container: null, service: null, artUrl: null, durationMs },
});

describe('the group clock', () => {
  it('runs while playing, stands while not, and never passes the end of the track', () => {
    const group = clocked(10_000, 1_000);
    expect(positionAt(group, true, 6_000)).toBe(15_000);
    expect(positionAt(group, false, 6_000)).toBe(10_000);
    expect(positionAt(group, true, 1_000_000)).toBe(180_000);
    expect(positionAt(clocked(10_000, 1_000, null), true, 1_000_000)).toBe(1_009_000);
    expect(positionAt(clocked(null, null), true, 5)).toBeNull();
  });

  it('re-bases at a change of state: a pause keeps where it got to, a play does not count the paused time', () => {
    const group = clocked(10_000, 1_000);
    rebase(group, true, 4_000); // was playing, now paused
    expect(group).toMatchObject({ positionMs: 13_000, positionAt: 4_000 });
    rebase(group, false, 9_000); // was paused, now playing
    expect(group).toMatchObject({ positionMs: 13_000, positionAt: 9_000 });
    expect(positionAt(group, true, 10_000)).toBe(14_000);
  });

  it('a seek shows at once; a failed one puts the old position back unless the player told it since', () => {
    const holds = new SeekHolds();
    const group = clocked(10_000, 1_000);
    let changes = 0;
    const failed = holds.seek('g', group, 60_000, 2_000, () => changes++);
    expect(group).toMatchObject({ positionMs: 60_000, positionAt: 2_000 });
    failed(false);
    expect(group).toMatchObject({ positionMs: 10_000, positionAt: 1_000 });
    expect(changes).toBe(2);

    const told = holds.seek('g', group, 90_000, 3_000, () => changes++);
    holds.settle('g'); // an event with the real position arrived
    group.positionMs = 89_500;
    told(false);
    expect(group.positionMs).toBe(89_500);

    const older = holds.seek('g', group, 20_000, 4_000, () => {});
    const newer = holds.seek('g', group, 30_000, 4_100, () => {});
    older(false); // an older seek failing cannot undo a newer one
    expect(group.positionMs).toBe(30_000);
    newer(true);
    expect(group.positionMs).toBe(30_000);
  });
});
