import { describe, expect, it } from 'vitest';
import {
  MetadataStatusBodySchema,
  PlaybackStatusBodySchema,
  readBody,
} from '../../../../main/core/sonos/local/frames';
import {
  sameTrack,
  toNowPlaying,
  toPlaybackActions,
  toPlaybackState,
} from '../../../../main/core/sonos/normalize';
import { captureJson } from '../../../support/captures';

const metadata = (body: unknown) => toNowPlaying(readBody(MetadataStatusBodySchema, body)!);

describe('toNowPlaying', () => {
  it('maps the captured Spotify metadata', () => {
    expect(metadata(captureJson('local/rest.playbackMetadata.json'))).toMatchObject({
      service: 'Spotify',
      artUrl: expect.stringMatching(/^https:\/\//),
    });
    const [, body] = captureJson<[unknown, unknown]>('local/ws.playbackMetadata.metadataStatus.event.json');
    expect(metadata(body)).toEqual({
      title: 'Off the Wall',
      artist: 'Michael Jackson',
      album: 'Off the Wall',
      container: 'R&B-mix',
      service: 'Spotify',
      artUrl: 'https://i.scdn.co/image/ab67616d0000b2732b74bf21c7e4f56758610949',
      durationMs: 246000,
    });
  });

  it('shows radio stream text when there is no current item', () => {
    expect(
      metadata({
        container: { name: 'P3', type: 'station', service: { name: 'Sveriges Radio' } },
        streamInfo: 'Robyn - Dancing On My Own',
      }),
    ).toEqual({
      title: 'Robyn - Dancing On My Own',
      artist: null,
      album: null,
      container: 'P3',
      service: 'Sveriges Radio',
      artUrl: null,
      durationMs: null,
    });
  });

  it('keeps a TV input with only a container, and returns null for nothing at all', () => {
    expect(metadata({ container: { name: 'TV', type: 'linein.homeTheater.hdmi' } })).toMatchObject({
      title: null,
      container: 'TV',
    });
    expect(metadata({})).toBeNull();
    expect(metadata({ currentItem: { track: { name: '   ' } } })).toBeNull();
  });

  it('keeps http and https art for the art proxy to judge; other schemes are dropped', () => {
    const art = (imageUrl: string) => metadata({ currentItem: { track: { name: 'x', imageUrl } } })?.artUrl;
    expect(art('http://192.168.1.5:1400/getaa?u=x')).toBe('http://192.168.1.5:1400/getaa?u=x');
    expect(art('https://i.scdn.co/image/a')).toBe('https://i.scdn.co/image/a');
    for (const bad of [
      'file:///etc/passwd',
      'data:image/png;base64,AAAA',
      'javascript:alert(1)',
      'ftp://x/y',
    ])
      expect(art(bad), bad).toBeNull();
  });

  it('compares tracks by what the user sees', () => {
    const a = metadata({ currentItem: { track: { name: 'A', artist: { name: 'X' } } } });
    const b = metadata({ currentItem: { track: { name: 'A', artist: { name: 'X' }, durationMillis: 5 } } });
    const c = metadata({ currentItem: { track: { name: 'B', artist: { name: 'X' } } } });
    expect(sameTrack(a, b)).toBe(true);
    expect(sameTrack(a, c)).toBe(false);
    expect(sameTrack(null, null)).toBe(true);
    expect(sameTrack(a, null)).toBe(false);
  });
});

describe('playback state and actions', () => {
  it('maps states and keeps unknown ones unknown', () => {
    expect(toPlaybackState('PLAYBACK_STATE_PLAYING')).toBe('playing');
    expect(toPlaybackState('PLAYBACK_STATE_PAUSED')).toBe('paused');
    expect(toPlaybackState('PLAYBACK_STATE_IDLE')).toBe('idle');
    expect(toPlaybackState('PLAYBACK_STATE_BUFFERING')).toBe('buffering');
    expect(toPlaybackState('SOMETHING_NEW')).toBe('unknown');
  });

  it('reads availablePlaybackActions from the capture and respects canPause false', () => {
    const status = readBody(PlaybackStatusBodySchema, captureJson('local/rest.playbackStatus.json'))!;
    expect(toPlaybackActions(status)).toEqual({
      canPlay: true,
      canPause: true,
      canSkip: true,
      canSkipBack: true,
    });
    const radio = readBody(PlaybackStatusBodySchema, {
      playbackState: 'PLAYBACK_STATE_PLAYING',
      availablePlaybackActions: { canPlay: true, canPause: false, canSkip: false },
    })!;
    expect(toPlaybackActions(radio)).toEqual({
      canPlay: true,
      canPause: false,
      canSkip: false,
      canSkipBack: false,
    });
  });
});

describe('toGroupsUpdate', () => {
  it('keeps player addresses from the LAN and leaves the cloud’s out', async () => {
    const { GroupsBodySchema } = await import('../../../../main/core/sonos/local/frames');
    const { toGroupsUpdate } = await import('../../../../main/core/sonos/normalize');
    const body = readBody(GroupsBodySchema, captureJson('local/rest.groups.json'))!;
    const local = toGroupsUpdate(body, { addresses: true });
    const cloud = toGroupsUpdate(body, { addresses: false });
    expect(local.players[0]!.websocketUrl).toMatch(/^wss:\/\//);
    expect(cloud.players.every((p) => p.websocketUrl === undefined)).toBe(true);
    expect(local.groups.find((g) => g.name === 'Flyttbar + 1')).toMatchObject({ playbackState: 'playing' });
  });
});
