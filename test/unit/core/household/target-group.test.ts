import { describe, expect, it } from 'vitest';
import { targetGroup } from '../../../../main/core/household/target-group';
import { sampleGroup, sampleSnapshot } from '../../../support/samples';

function household() {
  const snapshot = sampleSnapshot();
  snapshot.groups = {
    'A:1': sampleGroup({ id: 'A:1', name: 'Bedroom', playerIds: ['A'], playback: 'paused' }),
    'B:1': sampleGroup({ id: 'B:1', name: 'Office', playerIds: ['B', 'C'], playback: 'playing' }),
    'D:1': sampleGroup({ id: 'D:1', name: 'Den', playerIds: ['D'], playback: 'playing' }),
  };
  return snapshot;
}

describe('targetGroup', () => {
  it('prefers the group of the chosen player', () => {
    expect(targetGroup(household(), { hotkeyTargetPlayerId: 'C' })?.id).toBe('B:1');
  });

  it('else the playing group, by name', () => {
    expect(targetGroup(household(), { hotkeyTargetPlayerId: null })?.id).toBe('D:1');
    expect(targetGroup(household(), { hotkeyTargetPlayerId: 'gone' })?.id).toBe('D:1');
  });

  it('else the first by name, or nothing', () => {
    const snapshot = household();
    for (const g of Object.values(snapshot.groups)) g.playback = 'paused';
    expect(targetGroup(snapshot, { hotkeyTargetPlayerId: null })?.id).toBe('A:1');
    expect(targetGroup({ ...snapshot, groups: {} }, { hotkeyTargetPlayerId: null })).toBeNull();
  });
});
