/**
 * Volume and mute of groups and speakers: shown at once, coalesced per target (a slider dragged at 60 Hz becomes a
 * handful of commands and ends where the slider stopped), and unmuting as the players do when a volume is set.
 */
import type { Coalescer } from '../commands/coalescer';
import { existingGroup, existingPlayer, groupLane, type IntentContext } from './intent-context';

const clampVolume = (value: number): number => Math.min(100, Math.max(0, Math.round(value)));

export class VolumeIntents {
  private readonly volumes: Coalescer<number>;
  private readonly mutes: Coalescer<boolean>;
  /** The "unmuted" hold a volume lane put up, by lane, until the lane's last command is answered. */
  private readonly unmuteHolds = new Map<string, number>();

  constructor(private readonly ctx: IntentContext) {
    this.volumes = ctx.delivery.coalescer<number>();
    this.mutes = ctx.delivery.coalescer<boolean>();
  }

  stop(): void {
    this.unmuteHolds.clear();
  }

  async setGroupVolume(groupId: string, volume: number): Promise<void> {
    const { model, delivery } = this.ctx;
    const id = existingGroup(model, groupId);
    const value = clampVolume(volume);
    // Lanes follow the coordinator and the id is looked up when each command leaves, so a regroup that renames
    // the group mid-drag neither splits the lane nor sends to a group id that is gone.
    const now = (): string => model.resolveGroupId(id);
    const key = `gv:${groupLane(model, id)}`;
    const held = model.hold('groupVolume', id, value);
    const unmute = this.unmuteHold(key, 'groupMuted', id);
    const release = (succeeded: boolean): void => {
      model.release('groupVolume', now(), succeeded, held);
      model.release('groupMuted', now(), succeeded, unmute());
    };
    return delivery.coalesced(
      this.volumes,
      key,
      value,
      (v) => ({ kind: 'groupVolume', groupId: now(), volume: v }),
      () => release(true),
      () => release(false),
    );
  }

  async adjustGroupVolume(groupId: string, delta: number): Promise<void> {
    const id = existingGroup(this.ctx.model, groupId);
    const current = this.ctx.model.shownValue<number>('groupVolume', id);
    if (typeof current === 'number') return this.setGroupVolume(id, current + delta);
    return this.ctx.delivery.run({ kind: 'groupRelativeVolume', groupId: id, delta });
  }

  async setGroupMute(groupId: string, muted: boolean): Promise<void> {
    const { model, delivery } = this.ctx;
    const id = existingGroup(model, groupId);
    const held = model.hold('groupMuted', id, muted);
    const now = (): string => model.resolveGroupId(id);
    return delivery.coalesced(
      this.mutes,
      `gm:${groupLane(model, id)}`,
      muted,
      (m) => ({ kind: 'groupMute', groupId: now(), muted: m }),
      () => model.release('groupMuted', now(), true, held),
      () => model.release('groupMuted', now(), false, held),
    );
  }

  async setPlayerVolume(playerId: string, volume: number): Promise<void> {
    const { model, delivery } = this.ctx;
    existingPlayer(model, playerId);
    const value = clampVolume(volume);
    const key = `pv:${playerId}`;
    const held = model.hold('playerVolume', playerId, value);
    const unmute = this.unmuteHold(key, 'playerMuted', playerId);
    const release = (succeeded: boolean): void => {
      model.release('playerVolume', playerId, succeeded, held);
      model.release('playerMuted', playerId, succeeded, unmute());
    };
    return delivery.coalesced(
      this.volumes,
      key,
      value,
      (v) => ({ kind: 'playerVolume', playerId, volume: v }),
      () => release(true),
      () => release(false),
    );
  }

  async adjustPlayerVolume(playerId: string, delta: number): Promise<void> {
    existingPlayer(this.ctx.model, playerId);
    const current = this.ctx.model.shownValue<number>('playerVolume', playerId);
    if (typeof current === 'number') return this.setPlayerVolume(playerId, current + delta);
    return this.ctx.delivery.run({ kind: 'playerRelativeVolume', playerId, delta });
  }

  async setPlayerMute(playerId: string, muted: boolean): Promise<void> {
    const { model, delivery } = this.ctx;
    existingPlayer(model, playerId);
    const held = model.hold('playerMuted', playerId, muted);
    return delivery.coalesced(
      this.mutes,
      `pm:${playerId}`,
      muted,
      (m) => ({ kind: 'playerMute', playerId, muted: m }),
      () => model.release('playerMuted', playerId, true, held),
      () => model.release('playerMuted', playerId, false, held),
    );
  }

  /**
   * Setting a volume unmutes on the player, so a volume intent shows "unmuted" at once. That hold belongs to the
   * volume lane (a drag started muted unmutes once, and its last command ends the hold); the returned function
   * gives its token when the lane finishes — a mute pressed meanwhile has its own hold, which this cannot end.
   */
  private unmuteHold(laneKey: string, kind: 'groupMuted' | 'playerMuted', id: string): () => number {
    if (this.ctx.model.shownValue(kind, id) === true)
      this.unmuteHolds.set(laneKey, this.ctx.model.hold(kind, id, false));
    return () => {
      const token = this.unmuteHolds.get(laneKey);
      this.unmuteHolds.delete(laneKey);
      // No unmute hold in this lane: a token that matches none.
      return token ?? -1;
    };
  }
}
