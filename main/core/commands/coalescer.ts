/**
 * Commands coalesced per target: the latest value wins, at most one command is in flight per target, and the
 * final value always lands. A slider dragged at 60 Hz becomes a handful of commands, each sent as soon as the
 * previous one is answered, and the last one is always the value where the slider stopped.
 */
export type Sender<T> = (value: T) => Promise<void>;

interface Lane<T> {
  inFlight: Promise<void> | null;
  /** The newest value not yet sent, with everyone waiting for it. */
  queued: { value: T; send: Sender<T>; waiters: { resolve(): void; reject(error: unknown): void }[] } | null;
}

export interface CoalescerStats {
  sent: number;
  superseded: number;
  maxInFlight: number;
}

export class Coalescer<T> {
  private readonly lanes = new Map<string, Lane<T>>();
  private inFlightCount = new Map<string, number>();
  readonly stats: CoalescerStats = { sent: 0, superseded: 0, maxInFlight: 0 };

  /**
   * Resolves when `value` — or a newer value that replaced it — has been sent and answered. Rejects with the
   * error of the command that carried it; a value that was replaced never fails on its own.
   */
  submit(key: string, value: T, send: Sender<T>): Promise<void> {
    const lane = this.lanes.get(key) ?? { inFlight: null, queued: null };
    this.lanes.set(key, lane);
    return new Promise<void>((resolve, reject) => {
      if (lane.queued) {
        this.stats.superseded += 1;
        lane.queued.value = value;
        lane.queued.send = send;
        lane.queued.waiters.push({ resolve, reject });
      } else {
        lane.queued = { value, send, waiters: [{ resolve, reject }] };
      }
      if (!lane.inFlight) this.pump(key, lane);
    });
  }

  /** True while a value for `key` is being sent or waits to be. */
  busy(key: string): boolean {
    const lane = this.lanes.get(key);
    return !!lane && (lane.inFlight !== null || lane.queued !== null);
  }

  /** True when a newer value for `key` waits to be sent (the one just answered was not the last word). */
  hasQueued(key: string): boolean {
    return this.lanes.get(key)?.queued != null;
  }

  private pump(key: string, lane: Lane<T>): void {
    const next = lane.queued;
    if (!next) {
      this.lanes.delete(key);
      return;
    }
    lane.queued = null;
    this.stats.sent += 1;
    const count = (this.inFlightCount.get(key) ?? 0) + 1;
    this.inFlightCount.set(key, count);
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, count);
    let run: Promise<void>;
    try {
      run = Promise.resolve(next.send(next.value));
    } catch (error) {
      run = Promise.reject(error);
    }
    lane.inFlight = run.then(
      () => {
        for (const waiter of next.waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of next.waiters) waiter.reject(error);
      },
    );
    void lane.inFlight.finally(() => {
      this.inFlightCount.set(key, (this.inFlightCount.get(key) ?? 1) - 1);
      lane.inFlight = null;
      this.pump(key, lane);
    });
  }
}
