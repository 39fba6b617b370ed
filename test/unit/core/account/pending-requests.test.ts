import { describe, expect, it } from 'vitest';
import { createAuthorizationRequest } from '../../../../main/core/account/authorization-request';
import { PendingRequests } from '../../../../main/core/account/pending-requests';

const make = (now: number) =>
  createAuthorizationRequest({
    endpoints: { authorizeUrl: 'https://auth.example.test/login/v3/oauth' },
    clientId: 'c',
    redirectUri: 'https://bounce.example.test/',
    now,
  });

describe('pending sign-in requests', () => {
  it('hand a request out once', () => {
    const pending = new PendingRequests();
    const request = make(0);
    pending.add(request);
    expect(pending.take(request.state, 1)).toEqual({ ok: true, request });
    expect(pending.take(request.state, 2)).toEqual({ ok: false, reason: 'used' });
  });

  it('say why a state is not accepted: missing, unknown, expired, cancelled, replaced', () => {
    const pending = new PendingRequests();
    expect(pending.take(null, 0)).toEqual({ ok: false, reason: 'missing' });
    expect(pending.take('', 0)).toEqual({ ok: false, reason: 'missing' });
    expect(pending.take('nope', 0)).toEqual({ ok: false, reason: 'unknown' });

    const old = make(0);
    pending.add(old);
    expect(pending.take(old.state, old.expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(pending.take(old.state, 0)).toEqual({ ok: false, reason: 'expired' });

    const first = make(10);
    pending.add(first);
    const second = make(20);
    pending.add(second, { exclusive: true });
    expect(pending.current()).toBe(second);
    expect(pending.take(first.state, 30)).toEqual({ ok: false, reason: 'replaced' });

    pending.retireAll('cancelled');
    expect(pending.size).toBe(0);
    expect(pending.current()).toBeNull();
    expect(pending.take(second.state, 30)).toEqual({ ok: false, reason: 'cancelled' });
  });
});
