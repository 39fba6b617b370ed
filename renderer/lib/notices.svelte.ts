/**
 * Errors from actions the user took ("Couldn't set the volume: the speaker refused the connection."), shown in one
 * alert area at the top of the popover until dismissed or replaced. Errors that belong to a form (an address, the
 * account) are shown next to that form instead and never come here.
 */
import type { AppErrorPayload } from '../../main/contract/model';
import type { About } from './ipc';

export interface Notice {
  id: number;
  error: AppErrorPayload;
  /** The speakers the failed action was for, when it was for speakers. */
  about: readonly string[];
  /** The group or speaker it was for, as the notice names it. */
  subject: string | null;
}

/** Failures that mean "this speaker cannot be reached as it should": over once the speaker is back. */
const CONNECTION_CODES = new Set(['unreachable', 'timeout', 'refused', 'untrusted-certificate']);

/** Enough to see that several things failed without the list pushing the speakers out of the popover. */
const MAX_NOTICES = 3;

export class Notices {
  items = $state.raw<Notice[]>([]);
  #nextId = 1;

  push(error: AppErrorPayload, about: About = { players: [], name: null }): void {
    // The same failure repeated (a slider dragged against an offline speaker) is one notice, refreshed.
    const rest = this.items.filter((n) => n.error.message !== error.message || n.subject !== about.name);
    const notice = { id: this.#nextId++, error, about: about.players, subject: about.name };
    this.items = [...rest, notice].slice(-MAX_NOTICES);
  }

  /**
   * A connection problem that is over (the speaker is connected again, its certificate trusted, local control
   * allowed again) takes its notice with it: a banner must not say what is no longer true. A notice goes when every
   * speaker it was about is `fine` and at least one of them `cameBack` just now — a passing timeout on a speaker
   * that never went away stays until dismissed.
   */
  settle(fine: (playerId: string) => boolean, cameBack: (playerId: string) => boolean): void {
    const kept = this.items.filter(
      (n) =>
        !(
          CONNECTION_CODES.has(n.error.code) &&
          n.about.length > 0 &&
          n.about.every(fine) &&
          n.about.some(cameBack)
        ),
    );
    if (kept.length !== this.items.length) this.items = kept;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}
