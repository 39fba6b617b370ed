/**
 * A regroup the user asked for, shown at once: while a speaker's move is on its way, the groups are drawn as if it
 * had already happened (the speaker out of its old group and in the new one), until the players' `groups` event
 * shows the move, the command fails (the old grouping comes back at once), or a grace period ends.
 */

interface Move {
  /** The coordinator of the group the speaker is moving into; null: it will play on its own. */
  coordinatorId: string | null;
  token: number;
  released: boolean;
  timer: NodeJS.Timeout | null;
}

export interface GroupView {
  coordinatorId: string;
  playerIds: readonly string[];
}

export class MembershipHolds {
  private readonly moves = new Map<string, Move>();
  private tokens = 0;

  constructor(
    private readonly options: {
      graceMs: number;
      /** The drawn grouping changed. */
      changed: () => void;
    },
  ) {}

  get size(): number {
    return this.moves.size;
  }

  hold(playerId: string, coordinatorId: string | null): number {
    const existing = this.moves.get(playerId);
    if (existing?.timer) clearTimeout(existing.timer);
    const token = ++this.tokens;
    this.moves.set(playerId, { coordinatorId, token, released: false, timer: null });
    this.options.changed();
    return token;
  }

  /** The command for this move finished: on failure the move is forgotten now, on success when the event shows it. */
  release(playerId: string, token: number, succeeded: boolean): void {
    const move = this.moves.get(playerId);
    if (!move || move.token !== token) return;
    if (!succeeded) return this.forget(playerId);
    move.released = true;
    move.timer = setTimeout(() => {
      if (this.moves.get(playerId) === move) this.forget(playerId);
    }, this.options.graceMs);
    move.timer.unref?.();
  }

  /** After a `groups` update: moves the players now show are done. `groups` are the real groups. */
  settle(groups: Iterable<GroupView>): void {
    if (this.moves.size === 0) return;
    const groupOf = new Map<string, GroupView>();
    for (const group of groups) for (const id of group.playerIds) groupOf.set(id, group);
    for (const [playerId, move] of [...this.moves]) {
      const group = groupOf.get(playerId);
      if (!group) continue;
      const done =
        move.coordinatorId === null
          ? group.playerIds.length === 1
          : group.coordinatorId === move.coordinatorId;
      if (done) this.forget(playerId, false);
    }
  }

  /** The members to draw for a group: moves out of it removed, moves into it (by coordinator) added. */
  view(group: GroupView): string[] {
    if (this.moves.size === 0) return [...group.playerIds];
    const ids = group.playerIds.filter((id) => {
      const move = this.moves.get(id);
      return !move || move.coordinatorId === group.coordinatorId;
    });
    for (const [playerId, move] of this.moves) {
      if (move.coordinatorId === group.coordinatorId && !ids.includes(playerId)) ids.push(playerId);
    }
    return ids;
  }

  dispose(): void {
    for (const move of this.moves.values()) if (move.timer) clearTimeout(move.timer);
    this.moves.clear();
  }

  private forget(playerId: string, notify = true): void {
    const move = this.moves.get(playerId);
    if (move?.timer) clearTimeout(move.timer);
    this.moves.delete(playerId);
    if (notify) this.options.changed();
  }
}
