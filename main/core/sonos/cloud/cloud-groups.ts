/**
 * A cloud `groups` answer fed into the household model the same way a local `groups` event is, and how a group
 * command follows its group after the cloud said the id is gone (410): by who leads it now, else by a member.
 */
import type { HouseholdModel } from '../../household/household-model';
import { toPlaybackState } from '../normalize';
import type { GroupsBody } from './cloud-client';

export function applyCloudGroups(model: HouseholdModel, householdId: string, body: GroupsBody): void {
  model.applyGroups(householdId, {
    groups: body.groups.map((g) => ({
      id: g.id,
      name: g.name,
      coordinatorId: g.coordinatorId,
      playerIds: g.playerIds,
      ...(g.playbackState ? { playbackState: toPlaybackState(g.playbackState) } : {}),
    })),
    // The LAN addresses in a cloud answer say nothing about whether we can reach them: leave them out.
    players: body.players.map((p) => ({ id: p.id, name: p.name, websocketUrl: undefined })),
  });
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
