/**
 * What a player tells its subscribers: for a subscription (namespace and target), the body of the current state —
 * sent as the snapshot after `subscribe` and as the event after every change — and which id its header carries.
 */
import {
  groupVolumeBody,
  groupsBody,
  metadataStatusBody,
  playbackStatusBody,
  playerVolumeBody,
  versionChangedBody,
  type FrameContext,
  type JsonObject,
  type Namespace,
  type Scope,
} from './frames';
import type { HouseholdChange } from './household';

/** The state a subscriber to `namespace` on `targetId` is told; null when there is nothing (or nothing is sent). */
export function currentBody(frames: FrameContext, namespace: Namespace, targetId: string): JsonObject | null {
  const household = frames.household;
  switch (namespace) {
    case 'groups':
      return groupsBody(frames, { rest: false });
    case 'favorites':
    case 'playlists': {
      // Only the version travels (captured favoritesVersionChange): clients read the list again.
      const library = household.library;
      return versionChangedBody(
        namespace === 'favorites' ? library.favoritesVersion : library.playlistsVersion,
      );
    }
    case 'playerVolume': {
      const player = household.player(targetId);
      return player ? playerVolumeBody(player) : null;
    }
    case 'homeTheater':
      // Peers report that a homeTheater subscription never sends anything.
      return null;
    default: {
      const group = household.group(targetId);
      if (!group) return null;
      if (namespace === 'groupVolume') return groupVolumeBody(frames, group);
      return namespace === 'playback' ? playbackStatusBody(frames, group) : metadataStatusBody(frames, group);
    }
  }
}

/** Household namespaces name no id in their events; player ones the player; the rest the group. */
export function eventScope(namespace: Namespace, targetId: string): Scope {
  if (namespace === 'groups' || namespace === 'favorites' || namespace === 'playlists') return {};
  if (namespace === 'playerVolume' || namespace === 'homeTheater') return { playerId: targetId };
  return { groupId: targetId };
}

/** Which subscription a change concerns (a regroup is handled apart: it also ends subscriptions). */
export function subscriptionOf(
  frames: FrameContext,
  change: Exclude<HouseholdChange, { kind: 'groups' }>,
): { namespace: Namespace; targetId: string } {
  switch (change.kind) {
    case 'groupVolume':
      return { namespace: 'groupVolume', targetId: change.groupId };
    case 'playerVolume':
      return { namespace: 'playerVolume', targetId: change.playerId };
    case 'playback':
      return { namespace: 'playback', targetId: change.groupId };
    case 'metadata':
      return { namespace: 'playbackMetadata', targetId: change.groupId };
    default:
      return { namespace: change.kind, targetId: frames.household.householdId };
  }
}
