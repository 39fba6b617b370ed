/**
 * What the user asked for, independent of how it travels: the controller picks the local socket or the cloud per
 * command, and each transport maps a `Command` to its own wire form.
 */
import type { PlaybackAction } from '../../contract/ipc';
import { NS } from '../sonos/constants';

export type Command =
  | { kind: 'groupVolume'; groupId: string; volume: number }
  | { kind: 'groupRelativeVolume'; groupId: string; delta: number }
  | { kind: 'groupMute'; groupId: string; muted: boolean }
  | { kind: 'playerVolume'; playerId: string; volume: number }
  | { kind: 'playerRelativeVolume'; playerId: string; delta: number }
  | { kind: 'playerMute'; playerId: string; muted: boolean }
  | { kind: 'playback'; groupId: string; action: PlaybackAction };

export type GroupCommand = Extract<Command, { groupId: string }>;
export type PlayerCommand = Extract<Command, { playerId: string }>;

export function isGroupCommand(command: Command): command is GroupCommand {
  return 'groupId' in command;
}

/**
 * Whether sending the command twice does the same as once. A skip or a relative step does not: after an
 * uncertain delivery it is not sent again by another route.
 */
export function isRepeatable(command: Command): boolean {
  switch (command.kind) {
    case 'groupRelativeVolume':
    case 'playerRelativeVolume':
      return false;
    case 'playback':
      return command.action === 'play' || command.action === 'pause';
    default:
      return true;
  }
}

/** Namespace, command name and body on the local websocket. */
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
  }
}

export function describeCommand(command: Command): string {
  const target = isGroupCommand(command) ? command.groupId : command.playerId;
  return `${command.kind} ${target}`;
}
