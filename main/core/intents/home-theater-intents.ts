/**
 * Night sound and speech enhancement of home-theater speakers (`homeTheater:1`, players with the `HT_PLAYBACK`
 * capability). They travel only on the LAN, to that speaker's own socket: the cloud's Control API has no
 * `homeTheater`. The speaker sends no events for them, so what it accepted is confirmed in the model directly.
 */
import type { HomeTheaterOptions } from '../commands/command';
import type { Coalescer } from '../commands/coalescer';
import { AppError } from '../errors';
import { existingPlayer, type IntentContext } from './intent-context';

type Option = keyof HomeTheaterOptions;

export class HomeTheaterIntents {
  private readonly options: Coalescer<boolean>;
  /** The value each lane last sent, which is what the speaker has once the lane lands. */
  private readonly sent = new Map<string, boolean>();

  constructor(private readonly ctx: IntentContext) {
    this.options = ctx.delivery.coalescer<boolean>();
  }

  async set(playerId: string, change: { [K in Option]?: boolean | undefined }): Promise<void> {
    const { model, network, delivery } = this.ctx;
    existingPlayer(model, playerId);
    const player = model.player(playerId)!;
    if (!model.playerRecord(playerId)!.homeTheater) {
      throw new AppError(
        'not-allowed',
        `${player.name} is not a home-theater speaker: night sound and speech enhancement are for soundbars and the Amp.`,
      );
    }
    if (change.nightMode === undefined && change.enhanceDialog === undefined)
      throw new AppError('invalid-request', 'Name night sound or speech enhancement.');
    if (!network.hasPlayer(playerId) && delivery.cloud?.canControl(player.householdId)) {
      throw new AppError(
        'not-allowed',
        'Night sound and speech enhancement can be changed only on your network: the Sonos cloud does not offer them.',
      );
    }
    const landings: Promise<void>[] = [];
    for (const option of ['nightMode', 'enhanceDialog'] as const) {
      const value = change[option];
      if (value !== undefined) landings.push(this.option(playerId, option, value));
    }
    await Promise.all(landings);
  }

  private option(playerId: string, option: Option, value: boolean): Promise<void> {
    const { model, delivery } = this.ctx;
    const held = model.hold(option, playerId, value);
    const key = `ht:${playerId}:${option}`;
    return delivery.coalesced(
      this.options,
      key,
      value,
      (latest) => {
        this.sent.set(key, latest);
        return { kind: 'homeTheater', playerId, options: { [option]: latest } };
      },
      () => {
        // Accepted is as good as echoed: this namespace sends no events.
        const landed = this.sent.get(key);
        if (landed !== undefined) model.confirmValue(option, playerId, landed);
        model.release(option, playerId, true, held);
      },
      () => model.release(option, playerId, false, held),
    );
  }
}
