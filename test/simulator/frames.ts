/**
 * Builders for everything a player or the cloud sends: websocket headers and bodies, REST bodies. Field names, order
 * and value types follow the real captures in test/fixtures/captures (capture-shapes.test.ts holds them to it).
 */
import { API_VERSION, MIN_API_VERSION } from './devices';
import type { GroupLookup, Household, SimGroup, SimPlayer } from './household';
import { actionsOf, peekNext } from './sessions';
import { radioStreamInfo, trackAt, type Track } from './tracks';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Frame = [JsonObject, JsonObject];

/** The namespaces the simulated players serve, as written without the `:1` version suffix. */
export type Namespace =
  | 'groups'
  | 'groupVolume'
  | 'playerVolume'
  | 'playback'
  | 'playbackMetadata'
  | 'favorites'
  | 'playlists'
  | 'homeTheater';

/** Which id a header names: group namespaces a group, playerVolume a player, groups neither. */
export type Scope = { groupId: string } | { playerId: string } | Record<string, never>;

export interface FrameContext {
  readonly household: Household;
  websocketUrl(playerId: string): string;
  restUrl(playerId: string): string;
  /**
   * Art of a track (`trackIndex` ≥ 0) or of the radio station (< 0), served by the group's coordinator itself (a
   * favorite, which has no group, by the household's first player).
   */
  artUrl(trackIndex: number, coordinatorId?: string): string;
}

/** Event header `name` and `type` per namespace; they differ for metadata, as captured. */
export const EVENT_NAMES: Record<Namespace, { name: string; type: string }> = {
  groups: { name: 'groups', type: 'groups' },
  groupVolume: { name: 'groupVolume', type: 'groupVolume' },
  playerVolume: { name: 'playerVolume', type: 'playerVolume' },
  playback: { name: 'playbackStatus', type: 'playbackStatus' },
  playbackMetadata: { name: 'playbackMetadataStatus', type: 'metadataStatus' },
  // Captured (ws.favorites.versionChanged.event.json); the playlists name is our guess by analogy.
  favorites: { name: 'favoritesVersionChange', type: 'versionChanged' },
  playlists: { name: 'playlistsVersionChange', type: 'versionChanged' },
  homeTheater: { name: 'homeTheaterOptions', type: 'homeTheaterOptions' },
};

function base(ctx: FrameContext, namespace: string, scope: Scope): JsonObject {
  return {
    namespace,
    householdId: ctx.household.householdId,
    locationId: ctx.household.locationId,
    ...scope,
  };
}

export function replyHeader(
  ctx: FrameContext,
  namespace: Namespace,
  scope: Scope,
  response: string,
  success: boolean,
  type: string,
  cmdId: Json | undefined,
): JsonObject {
  const header: JsonObject = { ...base(ctx, `${namespace}:1`, scope), response, success, type };
  if (cmdId !== undefined) header['cmdId'] = cmdId;
  return header;
}

export function reply(
  ctx: FrameContext,
  namespace: Namespace,
  scope: Scope,
  response: string,
  cmdId: Json | undefined,
  body: JsonObject = {},
): Frame {
  const type = typeof body['_objectType'] === 'string' ? body['_objectType'] : 'none';
  return [replyHeader(ctx, namespace, scope, response, true, type, cmdId), body];
}

export function eventHeader(ctx: FrameContext, namespace: Namespace, scope: Scope): JsonObject {
  const { name, type } = EVENT_NAMES[namespace];
  return { ...base(ctx, `${namespace}:1`, scope), name, type };
}

/** Errors come back in the `global` namespace whatever was asked, with the ids the client sent. */
export function globalError(
  ctx: FrameContext,
  scope: Scope,
  response: string | undefined,
  cmdId: Json | undefined,
  errorCode: string,
  reason?: string,
): Frame {
  const header: JsonObject = base(ctx, 'global', scope);
  if (response !== undefined) header['response'] = response;
  header['success'] = false;
  header['type'] = 'globalError';
  if (cmdId !== undefined) header['cmdId'] = cmdId;
  const body: JsonObject = { _objectType: 'globalError', errorCode };
  if (reason !== undefined) body['reason'] = reason;
  return [header, body];
}

