/**
 * Keeps the access token fresh: one timer ahead of expiry (read from `expires_in`, never assumed), and one refresh
 * at a time — every caller that asks while a refresh runs (a timer, a 401 on a hundred requests at once) shares
 * the same promise, so the token endpoint sees exactly one request. A failed refresh that may succeed later is
 * retried with a growing pause; one that cannot (the grant was refused) is left to the caller.
 */
import type { Clock, TimerHandle } from '../clock';

export interface RefreshSchedulerOptions {
  clock: Clock;
  /** Refreshes and stores the tokens; resolves with the new expiry (epoch ms) or null when unknown. */
  refresh: () => Promise<number | null>;
  /** A refresh the timer started failed; `retry` says whether the scheduler will try again by itself. */
  onError?: (error: unknown, retry: boolean) => void;
  /** Whether a failure is worth retrying (network, 5xx) rather than final (refused). */
  isRetryable?: (error: unknown) => boolean;
}

const MIN_LEAD_MS = 5_000;
const MAX_LEAD_MS = 5 * 60_000;
const RETRY_MS = [15_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000];

/** How long before expiry to refresh: a tenth of the lifetime, between 5 seconds and 5 minutes. */
export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, Math.round(lifetimeMs / 10)));
}

export class RefreshScheduler {
  private timer: TimerHandle | null = null;
  private inFlight: Promise<number | null> | null = null;
  private failures = 0;
  /** Bumped by stop(): a refresh that finishes after a sign-out must not arm a new timer. */
  private generation = 0;
  private dueAt: number | null = null;

  constructor(private readonly options: RefreshSchedulerOptions) {}

  /** When the next automatic refresh runs (epoch ms), for diagnostics and tests. */
  get nextRefreshAt(): number | null {
    return this.dueAt;
  }

  get refreshing(): boolean {
    return this.inFlight !== null;
  }

  /** Arms the timer for a token that expires at `expiresAt`. */
  schedule(expiresAt: number | null): void {
    this.clearTimer();
    if (expiresAt === null) return;
    const now = this.options.clock.now();
    const lifetime = Math.max(0, expiresAt - now);
    this.arm(Math.max(0, lifetime - refreshLeadMs(lifetime)));
  }

  /** Refreshes now, or joins the refresh already running. */
  refreshNow(): Promise<number | null> {
    if (this.inFlight) return this.inFlight;
    // Whatever it ends in, this refresh decides the next timer.
    this.clearTimer();
    const generation = this.generation;
    const run = this.options
      .refresh()
      .then(
        (expiresAt) => {
          if (generation === this.generation) {
            this.failures = 0;
            this.schedule(expiresAt);
          }
          return expiresAt;
        },
        (error: unknown) => {
          if (generation === this.generation && (this.options.isRetryable?.(error) ?? true)) {
            const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
            this.failures += 1;
            this.arm(wait);
          }
          throw error;
        },
      )
      .finally(() => {
        if (this.inFlight === run) this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }

  /** Sign-out or shutdown: no timer, and a refresh still running changes nothing here when it ends. */
  stop(): void {
    this.generation += 1;
    this.failures = 0;
    this.clearTimer();
  }

  private arm(ms: number): void {
    this.clearTimer();
    this.dueAt = this.options.clock.now() + ms;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      this.dueAt = null;
      this.refreshNow().catch((error: unknown) => {
        this.options.onError?.(error, this.timer !== null);
      });
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }
}
