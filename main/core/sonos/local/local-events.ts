/**
 * What a player's event means for the household model. Values (volumes, playback, metadata, home-theater options)
 * go straight into the model; what needs the network (a new grouping, a coordinator that moved, a refusal, a
 * changed list of favorites) comes back as an outcome for `LocalNetwork` to act on.
 */
import type { HouseholdModel } from '../../household/household-model';
import { toNowPlaying, toPlaybackStatus } from '../normalize';
import {
  GlobalErrorBodySchema,
  HomeTheaterBodySchema,
  MetadataStatusBodySchema,
  PlaybackStatusBodySchema,
  readBody,
  VersionChangedBodySchema,
  VolumeBodySchema,
  type ParsedFrame,
} from './frames';

export type EventOutcome =
  | { kind: 'groups'; body: Record<string, unknown> }
  /** A coordinator moved or a group went away: ask for the household's groups. */
  | { kind: 'refreshGroups' }
  | { kind: 'noPermission'; reason: string | null }
  | { kind: 'catalog'; catalog: 'favorites' | 'playlists'; version: string }
  | null;

export function applyEvent(
  model: HouseholdModel,
  playerId: string,
  householdId: string,
  frame: ParsedFrame,
): EventOutcome {
  const type = frame.header.type;
  // Events about a group or a player count only when that group or player is in this socket's household.
  const groupId = frame.header.groupId;
  const ownGroup = groupId !== undefined && model.groupRecord(groupId)?.householdId === householdId;
  const ownPlayer = (id: string): boolean => model.playerRecord(id)?.householdId === householdId;
  switch (frame.namespace) {
    case 'groups':
      if (type === 'groups') return { kind: 'groups', body: frame.body };
      return type === 'groupCoordinatorChanged' ? { kind: 'refreshGroups' } : null;
    case 'groupVolume': {
      const body = readBody(VolumeBodySchema, frame.body);
      if (body && ownGroup) model.applyGroupVolume(groupId, body.volume, body.muted, body.fixed);
      return null;
    }
    case 'playerVolume': {
      const body = readBody(VolumeBodySchema, frame.body);
      const target = frame.header.playerId ?? playerId;
      if (body && ownPlayer(target)) model.applyPlayerVolume(target, body.volume, body.muted, body.fixed);
      return null;
    }
    case 'playback': {
      if (type === 'groupCoordinatorChanged') return { kind: 'refreshGroups' };
      const body = readBody(PlaybackStatusBodySchema, frame.body);
      if (body && ownGroup) model.applyPlayback(groupId, toPlaybackStatus(body));
      return null;
    }
    case 'playbackMetadata': {
      if (type === 'groupCoordinatorChanged') return { kind: 'refreshGroups' };
      const body = readBody(MetadataStatusBodySchema, frame.body);
      if (body && ownGroup) model.applyNowPlaying(groupId, toNowPlaying(body));
      return null;
    }
    case 'favorites':
    case 'playlists': {
      // Only the version travels (captured `favoritesVersionChange`): the list itself must be read again.
      const body = type === 'versionChanged' ? readBody(VersionChangedBodySchema, frame.body) : null;
      return body ? { kind: 'catalog', catalog: frame.namespace, version: body.version } : null;
    }
    case 'homeTheater': {
      // Peers report that this subscription never fires; if a player does send the options, take them.
      const body = readBody(HomeTheaterBodySchema, frame.body);
      const target = frame.header.playerId ?? playerId;
      if (body && ownPlayer(target)) model.applyHomeTheater(target, body);
      return null;
    }
    case 'global': {
      const error = readBody(GlobalErrorBodySchema, frame.body);
      return error?.errorCode === 'ERROR_NO_PERMISSION'
        ? { kind: 'noPermission', reason: error.reason ?? null }
        : null;
    }
    default:
      return null;
  }
}
