/**
 * Which rooms play together. Rooms are named by player id, because group ids and names change with every regroup
 * ("Kitchen + 2"); each command is aimed at the group's id as it is when the command leaves. A move is drawn at once
 * (`HouseholdModel.holdMove`) and the intent resolves when the players' `groups` event shows it (or the cloud's
 * groups read after the command does). Regroups of a household run one after another, since each one renames the
 * groups the next one is aimed at. `modifyGroupMembers` is preferred: the group keeps its music, and removing its
 * coordinator hands the music to the rooms that stay.
 */
import type { Command } from '../commands/command';
import { AppError } from '../errors';
import type { HouseholdModel } from '../household/household-model';
import { existingGroup, existingPlayer, type IntentContext } from './intent-context';

/** How long an accepted regroup may take to show in the players' events before the intent resolves anyway. */
const SETTLE_MS = 3_000;

type Grouping = (model: HouseholdModel) => boolean;

export class RoomIntents {
  constructor(
    private readonly ctx: IntentContext,
    private readonly settleMs = SETTLE_MS,
  ) {}

  /** Moves a speaker into the group (it leaves its own group; if it led one, the rest keep the music). */
  async join(playerId: string, groupId: string): Promise<{ changed: boolean }> {
    const { model } = this.ctx;
    existingPlayer(model, playerId);
    const target = model.groupRecord(existingGroup(model, groupId))!;
    const player = model.playerRecord(playerId)!;
    if (player.householdId !== target.householdId)
      throw new AppError('not-allowed', 'Speakers of different Sonos households cannot play together.');
    if (target.playerIds.includes(playerId)) return { changed: false };
    const lead = target.coordinatorId;
    await this.regroup(
      target.householdId,
      [[playerId, lead]],
      () => ({ kind: 'modifyGroupMembers', groupId: this.groupLedBy(lead), add: [playerId], remove: [] }),
      (m) => m.groupOfPlayer(playerId)?.coordinatorId === lead,
    );
    return { changed: true };
  }

  /** Takes a speaker out of its group to play on its own. */
  async leave(playerId: string): Promise<{ changed: boolean }> {
    const { model } = this.ctx;
    existingPlayer(model, playerId);
    const group = model.groupOfPlayer(playerId);
    if (!group) throw new AppError('not-found', 'That speaker is in no group right now.');
    if (group.playerIds.length === 1) return { changed: false };
    // A coordinator taken out hands the music to the rooms that stay (Sonos' documented behaviour).
    if (group.coordinatorId === playerId)
      model.expectHandOver(
        playerId,
        group.playerIds.filter((id) => id !== playerId),
      );
    await this.regroup(
      group.householdId,
      [[playerId, null]],
      () => ({ kind: 'modifyGroupMembers', groupId: this.groupOf(playerId), add: [], remove: [playerId] }),
      (m) => m.groupOfPlayer(playerId)?.playerIds.length === 1,
    );
    return { changed: true };
  }

  /** Every speaker of the household into this group. */
  async groupAll(groupId: string): Promise<{ changed: boolean }> {
    const { model } = this.ctx;
    const target = model.groupRecord(existingGroup(model, groupId))!;
    const lead = target.coordinatorId;
    const others = model
      .playerIds()
      .filter(
        (id) => model.playerRecord(id)!.householdId === target.householdId && !target.playerIds.includes(id),
      );
    if (others.length === 0) return { changed: false };
    await this.regroup(
      target.householdId,
      others.map((id) => [id, lead]),
      () => ({ kind: 'modifyGroupMembers', groupId: this.groupLedBy(lead), add: others, remove: [] }),
      (m) => others.every((id) => m.groupOfPlayer(id)?.coordinatorId === lead),
    );
    return { changed: true };
  }

  /** Every speaker of the household on its own; each group's coordinator keeps playing what it played. */
  async ungroupAll(householdId: string): Promise<{ changed: boolean }> {
    const { model } = this.ctx;
    if (!model.householdRecord(householdId)) throw new AppError('not-found', 'That household is not known.');
    const groups = model
      .groupIds()
      .map((id) => model.groupRecord(id)!)
      .filter((g) => g.householdId === householdId && g.playerIds.length > 1);
    for (const group of groups) {
      const lead = group.coordinatorId;
      const members = group.playerIds.filter((id) => id !== lead);
      await this.regroup(
        householdId,
        members.map((id) => [id, null]),
        () => ({ kind: 'modifyGroupMembers', groupId: this.groupLedBy(lead), add: [], remove: members }),
        (m) => members.every((id) => m.groupOfPlayer(id)?.playerIds.length === 1),
      );
    }
    return { changed: groups.length > 0 };
  }

