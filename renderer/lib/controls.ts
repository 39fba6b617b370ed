/**
 * The commands the group cards send. Each resolves true when main accepted it; a refusal is shown in the notice
 * area (and a slider shows main's value again).
 */
import type { PlaybackAction } from '../../main/contract/ipc';
import type { Ipc } from './ipc';

export class Controls {
  readonly #ipc: Ipc;

  constructor(ipc: Ipc) {
    this.#ipc = ipc;
  }

  async groupVolume(groupId: string, volume: number): Promise<boolean> {
    return (await this.#ipc.run('group:setVolume', { groupId, volume })) !== undefined;
  }

  async groupMute(groupId: string, muted: boolean): Promise<boolean> {
    return (await this.#ipc.run('group:setMute', { groupId, muted })) !== undefined;
  }

  async playerVolume(playerId: string, volume: number): Promise<boolean> {
    return (await this.#ipc.run('player:setVolume', { playerId, volume })) !== undefined;
  }

  async playerMute(playerId: string, muted: boolean): Promise<boolean> {
    return (await this.#ipc.run('player:setMute', { playerId, muted })) !== undefined;
  }

  async playback(groupId: string, action: PlaybackAction): Promise<boolean> {
    return (await this.#ipc.run('playback:command', { groupId, action })) !== undefined;
  }
}
