import { describe, expect, it } from 'vitest';
import {
  changedProperties,
  groupVolumeFrom,
  metadata,
  NO_TRACK,
  playerState,
  positionMicros,
  trackId,
} from '../../../../main/core/mpris/mpris-state';
import { sampleGroup } from '../../../support/samples';

describe('MPRIS state of a group', () => {
  it('maps playback, volume and the available actions', () => {
    const group = sampleGroup({
      volume: 42,
      playback: 'paused',
      actions: {
        ...sampleGroup().actions,
        canPlay: true,
        canPause: false,
        canSkip: true,
        canSkipBack: false,
      },
    });
    expect(playerState(group)).toMatchObject({
      PlaybackStatus: 'Paused',
      Volume: 0.42,
      CanPlay: true,
      CanPause: false,
      CanGoNext: true,
      CanGoPrevious: false,
      CanSeek: false,
    });
    expect(playerState(sampleGroup({ playback: 'buffering' })).PlaybackStatus).toBe('Playing');
    expect(playerState(sampleGroup({ playback: 'idle' })).PlaybackStatus).toBe('Stopped');
    expect(playerState(null)).toMatchObject({ PlaybackStatus: 'Stopped', CanPlay: false, Volume: 0 });
  });

  it('gives each track of each group its own object path, and radio its station as the title', () => {
    const group = sampleGroup();
    expect(trackId(group)).toMatch(/^\/io\/github\/trayforsonos\/track\/t[0-9a-f]{16}$/);
    const other = sampleGroup({ nowPlaying: { ...group.nowPlaying!, title: 'Another' } });
    expect(trackId(other)).not.toBe(trackId(group));
    const radio = sampleGroup({
      nowPlaying: {
        ...group.nowPlaying!,
        title: null,
        artist: null,
        album: null,
        container: 'Radio 1',
        durationMs: null,
      },
    });
    expect(metadata(radio)).toEqual({
      trackId: trackId(radio),
      length: null,
      title: 'Radio 1',
      artists: [],
      album: null,
      artUrl: group.nowPlaying!.artUrl,
    });
    expect(metadata(sampleGroup({ nowPlaying: null })).trackId).toBe(NO_TRACK);
    expect(metadata(group).length).toBe(group.nowPlaying!.durationMs! * 1000);
  });

  it('reports only what changed', () => {
    const before = playerState(sampleGroup());
    expect(changedProperties(before, playerState(sampleGroup()))).toEqual({});
    const louder = playerState(sampleGroup({ volume: 80 }));
    expect(changedProperties(before, louder)).toEqual({ Volume: 0.8 });
    const next = playerState(
      sampleGroup({ nowPlaying: { ...sampleGroup().nowPlaying!, title: 'Next one' } }),
    );
    expect(Object.keys(changedProperties(before, next))).toEqual(['Metadata']);
  });

  it('turns a client volume into a group volume, and runs the position on while playing', () => {
    expect(groupVolumeFrom(0.3)).toBe(30);
    expect(groupVolumeFrom(-1)).toBe(0);
    expect(groupVolumeFrom(7)).toBe(100);
    expect(groupVolumeFrom(Number.NaN)).toBe(0);
    const group = sampleGroup({ positionMs: 10_000, positionAt: 1_000, playback: 'playing' });
    expect(positionMicros(group, 3_000)).toBe(12_000_000);
    expect(positionMicros({ ...group, playback: 'paused' }, 3_000)).toBe(10_000_000);
  });
});
