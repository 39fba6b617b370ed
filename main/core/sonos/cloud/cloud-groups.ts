/**
 * A cloud `groups` answer fed into the household model the same way a local `groups` event is, and how a group
 * command follows its group after the cloud said the id is gone (410): by who leads it now, else by a member.
 */
import type { HouseholdModel } from '../../household/household-model';
import { toGroupsUpdate } from '../normalize';
import type { GroupsBody } from './cloud-client';

export function applyCloudGroups(model: HouseholdModel, householdId: string, body: GroupsBody): void {
  model.applyGroups(householdId, toGroupsUpdate(body, { addresses: false }));
}

/** The id the group formerly known by (coordinator, members) has in `body`, or null when it is gone. */
export function successorGroupId(
  body: GroupsBody,
  before: { coordinatorId: string; playerIds: readonly string[] },
): string | null {
  const byCoordinator = body.groups.find((g) => g.coordinatorId === before.coordinatorId);
  if (byCoordinator) return byCoordinator.id;
  const byMember = body.groups.find((g) => g.playerIds.some((id) => before.playerIds.includes(id)));
  return byMember?.id ?? null;
}
