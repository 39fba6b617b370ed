/**
 * Real players hold back a command that arrives within ~260 ms of the previous one on the same target and run it
 * when that time has passed (the benchmark measures this). One FIFO per target (group, player or household):
 * state-changing commands wait until `holdBackMs` after the previous state change ran; reads queue behind them, so
 * replies keep their order, but never wait on their own.
 */
export class HoldBackQueues {
  private readonly queues = new Map<string, { mutating: boolean; run: () => void }[]>();
  private readonly lastChange = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly holdBackMs: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  enqueue(target: string, mutating: boolean, run: () => void): void {
    if (this.stopped) return;
    const queue = this.queues.get(target) ?? [];
    queue.push({ mutating, run });
    this.queues.set(target, queue);
    if (!this.timers.has(target)) this.pump(target);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queues.clear();
  }

  private pump(target: string): void {
    const queue = this.queues.get(target);
    while (queue && queue.length > 0 && !this.stopped) {
      const head = queue[0];
      if (!head) break;
      if (head.mutating) {
        const last = this.lastChange.get(target);
        const wait = last === undefined ? 0 : last + this.holdBackMs() - this.now();
        if (wait > 0) {
          const timer = setTimeout(() => {
            this.timers.delete(target);
            this.pump(target);
          }, Math.ceil(wait));
          timer.unref();
          this.timers.set(target, timer);
          return;
        }
        this.lastChange.set(target, this.now());
      }
      queue.shift();
      head.run();
    }
    this.queues.delete(target);
  }
}
