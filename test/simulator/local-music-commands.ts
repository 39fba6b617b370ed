/**
 * The rooms-and-music commands a player runs: transport, play modes and seeking (`playback:1`), regrouping
 * (`groups:1`), favorites and playlists, and home-theater options. Bodies and required fields follow Sonos' OpenAPI
 * description of the Control API (v2.0.0): `setPlayModes {playModes}`, `seek {positionMillis, itemId?}`,
 * `seekRelative {deltaMillis, itemId?}`, `modifyGroupMembers {playerIdsToAdd, playerIdsToRemove}` (both required),
 * `setGroupMembers {playerIds}`, `createGroup {playerIds, musicContextGroupId?}`, `loadFavorite {favoriteId,
 * action?, playOnCompletion?, playModes?}`, `loadPlaylist {playlistId, …}`. Asking for what the source does not
 * allow answers `ERROR_DISALLOWED_BY_POLICY` (our guess at the code; the OpenAPI description lists it for seek).
 */
import {
  favoritesBody,
  globalError,
  groupInfoBody,
  homeTheaterBody,
  playbackStatusBody,
  playerSetErrorBody,
  playlistSummaryBody,
  playlistsBody,
  replyHeader,
  reply,
  type Frame,
  type Json,
  type JsonObject,
  type Namespace,
} from './frames';
import { IncompatiblePlayersError, InvalidPlayersError, type SimGroup, type SimPlayer } from './household';
import type { Execution, LocalRequest, SocketContext } from './local-commands';
import { PLAYBACK_ACTIONS, QUEUE_ACTIONS, type PlaybackAction, type QueueAction } from './music-engine';
import { actionsOf, type Actions, type Content, type PlayModes } from './sessions';

export const MUSIC_COMMANDS = {
  groups: ['getGroups', 'subscribe', 'unsubscribe', 'modifyGroupMembers', 'setGroupMembers', 'createGroup'],
  playback: [
    'getPlaybackStatus',
    'subscribe',
    'unsubscribe',
    ...PLAYBACK_ACTIONS,
    'setPlayModes',
    'seek',
    'seekRelative',
  ],
  favorites: ['getFavorites', 'subscribe', 'unsubscribe', 'loadFavorite'],
  playlists: ['getPlaylists', 'getPlaylist', 'subscribe', 'unsubscribe', 'loadPlaylist'],
  homeTheater: ['getOptions', 'setOptions', 'subscribe', 'unsubscribe'],
} as const satisfies Partial<Record<Namespace, readonly string[]>>;

export const MUSIC_READS = ['getFavorites', 'getPlaylists', 'getPlaylist', 'getOptions'] as const;

const MODES: readonly (keyof PlayModes)[] = ['repeat', 'repeatOne', 'shuffle', 'crossfade'];
/** OpenAPI `maxItems` of every player list in a grouping command. */
const MAX_PLAYERS = 32;

type BodyError = { code: string; reason: string } | null;

export function validateMusicBody(namespace: Namespace, command: string, body: JsonObject): BodyError {
  const missing = (name: string) => ({
    code: 'ERROR_MISSING_PARAMETERS',
    reason: `Missing required value:[1].${name}`,
  });
  const invalid = (name: string) => ({
    code: 'ERROR_INVALID_PARAMETER',
    reason: `Invalid value:[1].${name}`,
  });
  const ids = (name: string, required: boolean): BodyError => {
    const value = body[name];
    if (value === undefined) return required ? missing(name) : null;
    return Array.isArray(value) && value.length <= MAX_PLAYERS && value.every((v) => typeof v === 'string')
      ? null
      : invalid(name);
  };
  const text = (name: string, required: boolean): BodyError => {
    const value = body[name];
    if (value === undefined) return required ? missing(name) : null;
    return typeof value === 'string' && value.length > 0 ? null : invalid(name);
  };
  const integer = (name: string, min: number): BodyError => {
    const value = body[name];
    if (value === undefined) return missing(name);
    return typeof value === 'number' && Number.isInteger(value) && value >= min ? null : invalid(name);
  };
  const flag = (name: string): BodyError =>
    body[name] === undefined || typeof body[name] === 'boolean' ? null : invalid(name);
  const modes = (name: string, required: boolean): BodyError => {
    const value = body[name];
    if (value === undefined) return required ? missing(name) : null;
    if (!isObject(value)) return invalid(name);
    const bad = MODES.find((m) => value[m] !== undefined && typeof value[m] !== 'boolean');
    return bad ? invalid(`${name}.${bad}`) : null;
  };
  const load = (idName: string): BodyError => {
    const action = body['action'];
    if (action !== undefined && !(QUEUE_ACTIONS as readonly Json[]).includes(action))
      return invalid('action');
    return text(idName, true) ?? flag('playOnCompletion') ?? modes('playModes', false);
  };
  switch (`${namespace}/${command}`) {
    case 'groups/modifyGroupMembers':
      return ids('playerIdsToAdd', true) ?? ids('playerIdsToRemove', true);
    case 'groups/setGroupMembers':
      return ids('playerIds', true);
    case 'groups/createGroup':
      return ids('playerIds', true) ?? text('musicContextGroupId', false);
    case 'playback/setPlayModes':
      return modes('playModes', true);
    case 'playback/seek':
      return integer('positionMillis', 0) ?? text('itemId', false);
    case 'playback/seekRelative':
      return integer('deltaMillis', Number.MIN_SAFE_INTEGER) ?? text('itemId', false);
    case 'favorites/loadFavorite':
      return load('favoriteId');
    case 'playlists/loadPlaylist':
      return load('playlistId');
    case 'playlists/getPlaylist':
      return text('playlistId', true);
    case 'homeTheater/setOptions':
      // Only the options present change (docs); an empty body changes nothing.
      return flag('nightMode') ?? flag('enhanceDialog');
    default:
      return null;
  }
}

