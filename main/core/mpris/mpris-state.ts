/**
 * What the MPRIS player interface says about a group, as plain values: the D-Bus binding (mpris-service.ts) turns
 * them into typed D-Bus values and sends `PropertiesChanged` with exactly the ones that changed. Property names and
 * meanings follow the MPRIS 2.2 spec (https://specifications.freedesktop.org/mpris-spec/latest/Player_Interface.html).
 */
import { createHash } from 'node:crypto';
import type { Group } from '../../contract/model';

/** The well-known name; desktops list players by the part after `org.mpris.MediaPlayer2.`. */
export const MPRIS_NAME = 'org.mpris.MediaPlayer2.tray_for_sonos';
export const MPRIS_PATH = '/org/mpris/MediaPlayer2';
/** The spec's object path for "no track"; every real track gets a path of its own below ours. */
export const NO_TRACK = '/org/mpris/MediaPlayer2/TrackList/NoTrack';
const TRACK_PATH = '/io/github/trayforsonos/track';

export type PlaybackStatus = 'Playing' | 'Paused' | 'Stopped';

export interface MprisMetadata {
  trackId: string;
  /** Microseconds. */
  length: number | null;
  title: string | null;
  artists: string[];
  album: string | null;
  artUrl: string | null;
}

export interface MprisPlayerState {
  PlaybackStatus: PlaybackStatus;
  Metadata: MprisMetadata;
  /** 0.0–1.0: the group volume / 100. */
  Volume: number;
  CanPlay: boolean;
  CanPause: boolean;
  CanGoNext: boolean;
  CanGoPrevious: boolean;
  /** Seeking is not something the core can do yet, so it is never offered (Seek and SetPosition do nothing). */
  CanSeek: boolean;
}

export function playbackStatus(group: Group | null): PlaybackStatus {
  if (!group) return 'Stopped';
  if (group.playback === 'playing' || group.playback === 'buffering') return 'Playing';
  if (group.playback === 'paused') return 'Paused';
  return 'Stopped';
}

/**
 * A D-Bus object path per track (the spec wants `mpris:trackid` to change when the track does): a short hash of what
 * identifies it, and of the group, so two rooms playing the same song are two tracks.
 */
export function trackId(group: Group): string {
  const now = group.nowPlaying;
  if (!now || (!now.title && !now.container)) return NO_TRACK;
  const hash = createHash('sha256')
    .update([group.coordinatorId, now.title, now.artist, now.album, now.container].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return `${TRACK_PATH}/t${hash}`;
}

export function metadata(group: Group | null): MprisMetadata {
  const now = group?.nowPlaying ?? null;
  if (!group || !now) {
    return { trackId: NO_TRACK, length: null, title: null, artists: [], album: null, artUrl: null };
  }
  return {
    trackId: trackId(group),
    length: now.durationMs !== null && now.durationMs > 0 ? now.durationMs * 1000 : null,
    // Radio has a station and a line of stream text: the station stands in for a missing title.
    title: now.title ?? now.container,
    artists: now.artist ? [now.artist] : [],
    album: now.album,
    artUrl: now.artUrl,
  };
}

export function playerState(group: Group | null): MprisPlayerState {
  const actions = group?.actions;
  return {
    PlaybackStatus: playbackStatus(group),
    Metadata: metadata(group),
    Volume: group?.volume !== null && group?.volume !== undefined ? group.volume / 100 : 0,
    CanPlay: actions?.canPlay ?? false,
    CanPause: actions?.canPause ?? false,
    CanGoNext: actions?.canSkip ?? false,
    CanGoPrevious: actions?.canSkipBack ?? false,
    CanSeek: false,
  };
}

function sameMetadata(a: MprisMetadata, b: MprisMetadata): boolean {
  return (
    a.trackId === b.trackId &&
    a.length === b.length &&
    a.title === b.title &&
    a.album === b.album &&
    a.artUrl === b.artUrl &&
    a.artists.join('\u0000') === b.artists.join('\u0000')
  );
}

/** The properties whose values differ, for one `PropertiesChanged` signal. */
export function changedProperties(
  before: MprisPlayerState,
  after: MprisPlayerState,
): Partial<MprisPlayerState> {
  const changed: Partial<MprisPlayerState> = {};
  for (const key of Object.keys(after) as (keyof MprisPlayerState)[]) {
    const same =
      key === 'Metadata' ? sameMetadata(before.Metadata, after.Metadata) : before[key] === after[key];
    if (!same) (changed as Record<string, unknown>)[key] = after[key];
  }
  return changed;
}

/** A volume from a client, as the group volume: the spec says negative means 0; above 1.0 is capped here. */
export function groupVolumeFrom(volume: number): number {
  if (!Number.isFinite(volume)) return 0;
  return Math.round(Math.min(1, Math.max(0, volume)) * 100);
}

/** Position in microseconds, running on from the last report while playing (players send no position events). */
export function positionMicros(group: Group | null, now: number): number {
  if (!group || group.positionMs === null) return 0;
  let ms = group.positionMs;
  if (playbackStatus(group) === 'Playing' && group.positionAt !== null)
    ms += Math.max(0, now - group.positionAt);
  const length = group.nowPlaying?.durationMs;
  if (length) ms = Math.min(ms, length);
  return Math.round(ms * 1000);
}
