/**
 * Sonos bodies (local events and cloud answers share them) turned into the contract's model values. Metadata is
 * sparse for many sources — radio has no current item, TV input only a container, tracks may lack album or
 * duration — so every field is optional and nothing reads "undefined".
 */
import type * as v from 'valibot';
import type { NowPlaying, PlaybackActions, PlaybackState } from '../../contract/model';
import type { GroupsUpdate } from '../household/household-model';
import type { GroupsBodySchema, MetadataStatusBodySchema, PlaybackStatusBodySchema } from './local/frames';

type MetadataBody = v.InferOutput<typeof MetadataStatusBodySchema>;
type PlaybackBody = v.InferOutput<typeof PlaybackStatusBodySchema>;
type GroupsBody = v.InferOutput<typeof GroupsBodySchema>;

/**
 * A `groups` body (local event or cloud answer) as the household model takes it. `addresses: false` leaves the
 * players' websocket URLs out: the LAN addresses in a cloud answer say nothing about whether we can reach them.
 */
export function toGroupsUpdate(body: GroupsBody, options: { addresses: boolean }): GroupsUpdate {
  return {
    groups: body.groups.map((g) => ({
      id: g.id,
      name: g.name,
      coordinatorId: g.coordinatorId,
      playerIds: g.playerIds,
      ...(g.playbackState ? { playbackState: toPlaybackState(g.playbackState) } : {}),
    })),
    players: body.players.map((p) => ({
      id: p.id,
      name: p.name,
      websocketUrl: options.addresses ? p.websocketUrl : undefined,
    })),
  };
}

export function toPlaybackState(state: string | undefined): PlaybackState {
  switch (state) {
    case 'PLAYBACK_STATE_PLAYING':
      return 'playing';
    case 'PLAYBACK_STATE_PAUSED':
      return 'paused';
    case 'PLAYBACK_STATE_IDLE':
      return 'idle';
    case 'PLAYBACK_STATE_BUFFERING':
      return 'buffering';
    default:
      return 'unknown';
  }
}

export const DEFAULT_ACTIONS: PlaybackActions = {
  canPlay: true,
  canPause: true,
  canSkip: true,
  canSkipBack: true,
};

export function toPlaybackActions(body: PlaybackBody): PlaybackActions {
  const actions = body.availablePlaybackActions;
  if (!actions) return { ...DEFAULT_ACTIONS };
  return {
    canPlay: actions.canPlay ?? true,
    canPause: actions.canPause ?? true,
    canSkip: actions.canSkip ?? false,
    canSkipBack: actions.canSkipBack ?? actions.canSkipToPrevious ?? false,
  };
}

const text = (value: string | undefined | null): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 256) : null;
};

/**
 * Album art URLs over http or https. Which of them can be shown is the art proxy's decision (main/core/art): http
 * only from the player's own address, https from the internet; the popover only ever gets a path main serves.
 */
function artUrl(...candidates: (string | undefined)[]): string | null {
  for (const candidate of candidates) {
    if (candidate && candidate.length <= 4096 && /^https?:\/\/[^\s]+$/i.test(candidate)) return candidate;
  }
  return null;
}

export function toNowPlaying(body: MetadataBody): NowPlaying | null {
  const track = body.currentItem?.track;
  const container = body.container;
  const stream = text(body.streamInfo);
  const nowPlaying: NowPlaying = {
    title: text(track?.name) ?? stream,
    artist: text(track?.artist?.name),
    album: text(track?.album?.name),
    container: text(container?.name),
    service: text(track?.service?.name) ?? text(container?.service?.name),
    artUrl: artUrl(
      track?.imageUrl,
      track?.images?.[0]?.url,
      container?.imageUrl,
      container?.images?.[0]?.url,
    ),
    durationMs:
      track?.durationMillis !== undefined && track.durationMillis > 0
        ? Math.round(track.durationMillis)
        : null,
  };
  const empty = Object.values(nowPlaying).every((value) => value === null);
  return empty ? null : nowPlaying;
}

/** Two now-playing values describe the same track (for "track changed" announcements and notifications). */
export function sameTrack(a: NowPlaying | null, b: NowPlaying | null): boolean {
  if (a === null || b === null) return a === b;
  return a.title === b.title && a.artist === b.artist && a.album === b.album && a.container === b.container;
}