export function playbackCommand(ctx: SocketContext, request: LocalRequest, group: SimGroup): Execution {
  const { namespace, command, cmdId, scope, body } = request;
  const frames = ctx.frames;
  const music = frames.household.music;
  const ack = reply(frames, namespace, scope, command, cmdId);
  const disallowed = (what: string): Execution => ({
    reply: globalError(frames, scope, command, cmdId, 'ERROR_DISALLOWED_BY_POLICY', `${what} is not allowed`),
  });
  switch (command) {
    case 'getPlaybackStatus':
      return { reply: reply(frames, namespace, scope, command, cmdId, playbackStatusBody(frames, group)) };
    case 'setPlayModes': {
      const modes = body['playModes'] as Partial<PlayModes>;
      // Judged now, applied right after the ack (nothing runs in between); refused as a whole.
      const refused = refusedMode(group, modes);
      if (refused) return disallowed(refused);
      return { reply: ack, apply: () => void music.setPlayModes(group, modes) };
    }
    case 'seek':
    case 'seekRelative': {
      // There is no cloud queue here, so no item id can match the current item (OpenAPI: ERROR_INVALID_OBJECT_ID).
      if (body['itemId'] !== undefined)
        return {
          reply: globalError(frames, scope, command, cmdId, 'ERROR_INVALID_OBJECT_ID', 'Invalid itemId'),
        };
      if (refusedMode(group, {}, 'seek')) return disallowed('Seek');
      const target =
        command === 'seek'
          ? Number(body['positionMillis'])
          : music.position(group.session) + Number(body['deltaMillis']);
      return { reply: ack, apply: () => void music.seek(group, target) };
    }
    default: {
      const action = command as PlaybackAction;
      if (refusedAction(group, action)) {
        // A station has no queue (availablePlaybackActions says canSkip: false); nothing at all cannot play.
        return group.session.content.source === 'none'
          ? {
              reply: globalError(
                frames,
                scope,
                command,
                cmdId,
                'ERROR_PLAYBACK_NO_CONTENT',
                'Nothing to play',
              ),
            }
          : disallowed('Skip');
      }
      return { reply: ack, apply: () => void music.playback(group, action) };
    }
  }
}

/** `groups:1`: change a group's members (`group` given), or create a group (household-scoped, `group` null). */
export function groupMembersCommand(
  ctx: SocketContext,
  request: LocalRequest,
  group: SimGroup | null,
): Execution {
  const { namespace, command, cmdId, scope, body } = request;
  const household = ctx.frames.household;
  try {
    let result: SimGroup;
    if (command === 'createGroup') {
      const from = body['musicContextGroupId'];
      if (typeof from === 'string' && !household.group(from)) {
        return {
          reply: globalError(
            ctx.frames,
            scope,
            command,
            cmdId,
            'ERROR_INVALID_OBJECT_ID',
            `Invalid groupId:${from}`,
          ),
        };
      }
      result = household.createGroup(strings(body['playerIds']), typeof from === 'string' ? from : undefined);
    } else if (command === 'setGroupMembers') {
      result = household.setGroupMembers(group!.id, strings(body['playerIds']));
    } else {
      result = household.modifyGroupMembers(
        group!.id,
        strings(body['playerIdsToAdd']),
        strings(body['playerIdsToRemove']),
      );
    }
    return { reply: reply(ctx.frames, namespace, scope, command, cmdId, groupInfoBody(ctx.frames, result)) };
  } catch (error) {
    if (error instanceof IncompatiblePlayersError) {
      // OpenAPI: "Muse v2 sends playerSetError which includes playerIds array since version 1.17.0". That it comes
      // in the groups namespace with type playerSetError is our guess (no capture).
      const header = replyHeader(ctx.frames, namespace, scope, command, false, 'playerSetError', cmdId);
      return {
        reply: [
          header,
          playerSetErrorBody(
            'ERROR_INVALID_PARAMETER',
            'Players run different software versions',
            error.playerIds,
          ),
        ] as Frame,
      };
    }
    if (!(error instanceof InvalidPlayersError)) throw error;
    return {
      reply: globalError(
        ctx.frames,
        scope,
        command,
        cmdId,
        'ERROR_INVALID_PARAMETER',
        error.playerIds.join(','),
      ),
    };
  }
}

