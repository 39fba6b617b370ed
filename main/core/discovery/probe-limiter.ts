/**
 * At most `max` probes at once, with a bounded queue behind them. Discovery asks every announced address who it
 * is; a LAN that announces thousands must not open thousands of TLS connections at once, nor queue without end.
 */
export class ProbeLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueued: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with the function that frees the slot once one is free. `droppable` requests (announced addresses)
   * get null when the queue is full; the others (addresses the user typed) go to the front and always get one.
   */
  acquire(droppable: boolean): Promise<(() => void) | null> {
    if (this.running < this.max) {
      this.running += 1;
      return Promise.resolve(this.releaser());
    }
    if (droppable && this.waiting.length >= this.maxQueued) return Promise.resolve(null);
    return new Promise((resolve) => {
      const start = (): void => {
        this.running += 1;
        resolve(this.releaser());
      };
      if (droppable) this.waiting.push(start);
      else this.waiting.unshift(start);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.waiting.shift()?.();
    };
  }
}
