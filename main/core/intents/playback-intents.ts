/**
 * What a group plays and how: the transport buttons (run in order, so three presses of Next skip three tracks),
 * shuffle/repeat/crossfade, seeking, and pausing every group at once. Each is offered only where the group's
 * source allows it (`availablePlaybackActions`): asking for anything else is a `not-allowed` error and sends
 * nothing.
 */
import type { PlaybackAction } from '../../contract/ipc';
import type { PlaybackActions, PlaybackState, PlayModes, RepeatMode } from '../../contract/model';
import type { Coalescer } from '../commands/coalescer';
import type { SonosPlayModes } from '../commands/command';
import { AppError } from '../errors';
import { existingGroup, groupLane, groupView, requireAction, type IntentContext } from './intent-context';

const REQUIRED: Record<PlaybackAction, [keyof PlaybackActions, string] | null> = {
  play: ['canPlay', 'Play'],
  pause: ['canPause', 'Pause'],
  togglePlayPause: null,
  skipToNextTrack: ['canSkip', 'Skipping'],
  skipToPreviousTrack: ['canSkipBack', 'Going back'],
};

export type PlayModesChange = { [K in keyof PlayModes]?: PlayModes[K] | undefined };

export class PlaybackIntents {
  private readonly modes: Coalescer<SonosPlayModes>;
  private readonly seeks: Coalescer<number>;

  constructor(private readonly ctx: IntentContext) {
    this.modes = ctx.delivery.coalescer<SonosPlayModes>();
    this.seeks = ctx.delivery.coalescer<number>();
  }

  /** Transport buttons run in order per group: three presses of Next skip three tracks. */
  async playback(groupId: string, action: PlaybackAction): Promise<void> {
    const { model, delivery } = this.ctx;
    const id = existingGroup(model, groupId);
    const shown = model.shownValue<PlaybackState>('playback', id);
    const optimistic: PlaybackState | null =
      action === 'play'
        ? 'playing'
        : action === 'pause'
          ? 'paused'
          : action === 'togglePlayPause'
            ? shown === 'playing' || shown === 'buffering'
              ? 'paused'
              : 'playing'
            : null;
    // Toggle is sent as the explicit action we showed, so the player and the button cannot disagree.
    const sent: PlaybackAction =
      action === 'togglePlayPause' && optimistic ? (optimistic === 'playing' ? 'play' : 'pause') : action;
    const required = REQUIRED[sent];
    if (required) requireAction(model, id, required[0], required[1]);
    const held = optimistic ? model.hold('playback', id, optimistic) : null;
    const now = (): string => model.resolveGroupId(id);
    return delivery
      .inOrder(`pb:${groupLane(model, id)}`, () =>
        delivery.run({ kind: 'playback', groupId: now(), action: sent }),
      )
      .then(
        () => {
          if (held !== null) model.release('playback', now(), true, held);
        },
        (error: unknown) => {
          if (held !== null) model.release('playback', now(), false, held);
          throw error;
        },
      );
  }

  /**
   * Shuffle, repeat (off, all tracks, one track) and crossfade; modes left out stay as they are. Each mode is
   * coalesced on its own (latest wins), so a double-click ends where the user left it.
   */
  async setPlayModes(groupId: string, change: PlayModesChange): Promise<void> {
    const { model } = this.ctx;
    const id = existingGroup(model, groupId);
    if (change.shuffle === undefined && change.repeat === undefined && change.crossfade === undefined)
      throw new AppError('invalid-request', 'Name a play mode to change.');
    if (change.shuffle !== undefined) requireAction(model, id, 'canShuffle', 'Shuffle');
    if (change.crossfade !== undefined) requireAction(model, id, 'canCrossfade', 'Crossfade');
    if (change.repeat !== undefined) this.requireRepeat(id, change.repeat);
    const landings: Promise<void>[] = [];
    if (change.shuffle !== undefined)
      landings.push(this.mode(id, 'shuffle', change.shuffle, { shuffle: change.shuffle }));
    if (change.crossfade !== undefined)
      landings.push(this.mode(id, 'crossfade', change.crossfade, { crossfade: change.crossfade }));
    if (change.repeat !== undefined)
      landings.push(this.mode(id, 'repeat', change.repeat, this.repeatFlags(id, change.repeat)));
    await Promise.all(landings);
  }

  /** Goes to a position in the current track; a seek drag sends only where it ended (coalesced). */
  async seek(groupId: string, positionMs: number): Promise<void> {
    const { model, delivery } = this.ctx;
    const id = existingGroup(model, groupId);
    requireAction(model, id, 'canSeek', 'Seeking');
    const duration = groupView(model, id).nowPlaying?.durationMs ?? null;
    if (duration !== null && positionMs > duration)
      throw new AppError('invalid-request', `That is past the end of the track (${formatClock(duration)}).`);
    const target = Math.max(0, Math.round(positionMs));
    const restore = model.seekTo(id, target);
    const now = (): string => model.resolveGroupId(id);
    return delivery.coalesced(
      this.seeks,
      `seek:${groupLane(model, id)}`,
      target,
      (p) => ({ kind: 'seek', groupId: now(), positionMs: p }),
      () => restore(true),
      () => restore(false),
    );
  }