/** The answer to a group command sent to a player that is not (or no longer) the group's coordinator. */
export function coordinatorChanged(
  ctx: FrameContext,
  namespace: Namespace,
  groupId: string,
  response: string,
  cmdId: Json | undefined,
  body: JsonObject,
): Frame {
  return [replyHeader(ctx, namespace, { groupId }, response, false, 'groupCoordinatorChanged', cmdId), body];
}

export function coordinatorChangedBody(ctx: FrameContext, lookup: GroupLookup): JsonObject {
  if (lookup.status === 'gone')
    return { _objectType: 'groupCoordinatorChanged', groupStatus: 'GROUP_STATUS_GONE' };
  const group = lookup.group;
  return {
    _objectType: 'groupCoordinatorChanged',
    groupStatus: 'GROUP_STATUS_MOVED',
    groupName: ctx.household.groupName(group),
    websocketUrl: ctx.websocketUrl(group.coordinatorId),
    playerId: group.coordinatorId,
  };
}

// ---- bodies ----

export function groupVolumeBody(ctx: FrameContext, group: SimGroup): JsonObject {
  return {
    _objectType: 'groupVolume',
    volume: ctx.household.groupVolume(group),
    muted: ctx.household.groupMuted(group),
    fixed: false,
  };
}

export function playerVolumeBody(player: SimPlayer): JsonObject {
  return { _objectType: 'playerVolume', volume: player.volume, muted: player.muted, fixed: false };
}

export function playbackStatusBody(ctx: FrameContext, group: SimGroup): JsonObject {
  const session = group.session;
  const actions = actionsOf(session);
  const { repeat, repeatOne, shuffle, crossfade } = session.modes;
  return {
    _objectType: 'playbackStatus',
    playbackState: session.state,
    isDucking: false,
    positionMillis: Math.round(ctx.household.position(session)),
    previousPositionMillis: Math.round(session.previousPositionMillis),
    playModes: { _objectType: 'playMode', repeat, repeatOne, shuffle, crossfade },
    availablePlaybackActions: {
      _objectType: 'playbackAction',
      canPlay: actions.canPlay,
      canSkip: actions.canSkip,
      canSkipBack: actions.canSkipBack,
      canSkipToPrevious: actions.canSkipBack,
      canSeek: actions.canSeek,
      canPause: actions.canPause,
      canStop: actions.canPause,
      canRepeat: actions.canRepeat,
      canRepeatOne: actions.canRepeatOne,
      canCrossfade: actions.canCrossfade,
      canShuffle: actions.canShuffle,
    },
  };
}

function serviceBody(service: { name: string; id: string }): JsonObject {
  return { _objectType: 'service', name: service.name, id: service.id, images: [] };
}

function musicObjectId(serviceId: string, objectId: string): JsonObject {
  return { _objectType: 'universalMusicObjectId', serviceId, objectId, accountId: 'sn_1' };
}

function trackBody(
  ctx: FrameContext,
  track: Track,
  index: number,
  current: boolean,
  service: { name: string; id: string },
  coordinatorId: string,
): JsonObject {
  // A current item carries art, ids, service, duration and quality; the next item is as bare as in the capture.
  const body: JsonObject = { _objectType: 'track', type: 'track', name: track.name };
  if (current) {
    const url = ctx.artUrl(index, coordinatorId);
    body['imageUrl'] = url;
    body['images'] = [{ _objectType: 'image', url }];
  } else {
    body['images'] = [];
  }
  if (track.album !== undefined) body['album'] = { _objectType: 'album', name: track.album };
  body['artist'] = { _objectType: 'artist', name: track.artist };
  if (current) {
    body['id'] = musicObjectId(service.id, track.objectId);
    body['service'] = serviceBody(service);
    body['durationMillis'] = ctx.household.trackLengthMs;
    body['quality'] = {
      _objectType: 'trackQuality',
      bitDepth: 16,
      sampleRate: 44100,
      lossless: false,
      immersive: false,
    };
  } else {
    body['quality'] = { _objectType: 'trackQuality' };
  }
  return body;
}

