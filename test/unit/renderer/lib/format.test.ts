import { describe, expect, it } from 'vitest';
import { nowPlayingLines, playerTrouble, safeArtUrl, volumeValueText } from '../../../../renderer/lib/format';
import { sampleGroup, samplePlayer } from '../../../support/samples';

describe('format', () => {
  it('writes the slider value text as "<name> volume N%"', () => {
    expect(volumeValueText('Kitchen', 35)).toBe('Kitchen volume 35%');
    expect(volumeValueText('Kitchen', null)).toBe('Kitchen volume unknown');
  });

  it('accepts only the art paths main serves, never a remote URL', () => {
    expect(safeArtUrl('/art/3nQ8v2yU_kP-1aZ0')).toBe('/art/3nQ8v2yU_kP-1aZ0');
    expect(safeArtUrl('https://i.scdn.co/image/x')).toBeNull();
    expect(safeArtUrl('http://192.168.1.20:1400/getaa?x')).toBeNull();
    expect(safeArtUrl('//evil.example/art/x')).toBeNull();
    expect(safeArtUrl('/art/../index.html')).toBeNull();
    expect(safeArtUrl('javascript:alert(1)')).toBeNull();
    expect(safeArtUrl(null)).toBeNull();
  });

  it('explains trouble with the speaker’s problem, or its state, and says nothing while all is well', () => {
    expect(playerTrouble(samplePlayer())).toBeNull();
    expect(playerTrouble(samplePlayer({ connection: 'connecting' }))).toBeNull();
    expect(playerTrouble(samplePlayer({ connection: 'offline' }))).toBe('Offline');
    const problem = {
      code: 'refused' as const,
      message: 'The speaker refused.',
      retryable: true,
      details: null,
    };
    expect(playerTrouble(samplePlayer({ connection: 'refused', problem }))).toBe('The speaker refused.');
  });

  it('draws three lines for a track, a radio stream and nothing', () => {
    const np = sampleGroup().nowPlaying!;
    expect(nowPlayingLines(np)).toEqual({
      title: 'Off the Wall',
      subtitle: 'Michael Jackson — Off the Wall',
      service: 'Spotify',
    });
    const radio = {
      ...np,
      title: 'Song',
      artist: null,
      album: null,
      container: 'Radio X',
      service: 'TuneIn',
    };
    expect(nowPlayingLines(radio)).toEqual({ title: 'Song', subtitle: 'Radio X', service: 'TuneIn' });
    expect(nowPlayingLines(null).title).toBe('Nothing playing');
  });
});
