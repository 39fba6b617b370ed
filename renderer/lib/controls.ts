/**
 * The commands the group cards send. Each resolves true when main accepted it; a refusal is shown in the notice
 * area (and a slider shows main's value again), named after the group or speaker it was for — a notice at the
 * bottom of the popover is far from the card — and marked with the speakers it was about, so it can go when they
 * are back.
 */
import type { PlaybackAction } from '../../main/contract/ipc';
import type { HouseholdSnapshot } from '../../main/contract/model';
import type { About, Ipc } from './ipc';

export class Controls {
  readonly #ipc: Ipc;
  readonly #snapshot: () => HouseholdSnapshot | null;

  constructor(ipc: Ipc, snapshot: () => HouseholdSnapshot | null = () => null) {
    this.#ipc = ipc;
    this.#snapshot = snapshot;
  }

  #group(groupId: string): About {
    const group = this.#snapshot()?.groups[groupId];
    return { players: group?.playerIds ?? [], name: group?.name ?? null };
  }

  #player(playerId: string): About {
    return { players: [playerId], name: this.#snapshot()?.players[playerId]?.name ?? null };
  }

  async groupVolume(groupId: string, volume: number): Promise<boolean> {
    const about = this.#group(groupId);
    return (await this.#ipc.runAbout(about, 'group:setVolume', { groupId, volume })) !== undefined;
  }

  async groupMute(groupId: string, muted: boolean): Promise<boolean> {
    const about = this.#group(groupId);
    return (await this.#ipc.runAbout(about, 'group:setMute', { groupId, muted })) !== undefined;
  }

  async playerVolume(playerId: string, volume: number): Promise<boolean> {
    const about = this.#player(playerId);
    return (await this.#ipc.runAbout(about, 'player:setVolume', { playerId, volume })) !== undefined;
  }

  async playerMute(playerId: string, muted: boolean): Promise<boolean> {
    const about = this.#player(playerId);
    return (await this.#ipc.runAbout(about, 'player:setMute', { playerId, muted })) !== undefined;
  }

  async playback(groupId: string, action: PlaybackAction): Promise<boolean> {
    const about = this.#group(groupId);
    return (await this.#ipc.runAbout(about, 'playback:command', { groupId, action })) !== undefined;
  }
}
