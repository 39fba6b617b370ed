/**
 * The model's records as the contract's entities: what the popover draws, with optimistic values shown over
 * confirmed ones, regroups still on their way drawn as done, and the user's nicknames over Sonos' names.
 */
import type { Group, Household, PlaybackState, Player, RepeatMode } from '../../contract/model';
import type { GroupRecord, HouseholdRecord, PlayerRecord } from './household-types';
import type { MembershipHolds } from './membership-holds';
import type { OptimisticFields } from './optimistic-fields';

export interface ViewContext {
  fields: OptimisticFields;
  moves: MembershipHolds;
  nickname: (playerId: string) => string | undefined;
  sonosName: (playerId: string) => string | undefined;
}

export function groupView(ctx: ViewContext, record: GroupRecord): Group {
  const { fields } = ctx;
  const id = record.id;
  const playerIds = ctx.moves.view(record);
  const shuffle = fields.shown<boolean>('shuffle', id);
  return {
    id,
    householdId: record.householdId,
    name: groupName(ctx, record, playerIds),
    coordinatorId: record.coordinatorId,
    playerIds,
    volume: fields.shown<number>('groupVolume', id) ?? null,
    muted: fields.shown<boolean>('groupMuted', id) ?? null,
    fixedVolume: record.fixedVolume,
    playback: fields.shown<PlaybackState>('playback', id) ?? 'unknown',
    actions: { ...record.actions },
    nowPlaying: record.nowPlaying ? { ...record.nowPlaying } : null,
    positionMs: record.positionMs,
    positionAt: record.positionAt,
    playModes:
      shuffle === undefined
        ? null
        : {
            shuffle,
            repeat: fields.shown<RepeatMode>('repeat', id) ?? 'off',
            crossfade: fields.shown<boolean>('crossfade', id) ?? false,
          },
  };
}

export function playerView(ctx: ViewContext, record: PlayerRecord): Player {
  const { fields } = ctx;
  const id = record.id;
  return {
    id,
    householdId: record.householdId,
    name: ctx.nickname(id) ?? record.sonosName,
    sonosName: record.sonosName,
    volume: fields.shown<number>('playerVolume', id) ?? null,
    muted: fields.shown<boolean>('playerMuted', id) ?? null,
    fixedVolume: record.fixedVolume,
    connection: record.connection,
    problem: record.problem,
    homeTheater: record.homeTheater
      ? {
          nightMode: fields.shown<boolean>('nightMode', id) ?? null,
          enhanceDialog: fields.shown<boolean>('enhanceDialog', id) ?? null,
        }
      : null,
  };
}

export function householdView(record: HouseholdRecord): Household {
  return {
    id: record.id,
    name: null,
    transport: record.transport,
    favorites: record.favorites,
    playlists: record.playlists,
  };
}

/** Sonos' name ("Kitchen + 2") unless a nickname or a regroup on its way changes it; then built the same way. */
function groupName(ctx: ViewContext, record: GroupRecord, playerIds: readonly string[]): string {
  const coordinatorNickname = ctx.nickname(record.coordinatorId);
  const regrouping = playerIds.length !== record.playerIds.length;
  if (coordinatorNickname === undefined && record.sonosName && !regrouping) return record.sonosName;
  const lead = coordinatorNickname ?? ctx.sonosName(record.coordinatorId) ?? record.sonosName;
  return playerIds.length > 1 ? `${lead} + ${playerIds.length - 1}` : lead;
}
