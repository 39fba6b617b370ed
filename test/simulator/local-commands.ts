/**
 * What a player does with a frame received on its websocket, without the socket: decode, validate, route and run.
 * Errors that a player answers at once (bad syntax, unknown namespace or command, missing values, authentication on)
 * come back as `immediate` frames; everything else becomes a `LocalRequest`, which the player server queues per
 * target (hold-back) and then runs with `execute`, so routing is judged against the state at the moment it runs.
 * The rooms-and-music commands (play modes, seek, regrouping, favorites, playlists, home theater) are in
 * local-music-commands.ts.
 */
import {
  coordinatorChanged,
  coordinatorChangedBody,
  globalError,
  groupVolumeBody,
  groupsBody,
  metadataStatusBody,
  playerVolumeBody,
  reply,
  type Frame,
  type FrameContext,
  type Json,
  type JsonObject,
  type Namespace,
  type Scope,
} from './frames';
import type { SimGroup } from './household';
import {
  catalogCommand,
  groupMembersCommand,
  homeTheaterCommand,
  MUSIC_COMMANDS,
  MUSIC_READS,
  playbackCommand,
  validateMusicBody,
} from './local-music-commands';

const NAMESPACES: readonly Namespace[] = [
  'groups',
  'groupVolume',
  'playerVolume',
  'playback',
  'playbackMetadata',
  'favorites',
  'playlists',
  'homeTheater',
];

const COMMANDS: Record<Namespace, readonly string[]> = {
  groupVolume: ['getVolume', 'setVolume', 'setRelativeVolume', 'setMute', 'subscribe', 'unsubscribe'],
  playerVolume: ['getVolume', 'setVolume', 'setRelativeVolume', 'setMute', 'subscribe', 'unsubscribe'],
  playbackMetadata: ['getMetadataStatus', 'subscribe', 'unsubscribe'],
  ...MUSIC_COMMANDS,
};

/** Commands that do not change state; they never wait for the hold-back themselves. */
const READS = new Set([
  'getGroups',
  'getVolume',
  'getPlaybackStatus',
  'getMetadataStatus',
  'subscribe',
  'unsubscribe',
  ...MUSIC_READS,
]);

/**
 * Which id a command's header must carry, as peers found on real players: the household for `groups`, `favorites`
 * and `playlists` lists, a player for `playerVolume` and `homeTheater`, and a group for everything else (including
 * changing a group's members and loading music into it).
 */
export function scopeOf(namespace: Namespace, command: string): 'household' | 'group' | 'player' {
  if (namespace === 'playerVolume' || namespace === 'homeTheater') return 'player';
  if (namespace === 'groups')
    return command === 'modifyGroupMembers' || command === 'setGroupMembers' ? 'group' : 'household';
  if (namespace === 'favorites') return command === 'loadFavorite' ? 'group' : 'household';
  if (namespace === 'playlists') return command === 'loadPlaylist' ? 'group' : 'household';
  return 'group';
}

export interface DecodedFrame {
  header: JsonObject;
  body: JsonObject;
}

export interface LocalRequest {
  namespace: Namespace;
  command: string;
  header: JsonObject;
  body: JsonObject;
  cmdId: Json | undefined;
  scope: Scope;
  /** Hold-back queue key: the group, the player, or the household. */
  targetKey: string;
  mutating: boolean;
}

export type Inbound = { kind: 'immediate'; frame: Frame } | { kind: 'request'; request: LocalRequest };

export interface Subscription {
  namespace: Namespace;
  /** groupId, playerId, or the householdId for household namespaces. */
  targetId: string;
}

export interface Execution {
  reply: Frame;
  /** Subscribe: the snapshot event follows the ack. */
  subscribe?: Subscription;
  unsubscribe?: Subscription;
  /** The state change, run after the ack (volume changes `applyDelayMs` later, like hardware). */
  apply?: () => void;
  delayApply?: boolean;
}

export interface SocketContext {
  frames: FrameContext;
  /** The player whose socket received the frame. */
  playerId: string;
  localAuth: boolean;
}

/** Parses text into `[header, body]`; null means the player answers ERROR_INVALID_SYNTAX. */
export function decodeFrame(text: string): DecodedFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) return null;
  const [header, body = {}] = value as unknown[];
  if (!isObject(header) || !isObject(body)) return null;
  return { header: header as JsonObject, body: body as JsonObject };
}

export function syntaxError(frames: FrameContext): Frame {
  return globalError(frames, {}, undefined, undefined, 'ERROR_INVALID_SYNTAX');
}

