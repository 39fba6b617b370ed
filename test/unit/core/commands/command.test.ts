import { describe, expect, it } from 'vitest';
import {
  isLocalOnly,
  isRepeatable,
  toLocalFrame,
  type Command,
} from '../../../../main/core/commands/command';

describe('rooms-and-music commands on the local socket', () => {
  it('carry the bodies and required fields of Sonos’ OpenAPI description', () => {
    const cases: [Command, string, string, Record<string, unknown>][] = [
      [
        { kind: 'playModes', groupId: 'g', playModes: { shuffle: true } },
        'playback:1',
        'setPlayModes',
        { playModes: { shuffle: true } },
      ],
      [{ kind: 'seek', groupId: 'g', positionMs: 90_000 }, 'playback:1', 'seek', { positionMillis: 90_000 }],
      [
        { kind: 'seekRelative', groupId: 'g', deltaMs: -5_000 },
        'playback:1',
        'seekRelative',
        { deltaMillis: -5_000 },
      ],
      [
        // Both lists, even when one is empty: both are required.
        { kind: 'modifyGroupMembers', groupId: 'g', add: ['P'], remove: [] },
        'groups:1',
        'modifyGroupMembers',
        { playerIdsToAdd: ['P'], playerIdsToRemove: [] },
      ],
      [
        { kind: 'setGroupMembers', groupId: 'g', playerIds: ['P', 'Q'] },
        'groups:1',
        'setGroupMembers',
        { playerIds: ['P', 'Q'] },
      ],
      [
        { kind: 'createGroup', householdId: 'H', playerIds: ['P'] },
        'groups:1',
        'createGroup',
        { playerIds: ['P'] },
      ],
      [
        { kind: 'createGroup', householdId: 'H', playerIds: ['P'], musicFromGroupId: 'g' },
        'groups:1',
        'createGroup',
        { playerIds: ['P'], musicContextGroupId: 'g' },
      ],
      [
        { kind: 'loadFavorite', groupId: 'g', favoriteId: '3' },
        'favorites:1',
        'loadFavorite',
        { favoriteId: '3', action: 'REPLACE', playOnCompletion: true },
      ],
      [
        { kind: 'loadPlaylist', groupId: 'g', playlistId: 'SQ:1' },
        'playlists:1',
        'loadPlaylist',
        { playlistId: 'SQ:1', action: 'REPLACE', playOnCompletion: true },
      ],
      [
        { kind: 'homeTheater', playerId: 'P', options: { nightMode: true } },
        'homeTheater:1',
        'setOptions',
        { nightMode: true },
      ],
    ];
    for (const [command, namespace, name, body] of cases)
      expect(toLocalFrame(command), command.kind).toEqual({ namespace, name, body });
  });

  it('a relative seek is not sent twice after an uncertain delivery; home-theater options never go by the cloud', () => {
    expect(isRepeatable({ kind: 'seekRelative', groupId: 'g', deltaMs: 5_000 })).toBe(false);
    expect(isRepeatable({ kind: 'seek', groupId: 'g', positionMs: 5_000 })).toBe(true);
    expect(isRepeatable({ kind: 'loadFavorite', groupId: 'g', favoriteId: '1' })).toBe(true);
    expect(isLocalOnly({ kind: 'homeTheater', playerId: 'P', options: {} })).toBe(true);
    expect(isLocalOnly({ kind: 'playModes', groupId: 'g', playModes: {} })).toBe(false);
  });
});
