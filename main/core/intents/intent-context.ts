/**
 * What every intent family shares: the household model it shows optimistic values in, the one delivery path its
 * commands travel, and the lookups that turn what the user named into what exists now.
 */
import type { Group, PlaybackActions } from '../../contract/model';
import type { Delivery } from '../delivery/delivery';
import { AppError } from '../errors';
import type { HouseholdModel } from '../household/household-model';
import type { Logger } from '../logger';
import type { LocalNetwork } from '../sonos/local/local-network';

export interface IntentContext {
  model: HouseholdModel;
  delivery: Delivery;
  network: LocalNetwork;
  logger: Logger;
}

/** The group's current id (following a regroup that kept its coordinator); `not-found` when it is gone. */
export function existingGroup(model: HouseholdModel, groupId: string): string {
  const id = model.resolveGroupId(groupId);
  if (!model.groupRecord(id)) throw new AppError('not-found', 'That group no longer exists.');
  return id;
}

export function existingPlayer(model: HouseholdModel, playerId: string): void {
  if (!model.playerRecord(playerId))
    throw new AppError('not-found', 'That speaker is no longer in your household.');
}

/** Group lanes are named by coordinator: a regroup gives the group a new id but keeps its coordinator. */
export function groupLane(model: HouseholdModel, groupId: string): string {
  return model.groupRecord(groupId)?.coordinatorId ?? groupId;
}

/** The group as drawn now, for messages. */
export function groupView(model: HouseholdModel, groupId: string): Group {
  const group = model.group(groupId);
  if (!group) throw new AppError('not-found', 'That group no longer exists.');
  return group;
}

/**
 * Refuses, before anything is sent, what the group's source does not offer now (`availablePlaybackActions`).
 * `what` completes “… is not available for what <group> is playing.”
 */
export function requireAction(
  model: HouseholdModel,
  groupId: string,
  action: keyof PlaybackActions,
  what: string,
): void {
  const group = groupView(model, groupId);
  if (group.actions[action]) return;
  throw new AppError('not-allowed', `${what} is not available for what ${group.name} is playing.`, {
    details: { code: action, technical: `availablePlaybackActions.${action} is false for ${group.id}` },
  });
}
