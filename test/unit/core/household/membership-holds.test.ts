import { afterEach, describe, expect, it, vi } from 'vitest';
import { MembershipHolds } from '../../../../main/core/household/membership-holds';

afterEach(() => vi.useRealTimers());

const kitchen = { coordinatorId: 'K', playerIds: ['K', 'D'] };
const office = { coordinatorId: 'O', playerIds: ['O'] };

describe('regroups drawn before the players confirm them', () => {
  it('draws a join and a leave at once and forgets them when the groups show them', () => {
    let changes = 0;
    const holds = new MembershipHolds({ graceMs: 1_000, changed: () => changes++ });
    const join = holds.hold('O', 'K');
    const leave = holds.hold('D', null);
    expect(holds.view(kitchen)).toEqual(['K', 'O']);
    expect(holds.view(office)).toEqual([]);
    holds.release('O', join, true);
    holds.release('D', leave, true);
    holds.settle([
      { coordinatorId: 'K', playerIds: ['K', 'O'] },
      { coordinatorId: 'D', playerIds: ['D'] },
    ]);
    expect(holds.size).toBe(0);
    expect(changes).toBe(2);
  });

  it('a failure brings the old grouping back at once; an old token cannot end a newer move', () => {
    const holds = new MembershipHolds({ graceMs: 1_000, changed: () => {} });
    const first = holds.hold('O', 'K');
    const second = holds.hold('O', null);
    holds.release('O', first, false);
    expect(holds.view(office)).toEqual([]);
    holds.release('O', second, false);
    expect(holds.view(office)).toEqual(['O']);
    expect(holds.view(kitchen)).toEqual(['K', 'D']);
  });

  it('a move the players never show is dropped after the grace period', () => {
    vi.useFakeTimers();
    const holds = new MembershipHolds({ graceMs: 1_000, changed: () => {} });
    const token = holds.hold('O', 'K');
    holds.release('O', token, true);
    holds.settle([kitchen, office]); // not what was asked: still drawn
    vi.advanceTimersByTime(999);
    expect(holds.view(kitchen)).toContain('O');
    vi.advanceTimersByTime(2);
    expect(holds.view(kitchen)).toEqual(['K', 'D']);
  });
});
