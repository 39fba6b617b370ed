import { describe, expect, it } from 'vitest';
import { refreshLeadMs, RefreshScheduler } from '../../../../main/core/account/refresh-scheduler';
import { ManualClock } from '../../../support/manual-clock';

function setup(refresh: () => Promise<number | null>, isRetryable?: (e: unknown) => boolean) {
  const clock = new ManualClock();
  const errors: unknown[] = [];
  const scheduler = new RefreshScheduler({
    clock,
    refresh,
    onError: (e) => errors.push(e),
    ...(isRetryable ? { isRetryable } : {}),
  });
  return { clock, scheduler, errors };
}

describe('refresh scheduler', () => {
  it('refreshes ahead of expiry: a tenth of the lifetime, 5 s to 5 min', () => {
    expect(refreshLeadMs(86_399_000)).toBe(300_000);
    expect(refreshLeadMs(600_000)).toBe(60_000);
    expect(refreshLeadMs(10_000)).toBe(5_000);
  });

  it('fires before the token expires, then follows the new expiry', async () => {
    let calls = 0;
    const { clock, scheduler } = setup(async () => {
      calls += 1;
      return clock.now() + 3_600_000;
    });
    scheduler.schedule(clock.now() + 86_399_000);
    expect(scheduler.nextRefreshAt).toBe(clock.now() + 86_399_000 - 300_000);
    await clock.advanceAsync(86_399_000 - 300_001);
    expect(calls).toBe(0);
    await clock.advanceAsync(1);
    expect(calls).toBe(1);
    expect(scheduler.nextRefreshAt).toBe(clock.now() + 3_600_000 - 300_000);
  });

  it('single flight: a hundred concurrent callers share one refresh', async () => {
    let calls = 0;
    let release!: () => void;
    const { scheduler } = setup(() => {
      calls += 1;
      return new Promise((resolve) => (release = () => resolve(null)));
    });
    const all = Promise.all(Array.from({ length: 100 }, () => scheduler.refreshNow()));
    expect(scheduler.refreshing).toBe(true);
    release();
    await all;
    expect(calls).toBe(1);
    expect(scheduler.refreshing).toBe(false);
    // Once it ended, the next caller starts a new one.
    const next = scheduler.refreshNow();
    release();
    await next;
    expect(calls).toBe(2);
  });

  it('retries a failure that may pass, with a growing pause; not one that cannot', async () => {
    let calls = 0;
    const { clock, scheduler, errors } = setup(
      async () => {
        calls += 1;
        throw new Error(calls < 3 ? 'network' : 'refused');
      },
      (e) => (e as Error).message === 'network',
    );
    scheduler.schedule(clock.now() + 10_000);
    await clock.advanceAsync(5_000);
    expect(calls).toBe(1);
    expect(clock.pending()).toEqual([15_000]);
    await clock.advanceAsync(15_000);
    expect(calls).toBe(2);
    expect(clock.pending()).toEqual([30_000]);
    await clock.advanceAsync(30_000);
    expect(calls).toBe(3);
    expect(clock.pending()).toEqual([]);
    expect(errors).toHaveLength(3);
  });

  it('stop clears the timer, and a refresh that ends after stop arms nothing', async () => {
    let release!: () => void;
    const { clock, scheduler } = setup(
      () => new Promise((resolve) => (release = () => resolve(clock.now() + 60_000))),
    );
    scheduler.schedule(clock.now() + 60_000);
    expect(clock.pending()).toHaveLength(1);
    const running = scheduler.refreshNow();
    scheduler.stop();
    expect(clock.pending()).toEqual([]);
    release();
    await running;
    expect(clock.pending()).toEqual([]);
    expect(scheduler.nextRefreshAt).toBeNull();
  });
});
