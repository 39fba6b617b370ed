/**
 * What the user asked for, independent of how it travels: the delivery path picks the local socket or the cloud per
 * command, and each transport maps a `Command` to its own wire form. A new capability arrives as a kind here, its
 * local frame (`toLocalFrame`), its cloud request (`CloudTransport`), its model update and a test.
 */
import type { PlaybackAction } from '../../contract/ipc';
import { NS } from '../sonos/constants';

/** Sonos' own play-mode flags, as `setPlayModes` takes them: an omitted mode stays as it is. */
export interface SonosPlayModes {
  shuffle?: boolean;
  repeat?: boolean;
  repeatOne?: boolean;
  crossfade?: boolean;
}

export interface HomeTheaterOptions {
  nightMode?: boolean;
  enhanceDialog?: boolean;
}

export type Command =
  | { kind: 'groupVolume'; groupId: string; volume: number }
  | { kind: 'groupRelativeVolume'; groupId: string; delta: number }
  | { kind: 'groupMute'; groupId: string; muted: boolean }
  | { kind: 'playerVolume'; playerId: string; volume: number }
  | { kind: 'playerRelativeVolume'; playerId: string; delta: number }
  | { kind: 'playerMute'; playerId: string; muted: boolean }
  | { kind: 'playback'; groupId: string; action: PlaybackAction }
  | { kind: 'playModes'; groupId: string; playModes: SonosPlayModes }
  | { kind: 'seek'; groupId: string; positionMs: number }
  | { kind: 'seekRelative'; groupId: string; deltaMs: number }
  /** Adds first, then removes (both lists are sent, either may be empty); the group keeps its music. */
  | { kind: 'modifyGroupMembers'; groupId: string; add: string[]; remove: string[] }
  | { kind: 'setGroupMembers'; groupId: string; playerIds: string[] }
  /** Without `musicFromGroupId` the new group has no music. */
  | { kind: 'createGroup'; householdId: string; playerIds: string[]; musicFromGroupId?: string }
  | { kind: 'loadFavorite'; groupId: string; favoriteId: string }
  | { kind: 'loadPlaylist'; groupId: string; playlistId: string }
  | { kind: 'homeTheater'; playerId: string; options: HomeTheaterOptions };

export type GroupCommand = Extract<Command, { groupId: string }>;
export type PlayerCommand = Extract<Command, { playerId: string }>;
export type HouseholdCommand = Extract<Command, { kind: 'createGroup' }>;

export function isGroupCommand(command: Command): command is GroupCommand {
  return 'groupId' in command;
}

export function isHouseholdCommand(command: Command): command is HouseholdCommand {
  return command.kind === 'createGroup';
}

/**
 * Whether sending the command twice does the same as once. A skip, a relative step or a relative seek does not:
 * after an uncertain delivery it is not sent again by another route.
 */
export function isRepeatable(command: Command): boolean {
  switch (command.kind) {
    case 'groupRelativeVolume':
    case 'playerRelativeVolume':
    case 'seekRelative':
      return false;
    case 'playback':
      return command.action === 'play' || command.action === 'pause';
    default:
      // Absolute values, memberships and "replace the queue with this and play" end in the same state twice.
      return true;
  }
}

/** `homeTheater` exists only on the local API (it is not in the cloud's Control API). */
export function isLocalOnly(command: Command): boolean {
  return command.kind === 'homeTheater';
}

/** Namespace, command name and body on the local websocket (bodies as Sonos' OpenAPI description has them). */
export function toLocalFrame(command: Command): {
  namespace: string;
  name: string;
  body: Record<string, unknown>;
} {
  switch (command.kind) {
    case 'groupVolume':
      return { namespace: NS.groupVolume, name: 'setVolume', body: { volume: command.volume } };
    case 'groupRelativeVolume':
      return { namespace: NS.groupVolume, name: 'setRelativeVolume', body: { volumeDelta: command.delta } };
    case 'groupMute':
      return { namespace: NS.groupVolume, name: 'setMute', body: { muted: command.muted } };
    case 'playerVolume':
      return { namespace: NS.playerVolume, name: 'setVolume', body: { volume: command.volume } };
    case 'playerRelativeVolume':
      return { namespace: NS.playerVolume, name: 'setRelativeVolume', body: { volumeDelta: command.delta } };
    case 'playerMute':
      return { namespace: NS.playerVolume, name: 'setMute', body: { muted: command.muted } };
    case 'playback':
      return { namespace: NS.playback, name: command.action, body: {} };
    case 'playModes':
      return { namespace: NS.playback, name: 'setPlayModes', body: { playModes: { ...command.playModes } } };
    case 'seek':
      return { namespace: NS.playback, name: 'seek', body: { positionMillis: command.positionMs } };
    case 'seekRelative':
      return { namespace: NS.playback, name: 'seekRelative', body: { deltaMillis: command.deltaMs } };
    case 'modifyGroupMembers':
      return {
        namespace: NS.groups,
        name: 'modifyGroupMembers',
        body: { playerIdsToAdd: [...command.add], playerIdsToRemove: [...command.remove] },
      };
    case 'setGroupMembers':
      return { namespace: NS.groups, name: 'setGroupMembers', body: { playerIds: [...command.playerIds] } };
    case 'createGroup':
      return {
        namespace: NS.groups,
        name: 'createGroup',
        body: {
          playerIds: [...command.playerIds],
          ...(command.musicFromGroupId !== undefined
            ? { musicContextGroupId: command.musicFromGroupId }
            : {}),
        },
      };
    case 'loadFavorite':
      return {
        namespace: NS.favorites,
        name: 'loadFavorite',
        body: loadBody('favoriteId', command.favoriteId),
      };
    case 'loadPlaylist':
      return {
        namespace: NS.playlists,
        name: 'loadPlaylist',
        body: loadBody('playlistId', command.playlistId),
      };
    case 'homeTheater':
      return { namespace: NS.homeTheater, name: 'setOptions', body: { ...command.options } };
  }
}

/** Replace what the group plays with this and start it (Sonos' default would append and stay idle). */
export function loadBody(key: 'favoriteId' | 'playlistId', id: string): Record<string, unknown> {
  return { [key]: id, action: 'REPLACE', playOnCompletion: true };
}

export function describeCommand(command: Command): string {
  const target = isGroupCommand(command)
    ? command.groupId
    : isHouseholdCommand(command)
      ? command.householdId
      : command.playerId;
  return `${command.kind} ${target}`;
}
