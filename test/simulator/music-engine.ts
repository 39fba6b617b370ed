/**
 * Runs a group's music: transport, play modes, seeking, loading a favorite or playlist, and the clock that moves a
 * playing queue on (repeat one restarts the track, shuffle picks another, the end of the queue stops unless repeat
 * is on, a station moves on forever). Every change is announced as a household change so players send the
 * `playbackStatus` / `metadataStatus` events real ones send. No position events: clients run their own clock.
 */
import type { HouseholdChange, SimGroup } from './household';
import {
  actionsOf,
  newSession,
  nextQueueIndex,
  type Content,
  type PlaybackState,
  type PlayModes,
  type Session,
} from './sessions';
import { TRACKS } from './tracks';

export type PlaybackAction = 'play' | 'pause' | 'togglePlayPause' | 'skipToNextTrack' | 'skipToPreviousTrack';
export const PLAYBACK_ACTIONS: readonly PlaybackAction[] = [
  'play',
  'pause',
  'togglePlayPause',
  'skipToNextTrack',
  'skipToPreviousTrack',
];

export type QueueAction = 'REPLACE' | 'APPEND' | 'INSERT' | 'INSERT_NEXT';
export const QUEUE_ACTIONS: readonly QueueAction[] = ['REPLACE', 'APPEND', 'INSERT', 'INSERT_NEXT'];

export interface MusicEngineDeps {
  now: () => number;
  trackMs: number;
  emit: (change: HouseholdChange) => void;
  /** The group that plays this session now (music follows its coordinator across regroups). */
  groupOf: (session: Session) => SimGroup | undefined;
  disposed: () => boolean;
}

export class MusicEngine {
  constructor(private readonly deps: MusicEngineDeps) {}

  get trackMs(): number {
    return this.deps.trackMs;
  }

  create(content: Content, playing: boolean, startAt = 0): Session {
    return newSession(content, playing, this.deps.now(), startAt);
  }

  position(session: Session): number {
    if (session.state !== 'PLAYBACK_STATE_PLAYING') return session.positionBase;
    return Math.min(
      this.deps.trackMs,
      Math.max(0, session.positionBase + (this.deps.now() - session.positionAt)),
    );
  }

  /** Returns false when the source does not allow the action (skipping a radio station, playing nothing). */
  playback(group: SimGroup, action: PlaybackAction): boolean {
    const session = group.session;
    const actions = actionsOf(session);
    const playing = session.state === 'PLAYBACK_STATE_PLAYING';
    switch (action) {
      case 'play':
        if (!actions.canPlay) return false;
        if (!playing) this.setState(group, 'PLAYBACK_STATE_PLAYING');
        return true;
      case 'pause':
        if (playing) this.setState(group, this.pausedState(session));
        return true;
      case 'togglePlayPause':
        if (!playing && !actions.canPlay) return false;
        this.setState(group, playing ? this.pausedState(session) : 'PLAYBACK_STATE_PLAYING');
        return true;
      case 'skipToNextTrack':
      case 'skipToPreviousTrack': {
        if (!actions.canSkip) return false;
        const length = session.content.tracks.length;
        const target =
          action === 'skipToNextTrack'
            ? (nextQueueIndex(session, false) ?? 0)
            : (session.queueIndex - 1 + length) % length;
        this.moveTo(group, target);
        return true;
      }
    }
  }

  /**
   * Sets the modes named (the others stay). Refused as a whole, changing nothing, when the source does not allow
   * one of them; returns the name of the first one refused.
   */
  setPlayModes(group: SimGroup, modes: Partial<PlayModes>): keyof PlayModes | null {
    const session = group.session;
    const actions = actionsOf(session);
    const allowed: Record<keyof PlayModes, boolean> = {
      repeat: actions.canRepeat,
      repeatOne: actions.canRepeatOne,
      shuffle: actions.canShuffle,
      crossfade: actions.canCrossfade,
    };
    for (const key of Object.keys(modes) as (keyof PlayModes)[]) if (!allowed[key]) return key;
    const before = JSON.stringify(session.modes);
    session.modes = { ...session.modes, ...modes };
    if (JSON.stringify(session.modes) !== before) {
      this.deps.emit({ kind: 'playback', groupId: group.id });
      // The next item shown in metadata depends on repeat and shuffle.
      this.deps.emit({ kind: 'metadata', groupId: group.id });
    }
    return null;
  }

  /** Goes to `positionMs` in the current track (clamped to it); returns false when the source cannot seek. */
  seek(group: SimGroup, positionMs: number): boolean {
    const session = group.session;
    if (!actionsOf(session).canSeek) return false;
    session.positionBase = Math.max(0, Math.min(this.deps.trackMs, Math.round(positionMs)));
    session.positionAt = this.deps.now();
    this.schedule(session);
    this.deps.emit({ kind: 'playback', groupId: group.id });
    return true;
  }

