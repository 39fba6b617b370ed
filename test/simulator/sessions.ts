/**
 * What a group plays, and how: the music of one coordinator (it follows the coordinator through regroups), its
 * source, queue, play modes, state and position, and the clock that moves it on. Sources differ the way real ones
 * do in `availablePlaybackActions`:
 * - `playlist`: the Sonos queue (a playlist, album or track loaded from favorites or playlists) — everything;
 * - `radio`: a station — no skip, seek, shuffle, repeat or crossfade, and a pause reports IDLE;
 * - `connect`: a session another app streams (like the captured Spotify Connect status) — all but crossfade;
 * - `none`: a group created without music (`createGroup` without `musicContextGroupId`) — nothing to play.
 */
import { TRACKS, type Track } from './tracks';

export type PlaybackState =
  'PLAYBACK_STATE_IDLE' | 'PLAYBACK_STATE_BUFFERING' | 'PLAYBACK_STATE_PAUSED' | 'PLAYBACK_STATE_PLAYING';

export type Source = 'playlist' | 'radio' | 'connect' | 'none';

/** What was loaded: a station, or a queue of tracks (indexes into TRACKS) with the container it came from. */
export interface Content {
  source: Source;
  /** The container's name: the playlist, album or station. */
  name: string;
  /** `playlist`, `album`, `track`, `station`, `playlist.connect`… (metadata `container.type`). */
  containerType: string;
  objectId: string;
  service: { name: string; id: string };
  tracks: readonly number[];
}

export interface PlayModes {
  repeat: boolean;
  repeatOne: boolean;
  shuffle: boolean;
  crossfade: boolean;
}

export interface Session {
  content: Content;
  state: PlaybackState;
  /** Where in `content.tracks` we are. */
  queueIndex: number;
  /** Index into TRACKS (for radio: which song the station is announcing in `streamInfo`). */
  trackIndex: number;
  /** Position when `positionAt` was taken; the live position adds the time since while playing. */
  positionBase: number;
  positionAt: number;
  previousPositionMillis: number;
  modes: PlayModes;
  timer: NodeJS.Timeout | null;
  /** Shuffle's next pick, deterministic so a seeded household replays the same. */
  shuffleSeed: number;
}

export interface Actions {
  canPlay: boolean;
  canSkip: boolean;
  canSkipBack: boolean;
  canSeek: boolean;
  canPause: boolean;
  canRepeat: boolean;
  canRepeatOne: boolean;
  canCrossfade: boolean;
  canShuffle: boolean;
}

/** What each source allows (radio: docs and the captured metadata; connect: the captured Spotify Connect status). */
export function actionsOf(session: Session): Actions {
  const source = session.content.source;
  const queue = source === 'playlist' || source === 'connect';
  return {
    canPlay: source !== 'none',
    canSkip: queue,
    canSkipBack: queue,
    canSeek: queue,
    canPause: source !== 'none',
    canRepeat: queue,
    canRepeatOne: queue,
    canCrossfade: source === 'playlist',
    canShuffle: queue,
  };
}

export const NO_MODES: PlayModes = { repeat: false, repeatOne: false, shuffle: false, crossfade: false };

export function newSession(content: Content, playing: boolean, now: number, startAt = 0): Session {
  const queueIndex = Math.max(0, Math.min(startAt, content.tracks.length - 1));
  return {
    content,
    state:
      content.source === 'none'
        ? 'PLAYBACK_STATE_IDLE'
        : playing
          ? 'PLAYBACK_STATE_PLAYING'
          : content.source === 'radio'
            ? 'PLAYBACK_STATE_IDLE'
            : 'PLAYBACK_STATE_PAUSED',
    queueIndex,
    trackIndex: content.tracks[queueIndex] ?? 0,
    positionBase: 0,
    positionAt: now,
    previousPositionMillis: 0,
    modes: { ...NO_MODES },
    timer: null,
    shuffleSeed: 1 + queueIndex,
  };
}

export function currentTrack(session: Session): Track {
  return TRACKS[session.trackIndex % TRACKS.length]!;
}

/** The queue position that plays after the current one (null at the end of the queue without repeat). */
export function nextQueueIndex(session: Session, natural: boolean): number | null {
  const length = session.content.tracks.length;
  if (length === 0) return null;
  if (natural && session.modes.repeatOne) return session.queueIndex;
  if (session.modes.shuffle && length > 1) {
    // A pseudo-random other track (an LCG step): shuffle is visible, and the same seed gives the same order.
    session.shuffleSeed = (session.shuffleSeed * 1_103_515_245 + 12_345) % 2 ** 31;
    return (session.queueIndex + 1 + (session.shuffleSeed % (length - 1))) % length;
  }
  const next = session.queueIndex + 1;
  if (next < length) return next;
  // A skip past the end starts over; the queue running out on its own stops unless repeat is on.
  return !natural || session.modes.repeat ? 0 : null;
}

/** Music of a queue source that has more than one track shows the next one in metadata. */
export function peekNext(session: Session): number | null {
  const length = session.content.tracks.length;
  if (session.content.source !== 'playlist' && session.content.source !== 'connect') return null;
  if (session.modes.repeatOne || session.modes.shuffle) return null;
  const next = session.queueIndex + 1;
  if (next < length) return session.content.tracks[next] ?? null;
  return session.modes.repeat && length > 0 ? (session.content.tracks[0] ?? null) : null;
}
