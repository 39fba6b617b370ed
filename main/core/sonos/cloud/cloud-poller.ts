/**
 * The cloud sends no events to a desktop app (only to public webhooks), so households we cannot reach on the LAN
 * are polled: groups, then each group's volume, playback and metadata, and member volumes of multi-speaker
 * groups, fed into the household model like local events. Only while the popover is open, every ~5 seconds, and
 * only for households without a local connection — players on the LAN send events and need none of this.
 * Favorites and playlists change rarely and are large: they are read on the first round after the popover opens.
 */
import { systemClock, type Clock, type TimerHandle } from '../../clock';
import type { CloudAuth } from '../../account/account-manager';
import { toErrorPayload } from '../../errors';
import type { HouseholdModel } from '../../household/household-model';
import type { Logger } from '../../logger';
import { toFavoritesList, toNowPlaying, toPlaybackStatus, toPlaylistsList } from '../normalize';
import type { CloudClient } from './cloud-client';
import { applyCloudGroups } from './cloud-groups';

export interface CloudPollerOptions {
  client: Pick<
    CloudClient,
    | 'households'
    | 'groups'
    | 'groupVolume'
    | 'playbackStatus'
    | 'metadata'
    | 'playerVolume'
    | 'favorites'
    | 'playlists'
  >;
  model: HouseholdModel;
  auth: Pick<CloudAuth, 'isSignedIn' | 'householdIds'>;
  logger: Logger;
  /** True when the household is controlled over the LAN right now. */
  isLocal: (householdId: string) => boolean;
  /** True when the player has a local connection (its connection state is the local network's to report). */
  hasLocalPlayer: (playerId: string) => boolean;
  /** The account's households as Sonos lists them (refetched when the popover opens). */
  onHouseholds?: (households: { id: string; name: string | null }[]) => void;
  /** The model gained or lost cloud households: a cue to recompute each household's transport. */
  onChange?: () => void;
  clock?: Clock;
  intervalMs?: number;
  /** Wait after a cloud command before reading its household back. */
  readBackMs?: number;
}

export const POLL_INTERVAL_MS = 5_000;

export class CloudPoller {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private visible = false;
  private timer: TimerHandle | null = null;
  private readBack: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private householdsFetched = false;
  private stopped = false;
  /** Households this poller put into the model, to take out again on sign-out. */
  private readonly added = new Set<string>();
  private polls = 0;

  constructor(private readonly options: CloudPollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  }

  get isPolling(): boolean {
    return this.timer !== null || this.running !== null;
  }

  /** How many poll rounds ran, for tests and diagnostics. */
  get rounds(): number {
    return this.polls;
  }

  /** The popover opened or closed: poll at once and on a timer while it is open, not at all while it is closed. */
  setVisible(visible: boolean): void {
    if (this.stopped || visible === this.visible) return;
    this.visible = visible;
    if (visible) {
      this.householdsFetched = false;
      void this.tick();
    } else {
      this.clearTimers();
    }
  }

  /** One round now (or the one already running). */
  pollNow(): Promise<void> {
    if (this.running) return this.running;
    const run = this.round().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  /** A command went through the cloud; read the household back shortly (debounced) if anyone is looking. */
  refreshSoon(): void {
    if (!this.visible || this.stopped) return;
    if (this.readBack) this.clock.clearTimeout(this.readBack);
    this.readBack = this.clock.setTimeout(() => {
      this.readBack = null;
      void this.pollNow();
    }, this.options.readBackMs ?? 400);
  }

  /** Signed in (again): fetch the households afresh and poll now if the popover is open. */
  restart(): void {
    this.householdsFetched = false;
    if (this.visible && !this.stopped) void this.tick();
  }

  /**
   * Signed out: stop, and take the households only the cloud showed us out of the model. A household we also
   * know on the LAN stays, even while its speakers are briefly away; what only the cloud reached is offline now.
   */
  forget(): void {
    this.clearTimers();
    this.householdsFetched = false;
    const { model, hasLocalPlayer } = this.options;
    for (const id of this.added) {
      const players = model.playerIds().filter((p) => model.playerRecord(p)?.householdId === id);
      if (!this.options.isLocal(id) && !players.some(hasLocalPlayer)) {
        model.removeHousehold(id);
        continue;
      }
      for (const p of players)
        if (!hasLocalPlayer(p) && model.playerRecord(p)?.connection === 'cloud')
          model.setPlayerConnection(p, 'offline', null);
    }
    this.added.clear();
    this.options.onChange?.();
    if (this.visible && !this.stopped) this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
  }

  // ---------------------------------------------------------------------------------------------------------

  private async tick(): Promise<void> {
    this.timer = null;
    await this.pollNow();
    if (this.visible && !this.stopped) this.arm();
  }

  private arm(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.tick(), this.intervalMs);
  }