export function metadataStatusBody(ctx: FrameContext, group: SimGroup): JsonObject {
  const session = group.session;
  const content = session.content;
  // A group made without music has nothing to describe.
  if (content.source === 'none') return { _objectType: 'metadataStatus' };
  const container = {
    _objectType: 'container',
    name: content.name,
    type: content.containerType,
    id: musicObjectId(content.service.id, content.objectId),
    service: serviceBody(content.service),
  };
  if (content.source === 'radio') {
    // Radio has no queue: no currentItem/nextItem, the song is only text in streamInfo.
    const url = ctx.artUrl(-1, group.coordinatorId);
    return {
      _objectType: 'metadataStatus',
      container: { ...container, imageUrl: url, images: [{ _objectType: 'image', url }] },
      streamInfo: radioStreamInfo(session.trackIndex),
    };
  }
  const body: JsonObject = {
    _objectType: 'metadataStatus',
    container: { ...container, images: [] },
    currentItem: {
      _objectType: 'queueItem',
      track: trackBody(
        ctx,
        trackAt(session.trackIndex),
        session.trackIndex,
        true,
        content.service,
        group.coordinatorId,
      ),
      policies: { _objectType: 'playbackPolicy' },
    },
  };
  // The next item is known only when the queue plays in order (not on shuffle or repeat-one, not at its end).
  const next = peekNext(session);
  if (next !== null) {
    body['nextItem'] = {
      _objectType: 'queueItem',
      track: trackBody(ctx, trackAt(next), next, false, content.service, group.coordinatorId),
      policies: { _objectType: 'playbackPolicy' },
    };
  }
  body['playbackSession'] = {
    _objectType: 'directControl',
    clientId: content.source === 'connect' ? 'sim.connect.client' : 'sim.direct.control',
    isSuspended: false,
    accountId: '',
  };
  return body;
}

function deviceIdOf(player: SimPlayer): string {
  return player.id.slice('RINCON_'.length, 'RINCON_'.length + 12);
}

function versions(): JsonObject {
  return {
    _objectType: 'sdkVersions',
    controlAPI: [API_VERSION, '3.6.0'],
    trueplaySDK: ['6'],
    audioTxProtocol: [3],
    htAudioTxProtocol: [7],
  };
}

/** `deviceFeatures` appear in the local info answer only, not in groups. */
export function deviceInfoBody(ctx: FrameContext, player: SimPlayer, withFeatures = false): JsonObject {
  const mac = deviceIdOf(player);
  return {
    _objectType: 'deviceInfo',
    id: player.id,
    serialNumber: `${mac.match(/../g)?.join('-') ?? mac}:${player.serialSuffix}`,
    deviceId: mac,
    model: player.device.model,
    modelDisplayName: player.device.modelDisplayName,
    color: player.device.color,
    capabilities: [...player.device.capabilities],
    ...(withFeatures
      ? { deviceFeatures: player.device.features.map((name) => ({ _objectType: 'feature', name })) }
      : {}),
    apiVersion: API_VERSION,
    minApiVersion: MIN_API_VERSION,
    name: player.name,
    websocketUrl: ctx.websocketUrl(player.id),
    softwareVersion: player.softwareVersion,
    hwVersion: player.device.hwVersion,
    swGen: 2,
    versions: versions(),
    quarantineReasons: [],
  };
}

export function playerBody(ctx: FrameContext, player: SimPlayer): JsonObject {
  return {
    _objectType: 'player',
    id: player.id,
    name: player.name,
    websocketUrl: ctx.websocketUrl(player.id),
    softwareVersion: player.softwareVersion,
    apiVersion: API_VERSION,
    minApiVersion: MIN_API_VERSION,
    isUnregistered: false,
    capabilities: [...player.device.capabilities],
    zoneInfo: {
      _objectType: 'activeZone',
      name: player.name,
      members: [
        {
          _objectType: 'activeZoneMember',
          id: player.id,
          channelMap: [],
          state: { _objectType: 'zoneMemberState', disconnected: false },
        },
      ],
    },
    deviceIds: [player.id],
    devices: [deviceInfoBody(ctx, player)],
  };
}

export function groupBody(ctx: FrameContext, group: SimGroup, withPlaybackState: boolean): JsonObject {
  const body: JsonObject = {
    _objectType: 'group',
    id: group.id,
    name: ctx.household.groupName(group),
    coordinatorId: group.coordinatorId,
  };
  // REST groups carry playbackState; websocket groups do not (it would flood groups events), as captured.
  if (withPlaybackState) body['playbackState'] = group.session.state;
  body['playerIds'] = [...group.playerIds];
  return body;
}

