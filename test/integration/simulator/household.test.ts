/** The household model on its own (no sockets): grouping edge cases and the option parsing behind `--groups`. */
import { afterEach, describe, expect, it } from 'vitest';
import { Household, InvalidPlayersError, type HouseholdChange } from '../../simulator/household';
import { normaliseGroups } from '../../simulator/options';

const households: Household[] = [];
afterEach(() => households.splice(0).forEach((h) => h.dispose()));

function household(
  groups: number[][],
  players = 4,
): { h: Household; changes: HouseholdChange[]; ids: string[] } {
  const ids = Array.from({ length: players }, (_, i) => `RINCON_00000000000${i}01400`);
  const h = new Household({
    householdId: 'Sonos_test.test',
    locationId: 'lc_test',
    players: ids.map((id, i) => ({ id, name: `P${i + 1}`, volume: 10 * (i + 1), serialSuffix: 'A' })),
    groups,
    trackMs: 60_000,
    playing: true,
    groupCounter: 100,
  });
  households.push(h);
  const changes: HouseholdChange[] = [];
  h.onChange((c) => changes.push(c));
  return { h, changes, ids };
}

describe('grouping', () => {
  it('takes a coordinator out of its group: the rest continue under the next member, recorded as moved', () => {
    const { h, changes, ids } = household([
      [0, 1],
      [2, 3],
    ]);
    const [a, b] = h.groups().map((g) => g.id) as [string, string];
    const trackOfB = h.groups()[1]?.session.trackIndex;
    const joined = h.setGroupMembers(a, [ids[0] ?? '', ids[1] ?? '', ids[2] ?? '']);
    expect(joined.playerIds).toEqual([ids[0], ids[1], ids[2]]);
    const rest = h.groupOf(ids[3] ?? '');
    expect(rest.coordinatorId).toBe(ids[3]);
    expect(rest.session.trackIndex).toBe(trackOfB);
    expect(h.lookupGroup(b)).toEqual({ status: 'moved', group: rest });
    expect(h.lookupGroup(a)).toEqual({ status: 'gone' });
    expect(changes.at(-1)).toEqual({ kind: 'groups', gone: [a], moved: new Map([[b, rest.id]]) });
  });

  it('numbers new groups with a rising counter and keeps untouched ids', () => {
    const { h } = household([[0], [1], [2], [3]]);
    const before = h.groups().map((g) => g.id);
    h.regroup([[0, 1]]);
    const after = h.groups().map((g) => g.id);
    expect(after.slice(1)).toEqual(before.slice(2));
    expect(after[0]).toBe(`${h.playerAt(0).id}:105`);
  });

  it('follows moves through several hops', () => {
    const { h, ids } = household([[0, 1, 2]]);
    const first = h.groups()[0]?.id ?? '';
    const second = h.moveCoordinator(first, ids[1] ?? '').id;
    const third = h.moveCoordinator(second, ids[2] ?? '');
    expect(h.lookupGroup(first)).toEqual({ status: 'moved', group: third });
  });

  it('rejects unknown players and members that are not in the group', () => {
    const { h } = household([[0, 1]]);
    const id = h.groups()[0]?.id ?? '';
    expect(() => h.setGroupMembers(id, ['RINCON_nope'])).toThrow(InvalidPlayersError);
    expect(() => h.moveCoordinator(id, h.playerAt(3).id)).toThrow(InvalidPlayersError);
  });

  it('stops the auto-advance timers of music nobody plays any more', () => {
    const { h } = household([[0], [1]]);
    const session = h.groups()[1]?.session;
    expect(session?.timer).not.toBeNull();
    h.regroup([[0, 1]]);
    expect(session?.timer).toBeNull();
  });
});

describe('--groups', () => {
  it('turns "1+2,3" into 0-based groups and leaves the rest alone', () => {
    expect(normaliseGroups('1+2,3', 4)).toEqual([[0, 1], [2], [3]]);
    expect(normaliseGroups(' 2 + 1 ', 3)).toEqual([[1, 0], [2]]);
    expect(normaliseGroups([[3, 1]], 3)).toEqual([[2, 0], [1]]);
    expect(normaliseGroups(undefined, 2)).toEqual([[0], [1]]);
  });

  it('rejects bad specs', () => {
    expect(() => normaliseGroups('1+x', 3)).toThrow(/bad group spec/);
    expect(() => normaliseGroups('1+4', 3)).toThrow(/player number/);
    expect(() => normaliseGroups('1,1', 3)).toThrow(/more than one group/);
  });
});