  /** The group gets exactly these speakers (`setGroupMembers`); speakers taken out play on their own. */
  async setMembers(groupId: string, playerIds: readonly string[]): Promise<void> {
    const { model } = this.ctx;
    const target = model.groupRecord(existingGroup(model, groupId))!;
    for (const id of playerIds) existingPlayer(model, id);
    if (playerIds.length === 0) throw new AppError('invalid-request', 'A group needs at least one speaker.');
    const lead = playerIds.includes(target.coordinatorId)
      ? target.coordinatorId
      : (playerIds.find((id) => target.playerIds.includes(id)) ?? playerIds[0]!);
    if (lead !== target.coordinatorId) model.expectHandOver(target.coordinatorId, playerIds);
    const wanted = new Set(playerIds);
    const moves: [string, string | null][] = [
      ...playerIds.filter((id) => !target.playerIds.includes(id)).map((id): [string, string] => [id, lead]),
      ...target.playerIds.filter((id) => !wanted.has(id)).map((id): [string, null] => [id, null]),
    ];
    const coordinator = target.coordinatorId;
    await this.regroup(
      target.householdId,
      moves,
      () => ({ kind: 'setGroupMembers', groupId: this.groupLedBy(coordinator), playerIds: [...playerIds] }),
      (m) => {
        const group = m.groupOfPlayer(playerIds[0]!);
        return (
          !!group && group.playerIds.length === wanted.size && group.playerIds.every((id) => wanted.has(id))
        );
      },
    );
  }

  /** A new group of these speakers (`createGroup`); with `musicFromGroupId` it takes that group's music. */
  async createGroup(playerIds: readonly string[], musicFromGroupId?: string): Promise<void> {
    const { model } = this.ctx;
    if (playerIds.length === 0) throw new AppError('invalid-request', 'A group needs at least one speaker.');
    for (const id of playerIds) existingPlayer(model, id);
    const householdId = model.playerRecord(playerIds[0]!)!.householdId;
    const music = musicFromGroupId !== undefined ? existingGroup(model, musicFromGroupId) : undefined;
    const lead = playerIds[0]!;
    await this.regroup(
      householdId,
      playerIds.map((id) => [id, lead]),
      () => ({
        kind: 'createGroup',
        householdId,
        playerIds: [...playerIds],
        ...(music !== undefined ? { musicFromGroupId: model.resolveGroupId(music) } : {}),
      }),
      (m) => playerIds.every((id) => m.groupOfPlayer(id)?.coordinatorId === lead),
    );
  }

  // ---------------------------------------------------------------------------------------------------------

  /**
   * Draws the moves, sends the command (in the household's regroup lane, built when it leaves), and waits for the
   * grouping to show. A refusal names the rooms and brings the old grouping back.
   */
  private async regroup(
    householdId: string,
    moves: readonly (readonly [string, string | null])[],
    toCommand: () => Command,
    settled: Grouping,
  ): Promise<void> {
    const { model, delivery } = this.ctx;
    const tokens = moves.map(([playerId, lead]) => [playerId, model.holdMove(playerId, lead)] as const);
    const release = (succeeded: boolean): void => {
      for (const [playerId, token] of tokens) model.releaseMove(playerId, token, succeeded);
    };
    try {
      await delivery.inOrder(`rooms:${householdId}`, async () => {
        await delivery.run(toCommand());
        await this.waitFor(settled);
      });
      release(true);
    } catch (error) {
      release(false);
      throw this.explain(
        error,
        moves.map(([id]) => id),
      );
    }
  }

  /** Resolves when `settled` holds for the model, or after `settleMs` (the command was accepted either way). */
  private waitFor(settled: Grouping): Promise<void> {
    const { model } = this.ctx;
    if (settled(model)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, this.settleMs);
      timer.unref?.();
      const off = model.onPatch(() => {
        if (settled(model)) done();
      });
    });
  }

  /** The id of the group this speaker leads now (or, if it no longer leads one, the group it is in). */
  private groupLedBy(coordinatorId: string): string {
    const { model } = this.ctx;
    const led = model.groupIds().find((id) => model.groupRecord(id)!.coordinatorId === coordinatorId);
    return led ?? this.groupOf(coordinatorId);
  }

  private groupOf(playerId: string): string {
    const group = this.ctx.model.groupOfPlayer(playerId);
    if (!group) throw new AppError('not-found', 'That speaker is in no group right now.');
    return group.id;
  }

  private explain(error: unknown, playerIds: readonly string[]): unknown {
    // A household that forbids local control says so in its own words; only the players' refusal is rephrased.
    const code = error instanceof AppError ? error.details?.code : null;
    if (!(error instanceof AppError) || error.code !== 'refused' || !code?.startsWith('ERROR_')) return error;
    if (code === 'ERROR_NO_PERMISSION') return error;
    const { model } = this.ctx;
    const names = playerIds.map((id) => model.player(id)?.name ?? id);
    const list =
      names.length > 2 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join(' and ');
    return new AppError('refused', `Sonos did not regroup ${list}.`, {
      cause: error,
      ...(error.details ? { details: error.details } : {}),
    });
  }
}
