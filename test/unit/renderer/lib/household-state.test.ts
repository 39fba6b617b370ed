import { describe, expect, it } from 'vitest';
import type { Group, HouseholdSnapshot } from '../../../../main/contract/model';
import {
  applyPatch,
  orderGroups,
  trackAnnouncement,
  trackChanges,
} from '../../../../renderer/lib/household-state';
import { sampleGroup, samplePlayer, sampleSnapshot } from '../../../support/samples';

function group(id: string, name: string, playback: Group['playback'] = 'paused'): Group {
  return sampleGroup({ id, name, playback, coordinatorId: id });
}

describe('applyPatch', () => {
  it('applies the next revision: replaces entities whole and keeps untouched ones identical', () => {
    const before = sampleSnapshot();
    const other = sampleGroup({ id: 'other:1', name: 'Office' });
    before.groups[other.id] = other;
    const kitchen = Object.values(before.groups)[0]!;
    const changed = { ...kitchen, volume: 60 };
    const after = applyPatch(before, {
      revision: 4,
      groups: { [kitchen.id]: changed },
      discovery: 'searching',
    });
    expect(after).not.toBeNull();
    expect(after!.revision).toBe(4);
    expect(after!.discovery).toBe('searching');
    expect(after!.groups[kitchen.id]).toBe(changed);
    expect(after!.groups[other.id]).toBe(other);
    expect(after!.players).toBe(before.players);
    // The old snapshot is not changed: the store compares before and after.
    expect(before.groups[kitchen.id]!.volume).toBe(35);
  });

  it('removes entities patched to null', () => {
    const before = sampleSnapshot();
    const playerId = Object.keys(before.players)[0]!;
    const after = applyPatch(before, { revision: 4, players: { [playerId]: null } });
    expect(after!.players).toEqual({});
  });

  it('adds new entities', () => {
    const before = sampleSnapshot();
    const player = samplePlayer({ id: 'RINCON_NEW', name: 'Patio' });
    const after = applyPatch(before, { revision: 4, players: { [player.id]: player } });
    expect(after!.players[player.id]).toBe(player);
  });

  it('reports a gap (null) so the caller fetches a fresh snapshot', () => {
    expect(applyPatch(sampleSnapshot(), { revision: 5 })).toBeNull();
  });

  it('ignores a patch it already has', () => {
    const before = sampleSnapshot();
    expect(applyPatch(before, { revision: 3, discovery: 'searching' })).toBe(before);
    expect(applyPatch(before, { revision: 1 })).toBe(before);
  });
});

describe('orderGroups', () => {
  const a = group('a', 'Attic');
  const b = group('b', 'bathroom', 'playing');
  const c = group('c', 'Cellar', 'buffering');
  const d = group('d', 'Den');

  it('puts playing (and buffering) groups first, then sorts by name ignoring case', () => {
    expect(orderGroups([d, a, c, b]).map((g) => g.name)).toEqual(['bathroom', 'Cellar', 'Attic', 'Den']);
  });

  it('sorts numbers in names naturally', () => {
    const room10 = group('x', 'Room 10');
    const room9 = group('y', 'Room 9');
    expect(orderGroups([room10, room9]).map((g) => g.name)).toEqual(['Room 9', 'Room 10']);
  });

  it('keeps the order on screen by coordinator, appending new groups sorted and dropping those that left', () => {
    const kept = [a.coordinatorId, 'gone', b.coordinatorId];
    const paused = { ...b, playback: 'paused' as const };
    expect(orderGroups([d, a, c, paused], kept).map((g) => g.id)).toEqual(['a', 'b', 'c', 'd']);
    // A regroup gives the group a new id under the same coordinator: it stays where it was.
    const regrouped = { ...a, id: 'a:2' };
    expect(orderGroups([b, regrouped], [a.coordinatorId, b.coordinatorId]).map((g) => g.id)).toEqual([
      'a:2',
      'b',
    ]);
  });
});

describe('track announcements', () => {
  function snapshotWith(...groups: Group[]): HouseholdSnapshot {
    return { ...sampleSnapshot(), groups: Object.fromEntries(groups.map((g) => [g.id, g])) };
  }
  const np = sampleGroup().nowPlaying!;

  it('says title, artist and group', () => {
    expect(trackAnnouncement(sampleGroup({ name: 'Kitchen' }))).toBe(
      'Now playing Off the Wall by Michael Jackson in Kitchen',
    );
  });

  it('leaves out a missing artist', () => {
    const radio = sampleGroup({ name: 'Den', nowPlaying: { ...np, title: 'Morning Show', artist: null } });
    expect(trackAnnouncement(radio)).toBe('Now playing Morning Show in Den');
  });

  it('announces a changed track in a group already shown, not on first load or for new groups', () => {
    const kitchen = sampleGroup({ id: 'k', name: 'Kitchen' });
    const next = { ...kitchen, nowPlaying: { ...np, title: 'Rock with You' } };
    const newcomer = sampleGroup({ id: 'n', name: 'Patio', nowPlaying: { ...np, title: 'Other' } });
    expect(trackChanges(null, snapshotWith(kitchen))).toEqual([]);
    expect(trackChanges(snapshotWith(kitchen), snapshotWith(next, newcomer))).toEqual([
      'Now playing Rock with You by Michael Jackson in Kitchen',
    ]);
  });

  it('stays quiet when a group’s first track arrives after the group (loading)', () => {
    const loading = sampleGroup({ id: 'k', nowPlaying: null });
    const radio = sampleGroup({ id: 'k', nowPlaying: { ...np, title: null, artist: null, container: 'FM' } });
    const playing = sampleGroup({ id: 'k' });
    expect(trackChanges(snapshotWith(loading), snapshotWith(radio))).toEqual([]);
    expect(trackChanges(snapshotWith(radio), snapshotWith(playing))).toEqual([]);
  });

  it('stays quiet when only volume or playback changed, or the track went away', () => {
    const kitchen = sampleGroup({ id: 'k' });
    const louder = { ...kitchen, volume: 80, playback: 'paused' as const };
    const stopped = { ...kitchen, nowPlaying: null };
    expect(trackChanges(snapshotWith(kitchen), snapshotWith(louder))).toEqual([]);
    expect(trackChanges(snapshotWith(kitchen), snapshotWith(stopped))).toEqual([]);
  });
});
