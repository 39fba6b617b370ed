/**
 * Timers that never fire early by `performance.now()`. Node measures setTimeout from the event loop's cached time, so
 * a plain timer can run a millisecond or more before the requested delay has passed on the real clock; tests and the
 * benchmark compare simulator delays against performance.now(), so delays here re-arm until the time has come.
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Runs `fn` once `performance.now()` has reached `due`. */
  at(due: number, fn: () => void): void {
    const wait = due - performance.now();
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        if (performance.now() < due) this.at(due, fn);
        else fn();
      },
      Math.max(0, Math.ceil(wait)),
    );
    timer.unref();
    this.timers.add(timer);
  }

  after(delayMs: number, fn: () => void): void {
    this.at(performance.now() + delayMs, fn);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
