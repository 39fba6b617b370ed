/**
 * Builders for everything a player or the cloud sends: websocket headers and bodies, REST bodies. Field names, order
 * and value types follow the real captures in test/fixtures/captures (capture-shapes.test.ts holds them to it).
 */
import { API_VERSION, MIN_API_VERSION, SOFTWARE_VERSION } from './devices';
import type { GroupLookup, Household, SimGroup, SimPlayer } from './household';
import { PLAYLIST_NAME, RADIO, radioStreamInfo, trackAt, type Track } from './tracks';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Frame = [JsonObject, JsonObject];

/** The namespaces the simulated players serve, as written without the `:1` version suffix. */
export type Namespace = 'groups' | 'groupVolume' | 'playerVolume' | 'playback' | 'playbackMetadata';

/** Which id a header names: group namespaces a group, playerVolume a player, groups neither. */
export type Scope = { groupId: string } | { playerId: string } | Record<string, never>;

export interface FrameContext {
  readonly household: Household;
  websocketUrl(playerId: string): string;
  restUrl(playerId: string): string;
  /** Art of a track (`trackIndex` ≥ 0) or of the radio station (< 0), served by the group's coordinator itself. */
  artUrl(trackIndex: number, coordinatorId: string): string;
}

/** Event header `name` and `type` per namespace; they differ for metadata, as captured. */
export const EVENT_NAMES: Record<Namespace, { name: string; type: string }> = {
  groups: { name: 'groups', type: 'groups' },
  groupVolume: { name: 'groupVolume', type: 'groupVolume' },
  playerVolume: { name: 'playerVolume', type: 'playerVolume' },
  playback: { name: 'playbackStatus', type: 'playbackStatus' },
  playbackMetadata: { name: 'playbackMetadataStatus', type: 'metadataStatus' },
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
  const queue = session.source === 'playlist';
  return {
    _objectType: 'playbackStatus',
    playbackState: session.state,
    isDucking: false,
    positionMillis: Math.round(ctx.household.position(session)),
    previousPositionMillis: Math.round(session.previousPositionMillis),
    playModes: { _objectType: 'playMode', repeat: false, repeatOne: false, shuffle: false, crossfade: false },
    availablePlaybackActions: {
      _objectType: 'playbackAction',
      canPlay: true,
      canSkip: queue,
      canSkipBack: queue,
      canSkipToPrevious: queue,
      canSeek: queue,
      canPause: true,
      canStop: true,
      canRepeat: queue,
      canRepeatOne: queue,
      canCrossfade: false,
      canShuffle: queue,
    },
  };
}

const SERVICE: JsonObject = { _objectType: 'service', name: 'Simulated Music', id: '1999', images: [] };

function musicObjectId(serviceId: string, objectId: string): JsonObject {
  return { _objectType: 'universalMusicObjectId', serviceId, objectId, accountId: 'sn_1' };
}

function trackBody(
  ctx: FrameContext,
  group: SimGroup,
  track: Track,
  index: number,
  current: boolean,
): JsonObject {
  // A current item carries art, ids, service, duration and quality; the next item is as bare as in the capture.
  const body: JsonObject = { _objectType: 'track', type: 'track', name: track.name };
  if (current) {
    const url = ctx.artUrl(index, group.coordinatorId);
    body['imageUrl'] = url;
    body['images'] = [{ _objectType: 'image', url }];
  } else {
    body['images'] = [];
  }
  if (track.album !== undefined) body['album'] = { _objectType: 'album', name: track.album };
  body['artist'] = { _objectType: 'artist', name: track.artist };
  if (current) {
    body['id'] = musicObjectId('1999', track.objectId);
    body['service'] = SERVICE;
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
  if (session.source === 'radio') {
    // Radio has no queue: no currentItem/nextItem, the song is only text in streamInfo.
    const url = ctx.artUrl(-1, group.coordinatorId);
    return {
      _objectType: 'metadataStatus',
      container: {
        _objectType: 'container',
        name: RADIO.name,
        type: 'station',
        id: musicObjectId(RADIO.serviceId, RADIO.objectId),
        service: { _objectType: 'service', name: RADIO.serviceName, id: RADIO.serviceId, images: [] },
        imageUrl: url,
        images: [{ _objectType: 'image', url }],
      },
      streamInfo: radioStreamInfo(session.trackIndex),
    };
  }
  return {
    _objectType: 'metadataStatus',
    container: {
      _objectType: 'container',
      name: PLAYLIST_NAME,
      type: 'playlist',
      id: musicObjectId('1999', 'sim:playlist:loopback-mix'),
      service: SERVICE,
      images: [],
    },
    currentItem: {
      _objectType: 'queueItem',
      track: trackBody(ctx, group, trackAt(session.trackIndex), session.trackIndex, true),
      policies: { _objectType: 'playbackPolicy' },
    },
    nextItem: {
      _objectType: 'queueItem',
      track: trackBody(ctx, group, trackAt(session.trackIndex + 1), session.trackIndex + 1, false),
      policies: { _objectType: 'playbackPolicy' },
    },
    playbackSession: {
      _objectType: 'directControl',
      clientId: 'sim.direct.control',
      isSuspended: false,
      accountId: '',
    },
  };
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
    softwareVersion: SOFTWARE_VERSION,
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
    softwareVersion: SOFTWARE_VERSION,
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
