import { describe, expect, it } from 'vitest';
import { TargetFollower, targetGroup } from '../../../../main/core/household/target-group';
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

describe('TargetFollower', () => {
  function rooms() {
    const snapshot = sampleSnapshot();
    snapshot.groups = {
      'A:1': sampleGroup({
        id: 'A:1',
        name: 'Bedroom',
        coordinatorId: 'A',
        playerIds: ['A'],
        playback: 'playing',
      }),
      'D:1': sampleGroup({
        id: 'D:1',
        name: 'Den',
        coordinatorId: 'D',
        playerIds: ['D'],
        playback: 'playing',
      }),
      'K:1': sampleGroup({
        id: 'K:1',
        name: 'Kitchen',
        coordinatorId: 'K',
        playerIds: ['K'],
        playback: 'paused',
      }),
    };
    return snapshot;
  }
  const none = { hotkeyTargetPlayerId: null };

  it('keeps the group it paused, so the next press resumes it (targetGroup alone would jump to Den)', () => {
    const follower = new TargetFollower();
    const snapshot = rooms();
    expect(follower.current(snapshot, none)?.id).toBe('A:1');
    snapshot.groups['A:1']!.playback = 'paused';
    expect(targetGroup(snapshot, none)?.id).toBe('D:1');
    expect(follower.current(snapshot, none)?.id).toBe('A:1');
  });

  it('moves to a group that starts playing while its own is paused, and to the chosen one at once', () => {
    const follower = new TargetFollower();
    const snapshot = rooms();
    follower.current(snapshot, none);
    snapshot.groups['A:1']!.playback = 'paused';
    follower.current(snapshot, none);
    snapshot.groups['K:1']!.playback = 'playing';
    expect(follower.current(snapshot, none)?.id).toBe('K:1');
    expect(follower.current(snapshot, { hotkeyTargetPlayerId: 'D' })?.id).toBe('D:1');
  });

  it('stays with a playing group when another starts too, and finds a new one when its group is gone', () => {
    const follower = new TargetFollower();
    const snapshot = rooms();
    expect(follower.current(snapshot, none)?.id).toBe('A:1');
    snapshot.groups['K:1']!.playback = 'playing';
    expect(follower.current(snapshot, none)?.id).toBe('A:1');
    delete snapshot.groups['A:1'];
    expect(follower.current(snapshot, none)?.id).toBe('D:1');
  });
});