  /**
   * Loads music into the group. REPLACE puts it in place of what played; the others add to the queue when the
   * group plays a queue and otherwise replace too (the queue is what becomes active). A station always replaces.
   */
  load(
    group: SimGroup,
    content: Content,
    action: QueueAction,
    playOnCompletion: boolean,
    modes: Partial<PlayModes> | null,
  ): void {
    const session = group.session;
    const queue = session.content.source === 'playlist' && content.source === 'playlist';
    if (action !== 'REPLACE' && queue) {
      const at = action === 'APPEND' ? session.content.tracks.length : session.queueIndex + 1;
      const tracks = [...session.content.tracks];
      tracks.splice(at, 0, ...content.tracks);
      session.content = { ...session.content, tracks };
      if (playOnCompletion && session.state !== 'PLAYBACK_STATE_PLAYING') {
        session.positionBase = this.position(session);
        session.positionAt = this.deps.now();
        session.state = 'PLAYBACK_STATE_PLAYING';
      }
    } else {
      const fresh = this.create(content, playOnCompletion);
      session.content = fresh.content;
      session.queueIndex = fresh.queueIndex;
      session.trackIndex = fresh.trackIndex;
      session.previousPositionMillis = this.position(session);
      session.positionBase = 0;
      session.positionAt = this.deps.now();
      // OpenAPI: without playOnCompletion the player stays idle.
      session.state = playOnCompletion ? 'PLAYBACK_STATE_PLAYING' : 'PLAYBACK_STATE_IDLE';
    }
    if (modes) {
      // Modes the new music does not allow are not taken (a station cannot shuffle).
      const actions = actionsOf(session);
      const allowed = {
        repeat: actions.canRepeat,
        repeatOne: actions.canRepeatOne,
        shuffle: actions.canShuffle,
        crossfade: actions.canCrossfade,
      };
      for (const key of Object.keys(modes) as (keyof PlayModes)[])
        if (allowed[key] && modes[key] !== undefined) session.modes[key] = modes[key];
    }
    this.schedule(session);
    this.deps.emit({ kind: 'playback', groupId: group.id });
    this.deps.emit({ kind: 'metadata', groupId: group.id });
  }

  /** Another app takes the group over (a Spotify Connect session), or a station starts, from "another controller". */
  replace(group: SimGroup, content: Content): void {
    this.load(group, content, 'REPLACE', true, null);
  }

  /** Tracks advance on their own while playing; there are no position events, clients run their own clock. */
  schedule(session: Session): void {
    this.clearTimer(session);
    if (this.deps.disposed() || session.state !== 'PLAYBACK_STATE_PLAYING') return;
    const remaining = Math.max(0, this.deps.trackMs - this.position(session));
    session.timer = setTimeout(() => {
      session.timer = null;
      const group = this.deps.groupOf(session);
      if (group) this.trackEnded(group);
    }, remaining);
    session.timer.unref();
  }

  clearTimer(session: Session): void {
    if (session.timer) clearTimeout(session.timer);
    session.timer = null;
  }

  // ---- internals ----

  private trackEnded(group: SimGroup): void {
    const session = group.session;
    if (session.content.source === 'radio')
      return this.moveTo(group, (session.queueIndex + 1) % TRACKS.length);
    const next = nextQueueIndex(session, true);
    if (next !== null) return this.moveTo(group, next);
    // The queue ran out: stopped at its start, as a Sonos queue without repeat does.
    session.previousPositionMillis = this.position(session);
    session.queueIndex = 0;
    session.trackIndex = session.content.tracks[0] ?? 0;
    session.positionBase = 0;
    session.positionAt = this.deps.now();
    session.state = 'PLAYBACK_STATE_IDLE';
    this.deps.emit({ kind: 'playback', groupId: group.id });
    this.deps.emit({ kind: 'metadata', groupId: group.id });
  }

  /** Real players report IDLE, not PAUSED, when a radio stream is paused (it cannot resume where it was). */
  private pausedState(session: Session): PlaybackState {
    return session.content.source === 'radio' ? 'PLAYBACK_STATE_IDLE' : 'PLAYBACK_STATE_PAUSED';
  }

  private setState(group: SimGroup, state: PlaybackState): void {
    const session = group.session;
    session.positionBase = session.content.source === 'radio' ? 0 : this.position(session);
    session.positionAt = this.deps.now();
    session.state = state;
    this.schedule(session);
    this.deps.emit({ kind: 'playback', groupId: group.id });
  }

  private moveTo(group: SimGroup, queueIndex: number): void {
    const session = group.session;
    session.previousPositionMillis = this.position(session);
    session.queueIndex = queueIndex;
    session.trackIndex =
      session.content.source === 'radio' ? queueIndex : (session.content.tracks[queueIndex] ?? 0);
    session.positionBase = 0;
    session.positionAt = this.deps.now();
    this.schedule(session);
    if (session.content.source !== 'radio') this.deps.emit({ kind: 'playback', groupId: group.id });
    this.deps.emit({ kind: 'metadata', groupId: group.id });
  }
}