export function groupsBody(ctx: FrameContext, options: { rest: boolean }): JsonObject {
  return {
    _objectType: 'groups',
    groups: ctx.household.groups().map((g) => groupBody(ctx, g, options.rest)),
    players: ctx.household.players().map((p) => playerBody(ctx, p)),
    partial: false,
  };
}

export function groupInfoBody(ctx: FrameContext, group: SimGroup): JsonObject {
  return { _objectType: 'groupInfo', group: groupBody(ctx, group, false) };
}

/** `GET /api/v1/players/local/info`, as a real player answers it. */
export function localInfoBody(ctx: FrameContext, player: SimPlayer): JsonObject {
  return {
    _objectType: 'discoveryInfo',
    device: deviceInfoBody(ctx, player, true),
    householdId: ctx.household.householdId,
    locationId: ctx.household.locationId,
    playerId: player.id,
    deviceId: deviceIdOf(player),
    groupId: ctx.household.groupOf(player.id).id,
    websocketUrl: ctx.websocketUrl(player.id),
    restUrl: ctx.restUrl(player.id),
    allowGuestAccess: true,
    credentialTypeAllowed: 'API_KEY',
  };
}

// ---- rooms and music ----

/** `favoritesList`, shaped like the captured `rest.favorites.json` (id, version and service id are strings). */
export function favoritesBody(ctx: FrameContext): JsonObject {
  const library = ctx.household.library;
  return {
    _objectType: 'favoritesList',
    version: library.favoritesVersion,
    items: library.favorites().map((favorite) => {
      const content = favorite.content;
      const url = ctx.artUrl(content.source === 'radio' ? -1 : (content.tracks[0] ?? 0));
      return {
        _objectType: 'favorite',
        id: favorite.id,
        name: favorite.name,
        description: favorite.description,
        imageUrl: url,
        images: [{ _objectType: 'image', url }],
        service: serviceBody(content.service),
        resource: {
          _objectType: 'contentResource',
          type: favorite.kind,
          id: { ...musicObjectId(content.service.id, content.objectId), accountId: 'sn_2' },
          name: favorite.name,
          explicit: false,
          playable: true,
          metadata: { _objectType: 'contentMetadataBlob' },
          images: [],
        },
      };
    }),
  };
}

/** `playlistsList` as Sonos' OpenAPI description has it: `{version, playlists[{id, name, type, trackCount}]}`. */
export function playlistsBody(ctx: FrameContext): JsonObject {
  const library = ctx.household.library;
  return {
    _objectType: 'playlistsList',
    version: library.playlistsVersion,
    playlists: library.playlists().map((playlist) => ({
      _objectType: 'playlist',
      id: playlist.id,
      name: playlist.name,
      type: 'playlist',
      trackCount: playlist.tracks.length,
    })),
  };
}

/** `getPlaylist`: a `playlistSummary` with its tracks (name, artist, album). */
export function playlistSummaryBody(ctx: FrameContext, id: string): JsonObject | null {
  const playlist = ctx.household.library.playlist(id);
  if (!playlist) return null;
  return {
    _objectType: 'playlistSummary',
    id: playlist.id,
    name: playlist.name,
    type: 'playlist',
    tracks: playlist.tracks.map((index) => {
      const track = trackAt(index);
      const body: JsonObject = { _objectType: 'playlistTrack', name: track.name, artist: track.artist };
      if (track.album !== undefined) body['album'] = track.album;
      return body;
    }),
  };
}

/** The captured `versionChanged` body: only the version, so the list must be read again. */
export function versionChangedBody(version: string): JsonObject {
  return { _objectType: 'versionChanged', version };
}

export function homeTheaterBody(player: SimPlayer): JsonObject {
  const options = player.homeTheater ?? { nightMode: false, enhanceDialog: false };
  return {
    _objectType: 'homeTheaterOptions',
    nightMode: options.nightMode,
    enhanceDialog: options.enhanceDialog,
  };
}

/** A regroup refused for these players (OpenAPI `playerSetError`, with `playerIds` since 1.17.0). */
export function playerSetErrorBody(errorCode: string, reason: string, playerIds: string[]): JsonObject {
  return { _objectType: 'playerSetError', errorCode, reason, playerIds: [...playerIds] };
}