/** Accepts `groupVolume` and `groupVolume:1`; the answer always carries `:1`. */
export function namespaceOf(raw: string): Namespace | null {
  const base = raw.endsWith(':1') ? raw.slice(0, -2) : raw;
  return (NAMESPACES as readonly string[]).includes(base) ? (base as Namespace) : null;
}

function unsupportedNamespace(raw: string): string {
  const versioned = /:\d+$/.test(raw) ? raw : `${raw}:1`;
  return `v1:${versioned} namespace is not supported.`;
}

export function validate(ctx: SocketContext, decoded: DecodedFrame): Inbound {
  const { header, body } = decoded;
  const frames = ctx.frames;
  const cmdId = header['cmdId'];
  const scope = scopeFrom(header);
  const response = typeof header['command'] === 'string' ? header['command'] : undefined;
  const fail = (errorCode: string, reason?: string): Inbound => ({
    kind: 'immediate',
    frame: globalError(frames, scope, response, cmdId, errorCode, reason),
  });

  if (ctx.localAuth) return fail('ERROR_NO_PERMISSION', 'Authentication required');
  const rawNamespace = header['namespace'];
  if (typeof rawNamespace !== 'string')
    return fail('ERROR_MISSING_PARAMETERS', 'Missing required value:[0].namespace');
  if (response === undefined) return fail('ERROR_MISSING_PARAMETERS', 'Missing required value:[0].command');
  const namespace = namespaceOf(rawNamespace);
  if (!namespace) return fail('ERROR_UNSUPPORTED_NAMESPACE', unsupportedNamespace(rawNamespace));
  const command = response;
  if (!COMMANDS[namespace].includes(command)) {
    return fail('ERROR_UNSUPPORTED_COMMAND', `v1:${namespace}:1 ${command} command is not supported.`);
  }
  const householdId = header['householdId'];
  if (typeof householdId !== 'string')
    return fail('ERROR_MISSING_PARAMETERS', 'Missing required value:[0].householdId');
  if (householdId !== frames.household.householdId) {
    return fail('ERROR_INVALID_OBJECT_ID', `Invalid householdId:${householdId}`);
  }

  let targetKey = 'household';
  let requestScope: Scope = {};
  const kind = scopeOf(namespace, command);
  if (kind === 'player') {
    const playerId = header['playerId'];
    if (typeof playerId !== 'string')
      return fail('ERROR_MISSING_PARAMETERS', 'Missing required value:[0].playerId');
    // A player answers only for itself (our best guess at the real error; no capture shows it).
    if (playerId !== ctx.playerId) return fail('ERROR_INVALID_OBJECT_ID', `Invalid playerId:${playerId}`);
    // A speaker without HT_PLAYBACK has no homeTheater namespace (the reason text is the captured one's shape).
    if (namespace === 'homeTheater' && !frames.household.player(playerId)?.homeTheater)
      return fail('ERROR_UNSUPPORTED_NAMESPACE', unsupportedNamespace(rawNamespace));
    targetKey = `player:${playerId}`;
    requestScope = { playerId };
  } else if (kind === 'group') {
    const groupId = header['groupId'];
    if (typeof groupId !== 'string')
      return fail('ERROR_MISSING_PARAMETERS', 'Missing required value:[0].groupId');
    targetKey = `group:${groupId}`;
    requestScope = { groupId };
  }

  const bodyError = validateBody(namespace, command, body) ?? validateMusicBody(namespace, command, body);
  if (bodyError) return fail(bodyError.code, bodyError.reason);

  return {
    kind: 'request',
    request: {
      namespace,
      command,
      header,
      body,
      cmdId,
      scope: requestScope,
      targetKey,
      mutating: !READS.has(command),
    },
  };
}

