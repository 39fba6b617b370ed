/**
 * The clock behind a group's progress bar. Players send a position only with state changes, so a group keeps the
 * position it had at a moment (`positionMs` at `positionAt`) and the time since counts while it plays. The pair is
 * moved whenever what we show starts or stops (so a pause does not jump back, a play does not count the paused
 * time), on every event that tells a position, and at once on a seek (put back if the seek failed and no event
 * has told the truth since).
 */
import type { GroupRecord } from './household-types';

type Clocked = Pick<GroupRecord, 'positionMs' | 'positionAt' | 'nowPlaying'>;

/** Where the track is now by the clock (never past its duration); null when no position is known. */
export function positionAt(group: Clocked, playing: boolean, now: number): number | null {
  if (group.positionMs === null || group.positionAt === null) return null;
  const position = group.positionMs + (playing ? Math.max(0, now - group.positionAt) : 0);
  const duration = group.nowPlaying?.durationMs ?? null;
  return duration !== null ? Math.min(duration, position) : position;
}

/** Restarts the clock at `now` from where it is (the shown state changed; `wasPlaying` is the state before). */
export function rebase(group: Clocked, wasPlaying: boolean, now: number): void {
  const position = positionAt(group, wasPlaying, now);
  if (position === null) return;
  group.positionMs = position;
  group.positionAt = now;
}

/** Seeks shown before the player confirmed them, by group id; an event with a position ends them. */
export class SeekHolds {
  private tokens = 0;
  private readonly pending = new Map<string, number>();

  /** Shows the seek; the returned function puts the position back after a failure. */
  seek(
    groupId: string,
    group: Clocked,
    positionMs: number,
    now: number,
    changed: () => void,
  ): (ok: boolean) => void {
    const before = { positionMs: group.positionMs, positionAt: group.positionAt };
    group.positionMs = Math.max(0, Math.round(positionMs));
    group.positionAt = now;
    const token = ++this.tokens;
    this.pending.set(groupId, token);
    changed();
    return (succeeded) => {
      if (this.pending.get(groupId) !== token) return;
      this.pending.delete(groupId);
      if (succeeded) return;
      group.positionMs = before.positionMs;
      group.positionAt = before.positionAt;
      changed();
    };
  }

  /** The player told the position (or the group is gone): a seek still waiting must not put back an older one. */
  settle(groupId: string): void {
    this.pending.delete(groupId);
  }
}
