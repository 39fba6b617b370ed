/**
 * The simulator's control surface: what tests (in-process) and the HTTP control API use to look at the household
 * and to play "another controller" or inject faults. Every method here has a `POST /<method>` twin in
 * control-server.ts with the same argument names.
 */
import { issuePlayerCertificate, type Authority } from './certs';
import type { CloudFailMode, CloudFailure, CloudServer } from './cloud-server';
import { PLAYBACK_ACTIONS, type Household, type PlaybackAction, type PlaybackState } from './household';
import { CONNECT_MIX, DEFAULT_MIX, stationContent, type FavoriteKind } from './library';
import type { PlayModes, Source } from './sessions';
import type { OAuthStore } from './oauth-store';
import { OAUTH_MODES, normaliseGroups, type OAuthMode } from './options';
import { GARBAGE_KINDS, type GarbageKind, type PlayerServer } from './player-server';
import { RADIO, radioStreamInfo, trackAt } from './tracks';

/** A player id, or its 1-based number in the household. */
export type PlayerRef = string | number;

export interface SimulatorState {
  householdId: string;
  localAuth: boolean;
  oauthMode: OAuthMode;
  cloudFailure: CloudFailMode;
  players: {
    id: string;
    name: string;
    volume: number;
    muted: boolean;
    groupId: string;
    online: boolean;
    port: number;
    openSockets: number;
    softwareVersion: string;
    /** null for players without HT_PLAYBACK. */
    homeTheater: { nightMode: boolean; enhanceDialog: boolean } | null;
  }[];
  groups: {
    id: string;
    name: string;
    coordinatorId: string;
    playerIds: string[];
    volume: number;
    muted: boolean;
    playbackState: PlaybackState;
    positionMillis: number;
    source: Source;
    /** The loaded playlist, album, track or station. */
    container: string | null;
    playModes: PlayModes;
    /** null for radio, whose song is only `streamInfo` text, and for a group with nothing to play. */
    track: { name: string; artist: string; album: string | null } | null;
    streamInfo: string | null;
  }[];
  favorites: { version: string; items: { id: string; name: string; kind: FavoriteKind }[] };
  playlists: { version: string; items: { id: string; name: string; trackCount: number }[] };
}

export interface SimulatorControl {
  /** Cuts every websocket of the player without a close frame; the player stays reachable. */
  dropSockets(playerId: PlayerRef): void;
  /** Closes the player's sockets and stops listening: connections are refused until `bringOnline`. */
  takeOffline(playerId: PlayerRef): Promise<void>;
  bringOnline(playerId: PlayerRef): Promise<void>;
  /** Drops sockets, refuses connections for `downMs` (default `rebootMs`), then listens again on the same port. */
  reboot(playerId: PlayerRef, downMs?: number): Promise<void>;
  /** A new certificate (same CA) on the same port; existing connections are cut. */
  rotateCertificate(playerId: PlayerRef): Promise<{ fingerprint256: string }>;
  /** Sends a malformed frame to every open socket of the player; returns how many sockets got it. */
  sendGarbage(playerId: PlayerRef, kind: GarbageKind): number;
  /** Extra delay for every local reply/event and cloud answer from now on (0 to stop). */
  delayReplies(ms: number): void;
  /** The group continues under `playerId` with a new id; returns it. */
  moveCoordinator(groupId: string, playerId: PlayerRef): string;
  /** `"1+2,3"` or `[[1, 2], [3]]`; returns the group ids afterwards. */
  regroup(groups: string | number[][]): string[];
  setPlayerVolume(playerId: PlayerRef, volume: number): void;
  setGroupVolume(groupId: string, volume: number): void;
  /** A group id mutes the whole group; a player id (or number) one player. */
  setMute(id: PlayerRef, muted: boolean): void;
  /** Returns false when the source does not allow it (skipping radio). */
  playback(groupId: string, action: PlaybackAction): boolean;
  /** Like another controller; false when the source does not allow a mode (nothing changes then). */
  setPlayModes(groupId: string, modes: Partial<PlayModes>): boolean;
  /** Like another controller; false when the source cannot seek. */
  seek(groupId: string, positionMillis: number): boolean;
  /** Another app starts playing on the group: the Sonos queue, a radio station, or a Connect-like stream. */
  playSource(groupId: string, source: 'playlist' | 'radio' | 'connect'): void;
  /** Plays a favorite as another controller would (REPLACE, play). */
  loadFavorite(groupId: string, favoriteId: string): void;
  /** Saves a favorite (a station or a queue) → its id; refused past 70. Players send versionChanged. */
  addFavorite(name: string, kind?: 'station' | 'playlist'): string;
  removeFavorite(favoriteId: string): void;
  /** A new Sonos playlist → its id. */
  addPlaylist(name: string, trackCount?: number): string;
  removePlaylist(playlistId: string): void;
  /** Night sound / speech enhancement changed on the speaker (no event: players send none for these). */
  setHomeTheater(playerId: PlayerRef, options: { nightMode?: boolean; enhanceDialog?: boolean }): void;
  /** A player on another software version cannot be grouped with the others until they match again. */
  setSoftwareVersion(playerId: PlayerRef, version: string): void;
  failCloud(failure: CloudFailure): void;
  expireAllTokens(): void;
  revokeRefreshTokens(): void;
  /** "Authentication on": every local command answers ERROR_NO_PERMISSION. */
  setLocalAuth(enabled: boolean): void;
  setOAuthMode(mode: OAuthMode): void;
}

