import { describe, expect, it } from 'vitest';
import { playDetail } from '../../../main/cli/format';
import { findSpeaker, parseSeek } from '../../../main/cli/rooms-music';
import { sampleGroup, samplePlayer, sampleSnapshot } from '../../support/samples';

describe('parseSeek', () => {
  it('reads m:ss and h:mm:ss as positions, +N and -N (shielded or not) as steps in seconds', () => {
    expect(parseSeek('1:30')).toEqual({ kind: 'to', ms: 90_000 });
    expect(parseSeek('0:05')).toEqual({ kind: 'to', ms: 5_000 });
    expect(parseSeek('125:00')).toEqual({ kind: 'to', ms: 7_500_000 });
    expect(parseSeek('1:02:03')).toEqual({ kind: 'to', ms: 3_723_000 });
    expect(parseSeek('+15')).toEqual({ kind: 'by', ms: 15_000 });
    expect(parseSeek('-10')).toEqual({ kind: 'by', ms: -10_000 });
    expect(parseSeek('\u221210')).toEqual({ kind: 'by', ms: -10_000 });
  });

  it('refuses anything else with the forms it takes', () => {
    for (const bad of ['90', '1:75', '1:2', '1:02:60', '+1.5', 'end', '', '-', '1:00:00:00'])
      expect(() => parseSeek(bad), bad).toThrow(/seek takes m:ss, h:mm:ss, \+N or -N/);
  });
});

describe('findSpeaker', () => {
  const snapshot = () => {
    const s = sampleSnapshot();
    const den = samplePlayer({ id: 'RINCON_DEN', name: 'Den', sonosName: 'Den' });
    s.players[den.id] = den;
    const group = Object.values(s.groups)[0]!;
    s.groups[group.id] = { ...group, name: 'Kitchen + 1', playerIds: [group.coordinatorId, den.id] };
    return s;
  };

  it('finds a speaker by name or id, even when it leads a group', () => {
    expect(findSpeaker(snapshot(), 'den').id).toBe('RINCON_DEN');
    expect(findSpeaker(snapshot(), 'RINCON_DEN').name).toBe('Den');
    expect(findSpeaker(snapshot(), 'KITCHEN').id).toBe('RINCON_000E58A0000001400');
  });

  it('refuses a group of several speakers and unknown names', () => {
    expect(() => findSpeaker(snapshot(), 'Kitchen + 1')).toThrow(/group of several speakers/);
    expect(() => findSpeaker(snapshot(), 'Attic')).toThrow(/No group or speaker named “Attic”/);
  });
});

describe('playDetail', () => {
  it('runs the clock while playing, stops it at the duration, and lists the modes that are on', () => {
    const group = sampleGroup({
      positionMs: 60_000,
      positionAt: 1_000,
      playModes: { shuffle: true, repeat: 'one', crossfade: true },
    });
    expect(playDetail(group, 31_000)).toBe('1:30 / 4:06 · shuffle · repeat one · crossfade');
    expect(playDetail(group, 10_000_000)).toBe('4:06 / 4:06 · shuffle · repeat one · crossfade');
    expect(playDetail({ ...group, playback: 'paused' }, 31_000)).toMatch(/^1:00 \/ 4:06/);
    expect(
      playDetail({
        ...group,
        playModes: { shuffle: false, repeat: 'off', crossfade: false },
        nowPlaying: null,
      }),
    ).toBe('');
    const station = { ...group.nowPlaying!, durationMs: null };
    expect(playDetail({ ...group, nowPlaying: station, playModes: null })).toBe('');
  });
});