  /** Forward or back by `deltaMs` from where the track is now (an absolute seek when we know where that is). */
  async seekBy(groupId: string, deltaMs: number): Promise<void> {
    const { model, delivery } = this.ctx;
    const id = existingGroup(model, groupId);
    requireAction(model, id, 'canSeek', 'Seeking');
    const position = model.positionNow(id);
    if (position !== null) {
      const duration = groupView(model, id).nowPlaying?.durationMs ?? null;
      const target = Math.max(0, position + deltaMs);
      return this.seek(id, duration !== null ? Math.min(duration, target) : target);
    }
    return delivery.inOrder(`pb:${groupLane(model, id)}`, () =>
      delivery.run({ kind: 'seekRelative', groupId: model.resolveGroupId(id), deltaMs: Math.round(deltaMs) }),
    );
  }

  /**
   * Pauses every group that is playing and can pause. Resolves with the coordinators of the groups it paused
   * (player ids, which survive a regroup) so `resumeAll` can restart exactly those.
   */
  async pauseAll(
    householdId?: string,
  ): Promise<{ paused: string[]; failed: { name: string; error: AppError }[] }> {
    const { model } = this.ctx;
    const playing = model
      .groupIds()
      .map((id) => model.group(id)!)
      .filter((g) => (householdId === undefined || g.householdId === householdId) && g.actions.canPause)
      .filter((g) => g.playback === 'playing' || g.playback === 'buffering');
    const results = await Promise.allSettled(playing.map((g) => this.playback(g.id, 'pause')));
    return {
      paused: playing.filter((_, i) => results[i]!.status === 'fulfilled').map((g) => g.coordinatorId),
      failed: playing.flatMap((g, i) => {
        const result = results[i]!;
        return result.status === 'rejected' ? [{ name: g.name, error: toAppError(result.reason) }] : [];
      }),
    };
  }

  /** Plays again the groups led by these speakers (from `pauseAll`) that are still paused; others are left alone. */
  async resumeAll(coordinatorIds: readonly string[]): Promise<{ resumed: string[] }> {
    const { model } = this.ctx;
    const groups = new Map<string, string>();
    for (const playerId of coordinatorIds) {
      const group =
        model.groupIds().find((id) => model.groupRecord(id)!.coordinatorId === playerId) ??
        model.groupOfPlayer(playerId)?.id;
      if (group === undefined) continue;
      const shown = model.shownValue<PlaybackState>('playback', group);
      if (shown === 'paused' || shown === 'idle') groups.set(group, playerId);
    }
    const ids = [...groups.keys()];
    const results = await Promise.allSettled(ids.map((id) => this.playback(id, 'play')));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure && results.every((r) => r.status === 'rejected')) throw toAppError(failure.reason);
    return { resumed: ids.filter((_, i) => results[i]!.status === 'fulfilled') };
  }

  // ---------------------------------------------------------------------------------------------------------

  private mode<K extends 'shuffle' | 'repeat' | 'crossfade'>(
    id: string,
    kind: K,
    value: PlayModes[K],
    flags: SonosPlayModes,
  ): Promise<void> {
    const { model, delivery } = this.ctx;
    const held = model.hold(kind, id, value);
    const now = (): string => model.resolveGroupId(id);
    return delivery.coalesced(
      this.modes,
      `${kind}:${groupLane(model, id)}`,
      flags,
      (latest) => ({ kind: 'playModes', groupId: now(), playModes: latest }),
      () => model.release(kind, now(), true, held),
      () => model.release(kind, now(), false, held),
    );
  }

  private requireRepeat(id: string, repeat: RepeatMode): void {
    const { model } = this.ctx;
    if (repeat === 'all') return requireAction(model, id, 'canRepeat', 'Repeat');
    if (repeat === 'one') return requireAction(model, id, 'canRepeatOne', 'Repeating one track');
    const actions = groupView(model, id).actions;
    if (!actions.canRepeat && !actions.canRepeatOne) requireAction(model, id, 'canRepeat', 'Repeat');
  }

  /** Sonos has two flags; `repeatOne` wins, so it is cleared only when it is on. */
  private repeatFlags(id: string, repeat: RepeatMode): SonosPlayModes {
    const wasOne = this.ctx.model.shownValue<RepeatMode>('repeat', id) === 'one';
    if (repeat === 'one') return { repeatOne: true };
    return { repeat: repeat === 'all', ...(wasOne ? { repeatOne: false } : {}) };
  }
}

function toAppError(error: unknown): AppError {
  return error instanceof AppError
    ? error
    : new AppError('internal', 'The command failed.', { cause: error });
}

/** `m:ss`, or `h:mm:ss` from an hour. */
export function formatClock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
