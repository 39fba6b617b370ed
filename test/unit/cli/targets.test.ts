import { describe, expect, it } from 'vitest';
import { findGroup, findTarget, parseVolume } from '../../../main/cli/targets';
import { sampleGroup, samplePlayer, sampleSnapshot } from '../../support/samples';

function household() {
  const snapshot = sampleSnapshot();
  const den = samplePlayer({ id: 'RINCON_DEN', name: 'Den', sonosName: 'Den' });
  const kitchen2 = samplePlayer({ id: 'RINCON_K2', name: 'Kitchen Two', sonosName: 'Kitchen Two' });
  snapshot.players[den.id] = den;
  snapshot.players[kitchen2.id] = kitchen2;
  snapshot.groups['RINCON_DEN:1'] = sampleGroup({
    id: 'RINCON_DEN:1',
    name: 'Den + 1',
    coordinatorId: 'RINCON_DEN',
    playerIds: ['RINCON_DEN', 'RINCON_K2'],
  });
  return snapshot;
}

describe('findTarget', () => {
  it('prefers ids, then group names, then speaker names, ignoring case', () => {
    const snapshot = household();
    expect(findTarget(snapshot, 'rincon_den:1')).toMatchObject({ kind: 'group', group: { name: 'Den + 1' } });
    expect(findTarget(snapshot, 'RINCON_DEN')).toMatchObject({ kind: 'player', player: { name: 'Den' } });
    expect(findTarget(snapshot, 'kitchen')).toMatchObject({ kind: 'group' });
    expect(findTarget(snapshot, 'DEN')).toMatchObject({ kind: 'player', player: { id: 'RINCON_DEN' } });
  });

  it('names what exists when nothing matches', () => {
    expect(() => findTarget(household(), 'Attic')).toThrow(/No group or speaker named “Attic”.*Den \+ 1/);
  });

  it('calls two speakers with one name ambiguous', () => {
    const snapshot = household();
    snapshot.players.RINCON_K2!.name = 'Den';
    expect(() => findTarget(snapshot, 'den')).toThrow(/more than one/);
  });

  it('finds the group a speaker is in', () => {
    expect(findGroup(household(), 'Kitchen Two').id).toBe('RINCON_DEN:1');
  });
});

describe('parseVolume', () => {
  it('reads absolute values and changes, including the shielded minus', () => {
    expect(parseVolume('30')).toEqual({ kind: 'set', volume: 30 });
    expect(parseVolume('+5')).toEqual({ kind: 'change', delta: 5 });
    expect(parseVolume('-5')).toEqual({ kind: 'change', delta: -5 });
    expect(parseVolume('\u221210')).toEqual({ kind: 'change', delta: -10 });
  });

  it('rejects anything else', () => {
    for (const bad of ['101', 'loud', '', '5.5', '+101', '--5']) expect(() => parseVolume(bad)).toThrow();
  });
});
