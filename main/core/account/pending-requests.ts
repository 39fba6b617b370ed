/**
 * The sign-in requests we are waiting on, keyed by `state`. A callback is matched here before anything else
 * happens — also an error callback — and a request can be taken once. States we handed out earlier are remembered
 * (not their requests) only so the log can say why a callback was ignored: reused, expired, cancelled, replaced.
 */
import type { AuthorizationRequest } from './authorization-request';

export type RetiredReason = 'used' | 'expired' | 'cancelled' | 'replaced';
export type TakeResult =
  { ok: true; request: AuthorizationRequest } | { ok: false; reason: 'missing' | 'unknown' | RetiredReason };

const REMEMBERED = 64;

export class PendingRequests {
  private readonly pending = new Map<string, AuthorizationRequest>();
  private readonly retired = new Map<string, RetiredReason>();

  /** Adds a request; with `exclusive`, every earlier one is retired as replaced (one sign-in at a time). */
  add(request: AuthorizationRequest, options: { exclusive?: boolean } = {}): void {
    if (options.exclusive) this.retireAll('replaced');
    this.pending.set(request.state, request);
  }

  /** The one request the callback answers, removed so it can never be used again. */
  take(state: string | null, now: number): TakeResult {
    if (state === null || state === '') return { ok: false, reason: 'missing' };
    const request = this.pending.get(state);
    if (!request) return { ok: false, reason: this.retired.get(state) ?? 'unknown' };
    this.pending.delete(state);
    if (request.expiresAt <= now) {
      this.remember(state, 'expired');
      return { ok: false, reason: 'expired' };
    }
    this.remember(state, 'used');
    return { ok: true, request };
  }

  retire(state: string, reason: RetiredReason): void {
    if (this.pending.delete(state)) this.remember(state, reason);
  }

  retireAll(reason: RetiredReason): void {
    for (const state of [...this.pending.keys()]) this.retire(state, reason);
  }

  /** The newest request still waiting, if any. */
  current(): AuthorizationRequest | null {
    let newest: AuthorizationRequest | null = null;
    for (const request of this.pending.values())
      if (!newest || request.createdAt >= newest.createdAt) newest = request;
    return newest;
  }

  get size(): number {
    return this.pending.size;
  }

  private remember(state: string, reason: RetiredReason): void {
    this.retired.delete(state);
    this.retired.set(state, reason);
    if (this.retired.size > REMEMBERED) this.retired.delete(this.retired.keys().next().value!);
  }
}
