/**
 * The shapes the household model takes in and keeps. They sit a floor below both the model and the Sonos
 * normalisers (`sonos/normalize.ts`), so neither imports the other.
 */
import type {
  AppErrorPayload,
  ConnectionState,
  FavoritesList,
  NowPlaying,
  PlaybackActions,
  PlaybackState,
  PlaylistsList,
  PlayModes,
  Transport,
} from '../../contract/model';

/** A full `groups` body (local event or cloud answer) as the model takes it. */
export interface GroupsUpdate {
  groups: {
    id: string;
    name: string | undefined;
    coordinatorId: string;
    playerIds: string[];
    playbackState?: PlaybackState;
  }[];
  players: {
    id: string;
    name: string | undefined;
    websocketUrl: string | undefined;
    /** The player has the `HT_PLAYBACK` capability (night sound, speech enhancement). */
    homeTheater?: boolean;
  }[];
}

export interface GroupsDiff {
  addedGroups: string[];
  removedGroups: string[];
  /** Old group id → the new id of the group led by the same coordinator (a regroup kept it). */
  renamedGroups: Map<string, string>;
  addedPlayers: string[];
  removedPlayers: string[];
}

/** A playback status (local event or cloud answer) as the model takes it. */
export interface PlaybackStatus {
  state: PlaybackState;
  actions: PlaybackActions;
  positionMs: number | null;
  playModes: PlayModes | null;
}

/**
 * Before a group's first playback status: the transport buttons that nearly every source has, and none of the
 * modes (offering shuffle to a radio station and refusing it later would be worse than showing it a moment late).
 */
export const DEFAULT_ACTIONS: PlaybackActions = {
  canPlay: true,
  canPause: true,
  canSkip: true,
  canSkipBack: true,
  canSeek: false,
  canShuffle: false,
  canRepeat: false,
  canRepeatOne: false,
  canCrossfade: false,
};

export interface PlayerRecord {
  id: string;
  householdId: string;
  sonosName: string;
  websocketUrl: string | null;
  fixedVolume: boolean;
  connection: ConnectionState;
  problem: AppErrorPayload | null;
  homeTheater: boolean;
}

export interface GroupRecord {
  id: string;
  householdId: string;
  sonosName: string;
  coordinatorId: string;
  playerIds: string[];
  fixedVolume: boolean;
  actions: PlaybackActions;
  nowPlaying: NowPlaying | null;
  /** The track's position at `positionAt` (epoch ms): the clock the popover runs. */
  positionMs: number | null;
  positionAt: number | null;
}

export interface HouseholdRecord {
  id: string;
  transport: Transport | null;
  favorites: FavoritesList | null;
  playlists: PlaylistsList | null;
}
