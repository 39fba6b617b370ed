/**
 * The one delivery path every intent uses. A command travels by the transport that works: the local socket first,
 * the cloud when the player is unreachable or refuses and an account is signed in (or the cloud first when the user
 * prefers it). Intents that set a value are coalesced per target (latest wins, one in flight, the final value
 * lands); presses run in order per lane; an intent that could not land because a player was away is replayed when
 * it comes back, or on a timer for a passing failure. A command that may already have been carried out is sent
 * again only when repeating it is harmless.
 */
import type { FavoritesList, PlaylistsList, Transport } from '../../contract/model';
import { Coalescer } from '../commands/coalescer';
import { describeCommand, isLocalOnly, isRepeatable, type Command } from '../commands/command';
import { AppError, toErrorPayload } from '../errors';
import type { Logger } from '../logger';
import type { LocalNetwork } from '../sonos/local/local-network';

/** A household's lists of music the user saved in Sonos. */
export interface CatalogLists {
  favorites: FavoritesList;
  playlists: PlaylistsList;
}
export type CatalogKind = keyof CatalogLists;

/** The cloud path, supplied by the account module once someone signs in. */
export interface CloudTransport {
  canControl(householdId: string): boolean;
  execute(command: Command, householdId: string): Promise<void>;
  /** The household's favorites or playlists through the cloud. */
  catalog<K extends CatalogKind>(householdId: string, kind: K): Promise<CatalogLists[K]>;
}

export interface DeliveryOptions {
  network: LocalNetwork;
  logger: Logger;
  cloud: CloudTransport | null;
  /** Whether the cloud goes first (the setting, or the CLI's `--cloud`); read per command. */
  preferCloud: () => boolean;
  /** Keep an intent that failed because a player was away and make it when the player is back. */
  replayIntents: boolean;
}

