/**
 * The household's Sonos favorites and playlists, and playing one of them on a group. The lists are read when a
 * household is first reached and again whenever Sonos says their version changed (`versionChanged` carries only
 * the version), from a player on the LAN or else through the cloud, and kept in the household model. Playing one
 * replaces what the group plays (`REPLACE`, play on completion) and goes to the group's coordinator.
 */
import type { FavoritesList, PlaybackState, PlaylistsList } from '../../contract/model';
import type { Command } from '../commands/command';
import type { CatalogKind, CatalogLists } from '../delivery/delivery';
import { AppError } from '../errors';
import { NS } from '../sonos/constants';
import { FavoritesBodySchema, PlaylistsBodySchema, readBody } from '../sonos/local/frames';
import { toFavoritesList, toPlaylistsList } from '../sonos/normalize';
import { existingGroup, groupLane, type IntentContext } from './intent-context';

const LOCAL_READ = {
  favorites: { namespace: NS.favorites, command: 'getFavorites' },
  playlists: { namespace: NS.playlists, command: 'getPlaylists' },
} as const;

const NOUN: Record<CatalogKind, string> = { favorites: 'favorite', playlists: 'playlist' };

export class MusicIntents {
  /** Reads in flight, by `householdId:kind`: callers at the same moment share one. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(private readonly ctx: IntentContext) {}

  /** Reads the household's lists again (both, or one) and puts them in the model. */
  async refresh(
    householdId: string,
    kinds: readonly CatalogKind[] = ['favorites', 'playlists'],
  ): Promise<void> {
    if (!this.ctx.model.householdRecord(householdId))
      throw new AppError('not-found', 'That household is not known.');
    await Promise.all(kinds.map((kind) => this.read(householdId, kind)));
  }

  /** Sonos said a list changed: read it again unless we have that version already. */
  onVersion(householdId: string, kind: CatalogKind, version: string): void {
    const known = this.ctx.model.householdRecord(householdId)?.[kind];
    if (known?.version === version) return;
    this.read(householdId, kind).catch((error: unknown) =>
      this.ctx.logger.debug(`${kind} not read`, { householdId, error }),
    );
  }

  /** The household's favorites, read first if they never were. */
  async favorites(householdId: string): Promise<FavoritesList> {
    return this.list(householdId, 'favorites');
  }

  async playlists(householdId: string): Promise<PlaylistsList> {
    return this.list(householdId, 'playlists');
  }

  playFavorite(groupId: string, favoriteId: string): Promise<void> {
    return this.play(groupId, 'favorites', favoriteId);
  }

  playPlaylist(groupId: string, playlistId: string): Promise<void> {
    return this.play(groupId, 'playlists', playlistId);
  }

  // ---------------------------------------------------------------------------------------------------------

  private async list<K extends CatalogKind>(householdId: string, kind: K): Promise<CatalogLists[K]> {
    const { model } = this.ctx;
    if (!model.householdRecord(householdId)) throw new AppError('not-found', 'That household is not known.');
    if (!model.householdRecord(householdId)![kind]) await this.read(householdId, kind);
    return model.householdRecord(householdId)![kind] as CatalogLists[K];
  }

  private async play(groupId: string, kind: CatalogKind, itemId: string): Promise<void> {
    const { model, delivery } = this.ctx;
    const id = existingGroup(model, groupId);
    const householdId = model.groupRecord(id)!.householdId;
    const list = await this.list(householdId, kind);
    // Nothing is sent for an item the household does not have: the player would only refuse it.
    if (!list.items.some((item) => item.id === itemId))
      throw new AppError('not-found', `There is no such ${NOUN[kind]} in this household any more.`);
    const now = (): string => model.resolveGroupId(id);
    const command = (): Command =>
      kind === 'favorites'
        ? { kind: 'loadFavorite', groupId: now(), favoriteId: itemId }
        : { kind: 'loadPlaylist', groupId: now(), playlistId: itemId };
    const held = model.hold<PlaybackState>('playback', id, 'playing');
    try {
      await delivery.inOrder(`pb:${groupLane(model, id)}`, () => delivery.run(command()));
      model.release('playback', now(), true, held);
    } catch (error) {
      model.release('playback', now(), false, held);
      throw error;
    }
  }

  private read(householdId: string, kind: CatalogKind): Promise<void> {
    const key = `${householdId}:${kind}`;
    const running = this.reading.get(key);
    if (running) return running;
    const run = this.fetch(householdId, kind).finally(() => this.reading.delete(key));
    this.reading.set(key, run);
    return run;
  }

  /** The LAN when a player of the household answers, else the cloud; the list replaces the one we had. */
  private async fetch(householdId: string, kind: CatalogKind): Promise<void> {
    const { network, delivery, model } = this.ctx;
    const cloud = delivery.cloud?.canControl(householdId) ? delivery.cloud : null;
    let local: unknown = null;
    if (network.householdReachable(householdId) && !(cloud && delivery.prefersCloud)) {
      try {
        const { namespace, command } = LOCAL_READ[kind];
        const body = await network.read(namespace, command, { householdId });
        const list = kind === 'favorites' ? this.parseFavorites(body) : this.parsePlaylists(body);
        return kind === 'favorites'
          ? model.applyCatalog(householdId, 'favorites', list as FavoritesList)
          : model.applyCatalog(householdId, 'playlists', list as PlaylistsList);
      } catch (error) {
        if (!cloud) throw error;
        local = error;
      }
    }
    if (!cloud) {
      throw new AppError(
        'unreachable',
        `Your ${kind} could not be read: no speaker of this household answers.`,
        {
          retryable: true,
        },
      );
    }
    if (local) this.ctx.logger.info(`${kind}: reading through the cloud`, { householdId });
    if (kind === 'favorites')
      model.applyCatalog(householdId, 'favorites', await cloud.catalog(householdId, 'favorites'));
    else model.applyCatalog(householdId, 'playlists', await cloud.catalog(householdId, 'playlists'));
  }

  private parseFavorites(body: Record<string, unknown>): FavoritesList {
    const parsed = readBody(FavoritesBodySchema, body);
    if (!parsed) throw unexpectedList('favorites');
    return toFavoritesList(parsed);
  }

  private parsePlaylists(body: Record<string, unknown>): PlaylistsList {
    const parsed = readBody(PlaylistsBodySchema, body);
    if (!parsed) throw unexpectedList('playlists');
    return toPlaylistsList(parsed);
  }
}

function unexpectedList(kind: string): AppError {
  return new AppError('unexpected', `The speaker sent a list of ${kind} we could not read.`, {
    retryable: true,
  });
}