  private clearTimers(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.readBack) this.clock.clearTimeout(this.readBack);
    this.timer = null;
    this.readBack = null;
  }

  private async round(): Promise<void> {
    const { auth, client, logger } = this.options;
    if (!auth.isSignedIn() || this.stopped) return;
    this.polls += 1;
    try {
      const fresh = !this.householdsFetched || auth.householdIds().length === 0;
      if (fresh) {
        const households = await client.households();
        this.householdsFetched = true;
        this.options.onHouseholds?.(households);
      }
      const remote = auth.householdIds().filter((id) => !this.options.isLocal(id));
      const results = await Promise.allSettled(remote.map((id) => this.pollHousehold(id, fresh)));
      results.forEach((result, i) => {
        if (result.status === 'rejected')
          logger.warn('cloud: poll of a household failed', {
            householdId: remote[i],
            error: toErrorPayload(result.reason),
          });
      });
      if (remote.length > 0) this.options.onChange?.();
    } catch (error) {
      logger.warn('cloud: poll failed', { error: toErrorPayload(error) });
    }
  }

  private async pollHousehold(householdId: string, withCatalog: boolean): Promise<void> {
    const { client, model, logger } = this.options;
    const body = await client.groups(householdId);
    if (this.stopped || !this.options.auth.isSignedIn()) return;
    applyCloudGroups(model, householdId, body);
    this.added.add(householdId);
    if (withCatalog) {
      const [favorites, playlists] = await Promise.allSettled([
        client.favorites(householdId),
        client.playlists(householdId),
      ]);
      if (favorites.status === 'fulfilled')
        model.applyCatalog(householdId, 'favorites', toFavoritesList(favorites.value));
      if (playlists.status === 'fulfilled')
        model.applyCatalog(householdId, 'playlists', toPlaylistsList(playlists.value));
    }
    for (const player of body.players)
      if (!this.options.hasLocalPlayer(player.id)) model.setPlayerConnection(player.id, 'cloud', null);

    await Promise.all(
      body.groups.map(async (group) => {
        const [volume, playback, metadata] = await Promise.allSettled([
          client.groupVolume(group.id),
          client.playbackStatus(group.id),
          client.metadata(group.id),
        ]);
        if (volume.status === 'fulfilled') {
          const v = volume.value;
          model.applyGroupVolume(group.id, v.volume, v.muted, v.fixed);
          // A speaker alone is its group: its volume is the group's.
          const only = group.playerIds.length === 1 ? group.playerIds[0] : undefined;
          if (only !== undefined) model.applyPlayerVolume(only, v.volume, v.muted, v.fixed);
        }
        if (playback.status === 'fulfilled') {
          model.applyPlayback(group.id, toPlaybackStatus(playback.value));
        }
        if (metadata.status === 'fulfilled') model.applyNowPlaying(group.id, toNowPlaying(metadata.value));
        if (group.playerIds.length > 1) {
          const volumes = await Promise.allSettled(group.playerIds.map((id) => client.playerVolume(id)));
          volumes.forEach((result, index) => {
            const playerId = group.playerIds[index]!;
            if (result.status === 'fulfilled')
              model.applyPlayerVolume(playerId, result.value.volume, result.value.muted, result.value.fixed);
          });
        }
        const failed = [volume, playback, metadata].find((r) => r.status === 'rejected');
        if (failed?.status === 'rejected')
          logger.debug('cloud: part of a group poll failed', {
            groupId: group.id,
            error: toErrorPayload(failed.reason),
          });
      }),
    );
  }
}
