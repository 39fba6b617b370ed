/**
 * Sonos bodies (local events and cloud answers share them) turned into the contract's model values. Metadata is
 * sparse for many sources — radio has no current item, TV input only a container, tracks may lack album or
 * duration — so every field is optional and nothing reads "undefined".
 */
import type * as v from 'valibot';
import type {
  FavoritesList,
  NowPlaying,
  PlaybackActions,
  PlaybackState,
  PlaylistsList,
  PlayModes,
} from '../../contract/model';
import { DEFAULT_ACTIONS, type GroupsUpdate, type PlaybackStatus } from '../household/household-types';

export { DEFAULT_ACTIONS };
import type {
  FavoritesBodySchema,
  GroupsBodySchema,
  MetadataStatusBodySchema,
  PlaybackStatusBodySchema,
  PlaylistsBodySchema,
} from './local/frames';

type MetadataBody = v.InferOutput<typeof MetadataStatusBodySchema>;
type PlaybackBody = v.InferOutput<typeof PlaybackStatusBodySchema>;
type GroupsBody = v.InferOutput<typeof GroupsBodySchema>;
type FavoritesBody = v.InferOutput<typeof FavoritesBodySchema>;
type PlaylistsBody = v.InferOutput<typeof PlaylistsBodySchema>;

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
      homeTheater: p.capabilities?.includes('HT_PLAYBACK') ?? false,
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

/** `availablePlaybackActions`: a flag the player leaves out is not offered (only play and pause default to yes). */
export function toPlaybackActions(body: PlaybackBody): PlaybackActions {
  const actions = body.availablePlaybackActions;
  if (!actions) return { ...DEFAULT_ACTIONS };
  return {
    canPlay: actions.canPlay ?? true,
    canPause: actions.canPause ?? true,
    canSkip: actions.canSkip ?? false,
    canSkipBack: actions.canSkipBack ?? actions.canSkipToPrevious ?? false,
    canSeek: actions.canSeek ?? false,
    canShuffle: actions.canShuffle ?? false,
    canRepeat: actions.canRepeat ?? false,
    canRepeatOne: actions.canRepeatOne ?? false,
    canCrossfade: actions.canCrossfade ?? false,
  };
}

/** Sonos' `repeat` and `repeatOne` flags as one three-way value (`repeatOne` wins when both are set). */
export function toPlayModes(body: PlaybackBody): PlayModes | null {
  const modes = body.playModes;
  if (!modes) return null;
  return {
    shuffle: modes.shuffle ?? false,
    repeat: modes.repeatOne ? 'one' : modes.repeat ? 'all' : 'off',
    crossfade: modes.crossfade ?? false,
  };
}

export function toPlaybackStatus(body: PlaybackBody): PlaybackStatus {
  return {
    state: toPlaybackState(body.playbackState),
    actions: toPlaybackActions(body),
    positionMs: body.positionMillis ?? null,
    playModes: toPlayModes(body),
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

/** A `favoritesList` body as the model keeps it (Sonos keeps at most 70; anything beyond is not shown). */
export function toFavoritesList(body: FavoritesBody): FavoritesList {
  return {
    version: text(body.version) ?? '',
    items: body.items.slice(0, 70).flatMap((item) => {
      const id = item.id.trim();
      if (!id || id.length > 256) return [];
      return [
        {
          id,
          name: text(item.name) ?? id,
          description: text(item.description),
          service: text(item.service?.name),
          artUrl: artUrl(item.images?.[0]?.url, item.imageUrl),
        },
      ];
    }),
  };
}

export function toPlaylistsList(body: PlaylistsBody): PlaylistsList {
  return {
    version: text(body.version) ?? '',
    items: body.playlists.slice(0, 100).flatMap((item) => {
      const id = item.id.trim();
      if (!id || id.length > 256) return [];
      const count = item.trackCount;
      return [
        {
          id,
          name: text(item.name) ?? id,
          trackCount: count !== undefined && Number.isInteger(count) && count >= 0 ? count : null,
        },
      ];
    }),
  };
}

/** Two now-playing values describe the same track (for "track changed" announcements and notifications). */
export function sameTrack(a: NowPlaying | null, b: NowPlaying | null): boolean {
  if (a === null || b === null) return a === b;
  return a.title === b.title && a.artist === b.artist && a.album === b.album && a.container === b.container;
}
