/**
 * Which old group a new group continues. Group ids change with every regroup, and what we know about a group
 * (playback, play modes, what plays, the position) belongs to its music, which follows the coordinator — except
 * when a coordinator is taken out of its group: then the rooms that stay carry the music on (Sonos documents it),
 * and its own new group starts afresh. The rooms intent tells us before it sends such a regroup.
 */
import type { GroupRecord } from './household-types';

/** How long a hand-over waits for the players' grouping to show it. */
const HAND_OVER_MS = 10_000;

export class HandOvers {
  /** Coordinator taken out → the rooms that stay, until a deadline. */
  private readonly pending = new Map<string, { to: readonly string[]; until: number }>();
  private readonly used = new Set<string>();

  constructor(private readonly now: () => number) {}

  expect(from: string, to: readonly string[]): void {
    this.pending.set(from, { to: [...to], until: this.now() + HAND_OVER_MS });
  }

  /** The old group (gone from the new grouping) whose facts the new group led by `coordinatorId` takes over. */
  predecessor(coordinatorId: string, gone: readonly GroupRecord[]): GroupRecord | undefined {
    const now = this.now();
    for (const [from, handOver] of this.pending) if (handOver.until < now) this.pending.delete(from);
    const handedBy = [...this.pending].find(([, h]) => h.to.includes(coordinatorId))?.[0];
    const handed = handedBy === undefined ? undefined : gone.find((old) => old.coordinatorId === handedBy);
    if (handed) {
      this.used.add(handedBy!);
      return handed;
    }
    // The coordinator that handed its music on starts afresh.
    if (this.pending.has(coordinatorId)) return undefined;
    return gone.find((old) => old.coordinatorId === coordinatorId);
  }

  /** A grouping was applied: the hand-overs it showed are done. */
  settle(): void {
    for (const from of this.used) this.pending.delete(from);
    this.used.clear();
  }
}