export interface ControlParts {
  household: Household;
  servers: Map<string, PlayerServer>;
  cloud: CloudServer;
  oauth: OAuthStore;
  authority: Authority;
  rebootMs: number;
  flags: {
    localAuth: boolean;
    oauthMode: OAuthMode;
    extraDelayMs: number;
    cloudFailure: () => CloudFailMode;
  };
}

export function createControl(parts: ControlParts): {
  control: SimulatorControl;
  state: () => SimulatorState;
} {
  const { household, servers, flags } = parts;

  const playerId = (ref: PlayerRef): string => {
    if (typeof ref === 'number') return household.playerAt(ref - 1).id;
    if (!household.player(ref)) throw new RangeError(`no player ${ref}`);
    return ref;
  };
  const server = (ref: PlayerRef): PlayerServer => {
    const found = servers.get(playerId(ref));
    if (!found) throw new RangeError(`no player ${String(ref)}`);
    return found;
  };
  const groupId = (id: string): string => {
    if (!household.group(id)) throw new RangeError(`no current group ${id}`);
    return id;
  };
  const volume = (value: number): number => {
    if (!Number.isInteger(value) || value < 0 || value > 100)
      throw new RangeError('volume must be an integer 0..100');
    return value;
  };

  const control: SimulatorControl = {
    dropSockets: (ref) => server(ref).dropSockets(),
    takeOffline: (ref) => server(ref).goOffline(),
    bringOnline: (ref) => server(ref).goOnline(),
    reboot: (ref, downMs) => server(ref).reboot(downMs ?? parts.rebootMs),
    async rotateCertificate(ref) {
      const target = server(ref);
      const id = playerId(ref);
      const certificate = await issuePlayerCertificate(parts.authority, `${id}.sonos.local`);
      await target.rotateCertificate(certificate);
      return { fingerprint256: certificate.fingerprint256 };
    },
    sendGarbage(ref, kind) {
      if (!GARBAGE_KINDS.includes(kind)) throw new RangeError(`unknown garbage kind ${String(kind)}`);
      return server(ref).sendGarbage(kind);
    },
    delayReplies(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('ms must be >= 0');
      flags.extraDelayMs = ms;
      for (const s of servers.values()) s.setExtraReplyDelay(ms);
    },
    moveCoordinator: (id, ref) => household.moveCoordinator(groupId(id), playerId(ref)).id,
    regroup(groups) {
      household.regroup(normaliseGroups(groups, household.players().length));
      return household.groups().map((g) => g.id);
    },
    setPlayerVolume: (ref, value) => household.setPlayerVolume(playerId(ref), volume(value)),
    setGroupVolume: (id, value) => household.setGroupVolume(groupId(id), volume(value)),
    setMute(id, muted) {
      if (typeof id === 'string' && household.group(id)) household.setGroupMute(id, muted);
      else household.setPlayerMute(playerId(id), muted);
    },
    playback(id, action) {
      if (!PLAYBACK_ACTIONS.includes(action)) throw new RangeError(`unknown action ${String(action)}`);
      return household.playback(groupId(id), action);
    },
    setPlayModes(id, modes) {
      const keys = Object.keys(modes);
      if (keys.some((k) => !['repeat', 'repeatOne', 'shuffle', 'crossfade'].includes(k)))
        throw new RangeError('modes are repeat, repeatOne, shuffle and crossfade');
      return household.music.setPlayModes(household.requireGroup(groupId(id)), modes) === null;
    },
    seek: (id, ms) => household.music.seek(household.requireGroup(groupId(id)), ms),
    playSource(id, source) {
      const content =
        source === 'radio' ? stationContent(RADIO) : source === 'connect' ? CONNECT_MIX : DEFAULT_MIX;
      household.play(groupId(id), content);
    },
    loadFavorite(id, favoriteId) {
      const favorite = household.library.favorite(favoriteId);
      if (!favorite) throw new RangeError(`no favorite ${favoriteId}`);
      household.music.load(household.requireGroup(groupId(id)), favorite.content, 'REPLACE', true, null);
    },
    addFavorite: (name, kind) => household.library.addFavorite(name, kind).id,
    removeFavorite: (id) => household.library.removeFavorite(id),
    addPlaylist: (name, trackCount) => household.library.addPlaylist(name, trackCount).id,
    removePlaylist: (id) => household.library.removePlaylist(id),
    setHomeTheater(ref, options) {
      const player = household.requirePlayer(playerId(ref));
      if (!player.homeTheater) throw new RangeError(`${player.name} is not a home-theater player`);
      if (options.nightMode !== undefined) player.homeTheater.nightMode = options.nightMode;
      if (options.enhanceDialog !== undefined) player.homeTheater.enhanceDialog = options.enhanceDialog;
    },
    setSoftwareVersion: (ref, version) => household.setSoftwareVersion(playerId(ref), version),
    failCloud: (failure) => parts.cloud.failCloud(failure),
    expireAllTokens: () => parts.oauth.expireAllTokens(),
    revokeRefreshTokens: () => parts.oauth.revokeRefreshTokens(),
    setLocalAuth(enabled) {
      flags.localAuth = enabled;
    },
    setOAuthMode(mode) {
      if (!OAUTH_MODES.includes(mode)) throw new RangeError(`unknown oauth mode ${String(mode)}`);
      flags.oauthMode = mode;
    },
  };

  const state = (): SimulatorState => ({
    householdId: household.householdId,
    localAuth: flags.localAuth,
    oauthMode: flags.oauthMode,
    cloudFailure: flags.cloudFailure(),
    players: household.players().map((p) => {
      const s = servers.get(p.id);
      return {
        id: p.id,
        name: p.name,
        volume: p.volume,
        muted: p.muted,
        groupId: household.groupOf(p.id).id,
        online: s?.online ?? false,
        port: s?.port ?? 0,
        openSockets: s?.openSockets ?? 0,
        softwareVersion: p.softwareVersion,
        homeTheater: p.homeTheater ? { ...p.homeTheater } : null,
      };
    }),
    groups: household.groups().map((g) => {
      const session = g.session;
      const track = trackAt(session.trackIndex);
      return {
        id: g.id,
        name: household.groupName(g),
        coordinatorId: g.coordinatorId,
        playerIds: [...g.playerIds],
        volume: household.groupVolume(g),
        muted: household.groupMuted(g),
        playbackState: session.state,
        positionMillis: Math.round(household.position(session)),
        source: session.content.source,
        container: session.content.source === 'none' ? null : session.content.name,
        playModes: { ...session.modes },
        track:
          session.content.source === 'radio' || session.content.source === 'none'
            ? null
            : { name: track.name, artist: track.artist, album: track.album ?? null },
        streamInfo: session.content.source === 'radio' ? radioStreamInfo(session.trackIndex) : null,
      };
    }),
    favorites: {
      version: household.library.favoritesVersion,
      items: household.library.favorites().map((f) => ({ id: f.id, name: f.name, kind: f.kind })),
    },
    playlists: {
      version: household.library.playlistsVersion,
      items: household.library
        .playlists()
        .map((p) => ({ id: p.id, name: p.name, trackCount: p.tracks.length })),
    },
  });

  return { control, state };
}