/** When an intent that failed for a passing reason is tried again, if no event brings it back sooner. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

export class Delivery {
  private cloudTransport: CloudTransport | null;
  private readonly coalescers: Coalescer<unknown>[] = [];
  private readonly serial = new Map<string, Promise<unknown>>();
  /** Intents that could not land because the player was away, by coalescing key. */
  private readonly waiting = new Map<string, () => void>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private last: Transport | null = null;
  private stopped = false;

  constructor(private readonly options: DeliveryOptions) {
    this.cloudTransport = options.cloud;
  }

  get cloud(): CloudTransport | null {
    return this.cloudTransport;
  }

  set cloud(cloud: CloudTransport | null) {
    this.cloudTransport = cloud;
  }

  get prefersCloud(): boolean {
    return this.options.preferCloud();
  }

  get lastTransport(): Transport | null {
    return this.last;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** A coalescing lane family whose counters show in `stats()`. */
  coalescer<T>(): Coalescer<T> {
    const coalescer = new Coalescer<T>();
    this.coalescers.push(coalescer as Coalescer<unknown>);
    return coalescer;
  }

  /** Counters of the coalescing lanes, for diagnostics and benchmarks. */
  stats(): { sent: number; superseded: number; maxInFlight: number } {
    return this.coalescers.reduce(
      (sum, c) => ({
        sent: sum.sent + c.stats.sent,
        superseded: sum.superseded + c.stats.superseded,
        maxInFlight: Math.max(sum.maxInFlight, c.stats.maxInFlight),
      }),
      { sent: 0, superseded: 0, maxInFlight: 0 },
    );
  }

  stop(): void {
    // First, so that commands the network rejects as it closes schedule no retries and replay nothing.
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.waiting.clear();
  }

  /**
   * Latest value wins per `key`, one command in flight, the final value lands. `onLanded` runs when the last value
   * was answered, `onFailed` when it failed for good (not when it waits to be replayed).
   */
  coalesced<T>(
    coalescer: Coalescer<T>,
    key: string,
    value: T,
    toCommand: (value: T) => Command,
    onLanded: () => void,
    onFailed: () => void,
  ): Promise<void> {
    this.forget(key);
    let retries = 0;
    const attempt = (): Promise<void> =>
      coalescer
        .submit(key, value, (latest) => this.run(toCommand(latest)))
        .then(
          () => {
            if (!coalescer.hasQueued(key)) onLanded();
          },
          (error: unknown) => {
            if (coalescer.hasQueued(key)) throw error;
            const appError =
              error instanceof AppError ? error : new AppError('internal', 'The command failed.');
            const away = appError.code === 'unreachable' || appError.code === 'timeout';
            const passing = appError.code === 'unexpected' && appError.retryable;
            if ((away || passing) && !this.stopped && this.options.replayIntents) {
              // Keep showing what the user chose and land it later: when the player is back (its socket opens),
              // or on a timer for a passing failure such as a cloud 5xx. A newer intent replaces this one.
              const replay = (): void => void attempt().catch(() => {});
              this.waiting.set(key, replay);
              if (retries < RETRY_DELAYS_MS.length) {
                const timer = setTimeout(() => {
                  this.retryTimers.delete(key);
                  if (this.waiting.get(key) !== replay) return;
                  this.waiting.delete(key);
                  replay();
                }, RETRY_DELAYS_MS[retries++]);
                timer.unref?.();
                this.retryTimers.set(key, timer);
              }
              throw new AppError(
                appError.code,
                `${appError.message} ${away ? 'Your change will be made when it is back.' : 'Trying again…'}`,
                {
                  retryable: true,
                  ...(appError.details ? { details: appError.details } : {}),
                },
              );
            }
            onFailed();
            throw appError;
          },
        );
    return attempt();
  }

  /** Runs `task` after every earlier task of the same lane finished (whatever their outcome). */
  inOrder<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.serial.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(task);
    this.serial.set(key, next);
    void next
      .finally(() => {
        if (this.serial.get(key) === next) this.serial.delete(key);
      })
      .catch(() => {});
    return next;
  }

  /** A player came back or the groups changed: make the intents that waited for it. */
  replayWaiting(): void {
    if (this.waiting.size === 0 || this.stopped) return;
    const replays = [...this.waiting.entries()];
    this.waiting.clear();
    for (const [key, replay] of replays) {
      const timer = this.retryTimers.get(key);
      if (timer) clearTimeout(timer);
      this.retryTimers.delete(key);
      replay();
    }
  }

  /** Sends one command by the transport that works right now. */
  async run(command: Command): Promise<void> {
    if (this.stopped) throw new AppError('unreachable', 'Tray for Sonos is closing.');
    const { network, logger } = this.options;
    const route = network.route(command);
    const cloud =
      !isLocalOnly(command) && this.cloudTransport?.canControl(route.householdId)
        ? this.cloudTransport
        : null;
    if (cloud && this.options.preferCloud()) {
      try {
        await cloud.execute(command, route.householdId);
        this.last = 'cloud';
        return;
      } catch (error) {
        // Preferred is not required: when the cloud fails and the player is right here, use it.
        if (!network.isOpen(route.playerId)) throw error;
        if (error instanceof AppError && !this.mayResend(command, error)) throw notResent(error);
        logger.info('the cloud failed; using the local connection', {
          command: describeCommand(command),
          reason: error instanceof AppError ? error.code : 'error',
        });
      }
    }
    try {
      await network.execute(command);
      this.last = 'local';
    } catch (error) {
      const appError =
        error instanceof AppError ? error : new AppError('internal', 'The command failed.', { cause: error });
      if (cloud && ['unreachable', 'timeout', 'refused'].includes(appError.code)) {
        if (!this.mayResend(command, appError)) throw notResent(appError);
        logger.info('falling back to the cloud', {
          command: describeCommand(command),
          reason: appError.code,
        });
        await cloud.execute(command, route.householdId);
        this.last = 'cloud';
        return;
      }
      if (appError.code === 'internal') logger.warn('command failed', { error: toErrorPayload(error) });
      throw appError;
    }
  }

  /** A newer intent for `key` replaces any that waits to be replayed. */
  private forget(key: string): void {
    this.waiting.delete(key);
    const timer = this.retryTimers.get(key);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(key);
  }

  /** A command that may already have been carried out is sent again only when repeating it is harmless. */
  private mayResend(command: Command, error: AppError): boolean {
    if (!error.maybeDelivered || isRepeatable(command)) return true;
    this.options.logger.info('not sending again: the first attempt may have landed', {
      command: describeCommand(command),
      reason: error.code,
    });
    return false;
  }
}

function notResent(error: AppError): AppError {
  return new AppError(error.code, `${error.message} It may have happened anyway, so it was not sent again.`, {
    maybeDelivered: true,
    cause: error,
    ...(error.details ? { details: error.details } : {}),
  });
}
