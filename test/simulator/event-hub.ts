/**
 * Relays household changes to every player server, which sends events to its subscribed sockets: that is how a second
 * client, a cloud command or "another controller" (the control API) produce the same events as a local command.
 * While a command runs, its changes are held so the command's own reply goes out before the events it caused.
 */
import type { Household, HouseholdChange } from './household';

export interface ChangeSink {
  deliver(change: HouseholdChange): void;
}

export class EventHub {
  private readonly sinks = new Set<ChangeSink>();
  private held: HouseholdChange[] | null = null;
  private readonly unsubscribe: () => void;

  constructor(household: Household) {
    this.unsubscribe = household.onChange((change) => {
      if (this.held) this.held.push(change);
      else this.dispatch(change);
    });
  }

  add(sink: ChangeSink): void {
    this.sinks.add(sink);
  }

  /** Runs `fn` with events held; call `flush` once the reply is on its way. */
  hold<T>(fn: () => T): { result: T; flush: () => void } {
    if (this.held) return { result: fn(), flush: () => undefined };
    const held: HouseholdChange[] = [];
    this.held = held;
    try {
      const result = fn();
      return { result, flush: () => held.forEach((change) => this.dispatch(change)) };
    } finally {
      this.held = null;
    }
  }

  stop(): void {
    this.unsubscribe();
    this.sinks.clear();
  }

  private dispatch(change: HouseholdChange): void {
    for (const sink of this.sinks) sink.deliver(change);
  }
}
