/**
 * Errors from actions the user took ("Couldn't set the volume: the speaker refused the connection."), shown in one
 * alert area at the top of the popover until dismissed or replaced. Errors that belong to a form (an address, the
 * account) are shown next to that form instead and never come here.
 */
import type { AppErrorPayload } from '../../main/contract/model';

export interface Notice {
  id: number;
  error: AppErrorPayload;
}

/** Enough to see that several things failed without the list pushing the speakers out of the popover. */
const MAX_NOTICES = 3;

export class Notices {
  items = $state.raw<Notice[]>([]);
  #nextId = 1;

  push(error: AppErrorPayload): void {
    // The same failure repeated (a slider dragged against an offline speaker) is one notice, refreshed.
    const rest = this.items.filter((n) => n.error.message !== error.message);
    this.items = [...rest, { id: this.#nextId++, error }].slice(-MAX_NOTICES);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}
