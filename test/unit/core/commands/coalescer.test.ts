import { describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../../../main/core/commands/coalescer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Coalescer', () => {
  it('120 slider values in 2 s: the final value lands, never more than one in flight', async () => {
    vi.useFakeTimers();
    try {
      const coalescer = new Coalescer<number>();
      const landed: number[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      // A player that takes 260 ms per command, like hardware holding back quick repeats.
      const send = async (value: number): Promise<void> => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(260);
        landed.push(value);
        inFlight -= 1;
      };
      const all: Promise<void>[] = [];
      for (let i = 0; i < 120; i++) {
        all.push(coalescer.submit('group-1', i % 101, send));
        await vi.advanceTimersByTimeAsync(1000 / 60);
      }
      await vi.advanceTimersByTimeAsync(2_000);
      await Promise.all(all);
      expect(landed.at(-1)).toBe(119 % 101);
      expect(maxInFlight).toBe(1);
      expect(coalescer.stats.maxInFlight).toBe(1);
      expect(landed.length).toBeLessThan(15);
      expect(coalescer.stats.sent + coalescer.stats.superseded).toBe(120);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps targets independent', async () => {
    const coalescer = new Coalescer<number>();
    const order: string[] = [];
    const send = (target: string) => async (value: number) => {
      order.push(`${target}=${value}`);
    };
    await Promise.all([coalescer.submit('a', 1, send('a')), coalescer.submit('b', 2, send('b'))]);
    expect(order.sort()).toEqual(['a=1', 'b=2']);
  });

  it('resolves a replaced value when its successor lands', async () => {
    const coalescer = new Coalescer<number>();
    let release!: () => void;
    const sent: number[] = [];
    const send = (value: number) => {
      sent.push(value);
      return value === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    };
    const first = coalescer.submit('k', 1, send);
    const second = coalescer.submit('k', 2, send);
    const third = coalescer.submit('k', 3, send);
    expect(coalescer.busy('k')).toBe(true);
    release();
    await Promise.all([first, second, third]);
    expect(sent).toEqual([1, 3]);
    expect(coalescer.busy('k')).toBe(false);
  });

  it('rejects the waiters of the command that failed and goes on with the next value', async () => {
    const coalescer = new Coalescer<number>();
    let fail!: (error: Error) => void;
    const send = (value: number) =>
      value === 1 ? new Promise<void>((_, reject) => (fail = reject)) : Promise.resolve();
    const first = coalescer.submit('k', 1, send);
    const second = coalescer.submit('k', 2, send);
    fail(new Error('offline'));
    await expect(first).rejects.toThrow('offline');
    await expect(second).resolves.toBeUndefined();
  });

  it('survives a sender that throws synchronously', async () => {
    const coalescer = new Coalescer<number>();
    await expect(
      coalescer.submit('k', 1, () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(coalescer.submit('k', 2, async () => {})).resolves.toBeUndefined();
  });
});

describe('Coalescer.hasQueued', () => {
  it('is true only while a newer value waits behind the one in flight', async () => {
    const coalescer = new Coalescer<number>();
    let release!: () => void;
    const first = coalescer.submit('k', 1, () => new Promise<void>((r) => (release = r)));
    expect(coalescer.hasQueued('k')).toBe(false);
    const second = coalescer.submit('k', 2, async () => {});
    expect(coalescer.hasQueued('k')).toBe(true);
    release();
    await first;
    await second;
    expect(coalescer.hasQueued('k')).toBe(false);
  });
});