/** Runs a validated request against the current state, routing group commands to the coordinator only. */
export function execute(ctx: SocketContext, request: LocalRequest): Execution {
  const frames = ctx.frames;
  const household = frames.household;
  const { namespace, command, cmdId, scope } = request;
  const kind = scopeOf(namespace, command);

  if (kind === 'player') {
    const player = household.player(ctx.playerId);
    if (!player) throw new Error(`socket of unknown player ${ctx.playerId}`);
    if (namespace === 'homeTheater') return homeTheaterCommand(ctx, request, player);
    return volumeCommand(ctx, request, {
      get: () => playerVolumeBody(player),
      set: (v) => household.setPlayerVolume(player.id, v),
      relative: (d) => household.setPlayerRelativeVolume(player.id, d),
      mute: (m) => household.setPlayerMute(player.id, m),
      subscription: { namespace, targetId: player.id },
    });
  }

  if (kind === 'household') {
    const subscription: Subscription = { namespace, targetId: household.householdId };
    if (command === 'subscribe')
      return { reply: reply(frames, namespace, scope, command, cmdId), subscribe: subscription };
    if (command === 'unsubscribe') {
      return { reply: reply(frames, namespace, scope, command, cmdId), unsubscribe: subscription };
    }
    if (namespace === 'groups' && command === 'getGroups')
      return { reply: reply(frames, namespace, scope, command, cmdId, groupsBody(frames, { rest: false })) };
    if (namespace === 'groups') return groupMembersCommand(ctx, request, null);
    return catalogCommand(ctx, request, null);
  }

  // Group namespaces: only the coordinator answers; others point at it (MOVED) or say the group is GONE.
  const groupId = 'groupId' in scope ? scope.groupId : '';
  const lookup = household.lookupGroup(groupId);
  if (lookup.status !== 'current' || lookup.group.coordinatorId !== ctx.playerId) {
    return {
      reply: coordinatorChanged(
        frames,
        namespace,
        groupId,
        command,
        cmdId,
        coordinatorChangedBody(frames, lookup),
      ),
    };
  }
  const group: SimGroup = lookup.group;
  const subscription: Subscription = { namespace, targetId: group.id };
  if (command === 'subscribe')
    return { reply: reply(frames, namespace, scope, command, cmdId), subscribe: subscription };
  if (command === 'unsubscribe')
    return { reply: reply(frames, namespace, scope, command, cmdId), unsubscribe: subscription };

  switch (namespace) {
    case 'groupVolume':
      return volumeCommand(ctx, request, {
        get: () => groupVolumeBody(frames, group),
        set: (v) => household.setGroupVolume(group.id, v),
        relative: (d) => household.setGroupRelativeVolume(group.id, d),
        mute: (m) => household.setGroupMute(group.id, m),
        subscription,
      });
    case 'playback':
      return playbackCommand(ctx, request, group);
    case 'playbackMetadata':
      return { reply: reply(frames, namespace, scope, command, cmdId, metadataStatusBody(frames, group)) };
    case 'groups':
      return groupMembersCommand(ctx, request, group);
    default:
      return catalogCommand(ctx, request, group);
  }
}

interface VolumeTarget {
  get(): JsonObject;
  set(volume: number): void;
  relative(delta: number): void;
  mute(muted: boolean): void;
  subscription: Subscription;
}

function volumeCommand(ctx: SocketContext, request: LocalRequest, target: VolumeTarget): Execution {
  const { namespace, command, cmdId, scope, body } = request;
  const ack = reply(ctx.frames, namespace, scope, command, cmdId);
  switch (command) {
    case 'getVolume':
      return { reply: reply(ctx.frames, namespace, scope, command, cmdId, target.get()) };
    case 'subscribe':
      return { reply: ack, subscribe: target.subscription };
    case 'unsubscribe':
      return { reply: ack, unsubscribe: target.subscription };
    case 'setVolume':
      return { reply: ack, apply: () => target.set(Number(body['volume'])), delayApply: true };
    case 'setRelativeVolume':
      return { reply: ack, apply: () => target.relative(Number(body['volumeDelta'])), delayApply: true };
    default:
      return { reply: ack, apply: () => target.mute(body['muted'] === true), delayApply: true };
  }
}

function validateBody(
  namespace: Namespace,
  command: string,
  body: JsonObject,
): { code: string; reason: string } | null {
  const missing = (name: string) => ({
    code: 'ERROR_MISSING_PARAMETERS',
    reason: `Missing required value:[1].${name}`,
  });
  const invalid = (name: string) => ({
    code: 'ERROR_INVALID_PARAMETER',
    reason: `Invalid value:[1].${name}`,
  });
  const integerIn = (name: string, min: number, max: number) => {
    const value = body[name];
    if (value === undefined) return missing(name);
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? null
      : invalid(name);
  };
  if (namespace === 'groupVolume' || namespace === 'playerVolume') {
    if (command === 'setVolume') return integerIn('volume', 0, 100);
    if (command === 'setRelativeVolume') return integerIn('volumeDelta', -100, 100);
    if (command === 'setMute') {
      if (body['muted'] === undefined) return missing('muted');
      return typeof body['muted'] === 'boolean' ? null : invalid('muted');
    }
  }
  return null;
}

function scopeFrom(header: JsonObject): Scope {
  if (typeof header['groupId'] === 'string') return { groupId: header['groupId'] };
  if (typeof header['playerId'] === 'string') return { playerId: header['playerId'] };
  return {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