/** `favorites:1` and `playlists:1`: the household's lists (`group` null), or loading one into a group. */
export function catalogCommand(ctx: SocketContext, request: LocalRequest, group: SimGroup | null): Execution {
  const { namespace, command, cmdId, scope, body } = request;
  const frames = ctx.frames;
  const library = frames.household.library;
  switch (command) {
    case 'getFavorites':
      return { reply: reply(frames, namespace, scope, command, cmdId, favoritesBody(frames)) };
    case 'getPlaylists':
      return { reply: reply(frames, namespace, scope, command, cmdId, playlistsBody(frames)) };
    case 'getPlaylist': {
      const summary = playlistSummaryBody(frames, String(body['playlistId']));
      return summary
        ? { reply: reply(frames, namespace, scope, command, cmdId, summary) }
        : {
            reply: globalError(
              frames,
              scope,
              command,
              cmdId,
              'ERROR_INVALID_OBJECT_ID',
              'Invalid playlistId',
            ),
          };
    }
    default: {
      const favorite = command === 'loadFavorite';
      const id = String(body[favorite ? 'favoriteId' : 'playlistId']);
      let content: Content | undefined;
      if (favorite) content = library.favorite(id)?.content;
      else {
        const playlist = library.playlist(id);
        content = playlist ? library.playlistContent(playlist) : undefined;
      }
      if (!content || !group) {
        const name = favorite ? 'favoriteId' : 'playlistId';
        return {
          reply: globalError(
            frames,
            scope,
            command,
            cmdId,
            'ERROR_INVALID_OBJECT_ID',
            `Invalid ${name}:${id}`,
          ),
        };
      }
      const loaded = content;
      // OpenAPI: action defaults to APPEND; without playOnCompletion the player stays idle.
      const action = (body['action'] as QueueAction | undefined) ?? 'APPEND';
      const play = body['playOnCompletion'] === true;
      const modes = isObject(body['playModes']) ? (body['playModes'] as Partial<PlayModes>) : null;
      return {
        reply: reply(frames, namespace, scope, command, cmdId),
        apply: () => frames.household.music.load(group, loaded, action, play, modes),
      };
    }
  }
}

/**
 * `homeTheater:1` on a home-theater speaker's own socket. Peers report that its subscription is accepted and never
 * fires, so a subscribe here gets its ack and nothing more; options set by anyone are seen only by reading them.
 */
export function homeTheaterCommand(ctx: SocketContext, request: LocalRequest, player: SimPlayer): Execution {
  const { namespace, command, cmdId, scope, body } = request;
  const frames = ctx.frames;
  const ack = reply(frames, namespace, scope, command, cmdId);
  if (command === 'subscribe' || command === 'unsubscribe') return { reply: ack };
  if (command === 'getOptions')
    return { reply: reply(frames, namespace, scope, command, cmdId, homeTheaterBody(player)) };
  return {
    reply: ack,
    apply: () => {
      if (!player.homeTheater) return;
      if (typeof body['nightMode'] === 'boolean') player.homeTheater.nightMode = body['nightMode'];
      if (typeof body['enhanceDialog'] === 'boolean')
        player.homeTheater.enhanceDialog = body['enhanceDialog'];
    },
  };
}

// ---- gates ----

/** The first mode in `modes` (or `seek`) the group's source does not allow; null when all are allowed. */
function refusedMode(group: SimGroup, modes: Partial<PlayModes>, seek?: 'seek'): string | null {
  const actions = actionsFor(group);
  if (seek && !actions.canSeek) return 'Seek';
  const allowed: Record<keyof PlayModes, boolean> = {
    repeat: actions.canRepeat,
    repeatOne: actions.canRepeatOne,
    shuffle: actions.canShuffle,
    crossfade: actions.canCrossfade,
  };
  const refused = MODES.find((m) => modes[m] !== undefined && !allowed[m]);
  return refused ? refused.charAt(0).toUpperCase() + refused.slice(1) : null;
}

function refusedAction(group: SimGroup, action: PlaybackAction): boolean {
  const actions = actionsFor(group);
  if (action === 'skipToNextTrack') return !actions.canSkip;
  if (action === 'skipToPreviousTrack') return !actions.canSkipBack;
  if (action === 'play') return !actions.canPlay;
  if (action === 'togglePlayPause')
    return group.session.state !== 'PLAYBACK_STATE_PLAYING' && !actions.canPlay;
  return false;
}

function actionsFor(group: SimGroup): Actions {
  return actionsOf(group.session);
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
