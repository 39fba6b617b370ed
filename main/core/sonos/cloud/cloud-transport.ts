/**
 * The delivery path's cloud half (`CloudTransport`): a `Command` as a Control REST call. It controls only the
 * signed-in account's households. A 410 (the group id went stale) refetches the household's groups and retries
 * once at the group's new id. Cloud-only households get no events, so what a command set is confirmed in the
 * model at once (a regroup by reading the groups back) and the household is read back soon after.
 */
import { isGroupCommand, isLocalOnly, loadBody, type Command } from '../../commands/command';
import type { CatalogKind, CatalogLists, CloudTransport } from '../../delivery/delivery';
import { AppError } from '../../errors';
import type { HouseholdModel } from '../../household/household-model';
import type { Logger } from '../../logger';
import type { CloudAuth } from '../../account/account-manager';
import { toFavoritesList, toPlaylistsList } from '../normalize';
import { CloudError, type CloudClient } from './cloud-client';
import { applyCloudGroups, successorGroupId } from './cloud-groups';

export interface CloudTransportOptions {
  client: CloudClient;
  auth: Pick<CloudAuth, 'isSignedIn' | 'householdIds'>;
  model: HouseholdModel;
  logger: Logger;
  /** A command went through the cloud: a cue to read its household back. */
  onCommandDone?: (command: Command, householdId: string) => void;
}

export class SonosCloudTransport implements CloudTransport {
  constructor(private readonly options: CloudTransportOptions) {}

  canControl(householdId: string): boolean {
    const { auth } = this.options;
    return auth.isSignedIn() && auth.householdIds().includes(householdId);
  }

  async catalog<K extends CatalogKind>(householdId: string, kind: K): Promise<CatalogLists[K]> {
    if (!this.canControl(householdId))
      throw new AppError(
        'not-signed-in',
        'Sign in to your Sonos account to control these speakers from here.',
      );
    const { client } = this.options;
    const list =
      kind === 'favorites'
        ? toFavoritesList(await client.favorites(householdId))
        : toPlaylistsList(await client.playlists(householdId));
    return list as CatalogLists[K];
  }

  async execute(command: Command, householdId: string): Promise<void> {
    if (!this.canControl(householdId))
      throw new AppError(
        'not-signed-in',
        'Sign in to your Sonos account to control these speakers from here.',
      );
    if (isLocalOnly(command))
      throw new AppError(
        'not-allowed',
        'Night sound and speech enhancement can be changed only on your network: the Sonos cloud does not offer them.',
      );
    let sent = command;
    try {
      await this.send(command);
    } catch (error) {
      if (!(error instanceof CloudError && error.gone && isGroupCommand(command))) throw error;
      sent = await this.relocate(command, householdId);
      try {
        await this.send(sent);
      } catch (again) {
        if (again instanceof CloudError && again.gone) {
          throw new AppError('refused', 'The speakers were regrouped; try again.', {
            retryable: true,
            details: {
              code: again.errorCode,
              technical: `still gone after refetching groups: ${command.kind}`,
            },
          });
        }
        throw again;
      }
    }
    await this.confirm(sent, householdId);
    this.options.onCommandDone?.(sent, householdId);
  }

  private async relocate<C extends Command & { groupId: string }>(
    command: C,
    householdId: string,
  ): Promise<C> {
    const { model, client, logger } = this.options;
    const before = model.groupRecord(command.groupId);
    const body = await client.groups(householdId);
    applyCloudGroups(model, householdId, body);
    const next =
      (before ? successorGroupId(body, before) : null) ??
      (body.groups.some((g) => g.id === model.resolveGroupId(command.groupId))
        ? model.resolveGroupId(command.groupId)
        : null);
    logger.info('cloud: group gone; refetched groups', { from: command.groupId, to: next });
    if (!next) throw new AppError('not-found', 'That group no longer exists.');
    return { ...command, groupId: next };
  }

  private send(command: Command): Promise<void> {
    const { client } = this.options;
    switch (command.kind) {
      case 'groupVolume':
        return client.setGroupVolume(command.groupId, command.volume);
      case 'groupRelativeVolume':
        return client.adjustGroupVolume(command.groupId, command.delta);
      case 'groupMute':
        return client.setGroupMute(command.groupId, command.muted);
      case 'playerVolume':
        return client.setPlayerVolume(command.playerId, command.volume);
      case 'playerRelativeVolume':
        return client.adjustPlayerVolume(command.playerId, command.delta);
      case 'playerMute':
        return client.setPlayerMute(command.playerId, command.muted);
      case 'playback':
        return client.playback(command.groupId, command.action);
      case 'playModes':
        return client.setPlayModes(command.groupId, command.playModes);
      case 'seek':
        return client.seek(command.groupId, command.positionMs);
      case 'seekRelative':
        return client.seekRelative(command.groupId, command.deltaMs);
      case 'modifyGroupMembers':
        return client.modifyGroupMembers(command.groupId, command.add, command.remove);
      case 'setGroupMembers':
        return client.setGroupMembers(command.groupId, command.playerIds);
      case 'createGroup':
        return client.createGroup(command.householdId, command.playerIds, command.musicFromGroupId);
      case 'loadFavorite':
        return client.loadFavorite(command.groupId, loadBody('favoriteId', command.favoriteId));
      case 'loadPlaylist':
        return client.loadPlaylist(command.groupId, loadBody('playlistId', command.playlistId));
      case 'homeTheater':
        throw new AppError('not-allowed', 'The Sonos cloud does not offer home-theater options.');
    }
  }

  /** What Sonos accepted, as if the player had echoed it (setting a volume unmutes, as on the players). */
  private async confirm(command: Command, householdId: string): Promise<void> {
    const { model } = this.options;
    switch (command.kind) {
      case 'groupVolume':
        model.applyGroupVolume(command.groupId, command.volume, false, undefined);
        return;
      case 'groupMute':
        model.confirmValue('groupMuted', command.groupId, command.muted);
        return;
      case 'playerVolume':
        model.applyPlayerVolume(command.playerId, command.volume, false, undefined);
        return;
      case 'playerMute':
        model.confirmValue('playerMuted', command.playerId, command.muted);
        return;
      case 'playback':
        // Play and pause say what the state is now; skips and a toggle are told by the read-back.
        if (command.action === 'play' || command.action === 'pause') {
          model.confirmValue('playback', command.groupId, command.action === 'play' ? 'playing' : 'paused');
        }
        return;
      case 'playModes': {
        const { shuffle, repeat, repeatOne, crossfade } = command.playModes;
        if (shuffle !== undefined) model.confirmValue('shuffle', command.groupId, shuffle);
        if (crossfade !== undefined) model.confirmValue('crossfade', command.groupId, crossfade);
        if (repeatOne === true) model.confirmValue('repeat', command.groupId, 'one');
        else if (repeat !== undefined) model.confirmValue('repeat', command.groupId, repeat ? 'all' : 'off');
        return;
      }
      case 'modifyGroupMembers':
      case 'setGroupMembers':
      case 'createGroup':
        // New ids and members: read the grouping back, as a local `groups` event would have told it.
        try {
          applyCloudGroups(model, householdId, await this.options.client.groups(householdId));
        } catch (error) {
          this.options.logger.info('cloud: groups not read back after a regroup', {
            error: error instanceof AppError ? error.code : String(error),
          });
        }
        return;
      default:
        // Relative changes: the read-back tells.
        return;
    }
  }
}
