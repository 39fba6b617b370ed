import { describe, expect, it } from 'vitest';
import {
  FavoritesBodySchema,
  MetadataStatusBodySchema,
  PlaybackStatusBodySchema,
  PlaylistsBodySchema,
  readBody,
} from '../../../../main/core/sonos/local/frames';
import {
  sameTrack,
  toFavoritesList,
  toNowPlaying,
  toPlaybackActions,
  toPlaybackState,
  toPlaybackStatus,
  toPlaylistsList,
  toPlayModes,
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
    // The captured Spotify Connect session: everything but crossfade.
    expect(toPlaybackActions(status)).toEqual({
      canPlay: true,
      canPause: true,
      canSkip: true,
      canSkipBack: true,
      canSeek: true,
      canShuffle: true,
      canRepeat: true,
      canRepeatOne: true,
      canCrossfade: false,
    });
    const radio = readBody(PlaybackStatusBodySchema, {
      playbackState: 'PLAYBACK_STATE_PLAYING',
      availablePlaybackActions: { canPlay: true, canPause: false, canSkip: false },
    })!;
    // What a player leaves out is not offered.
    expect(toPlaybackActions(radio)).toEqual({
      canPlay: true,
      canPause: false,
      canSkip: false,
      canSkipBack: false,
      canSeek: false,
      canShuffle: false,
      canRepeat: false,
      canRepeatOne: false,
      canCrossfade: false,
    });
  });

  it('reads the play modes and position with the state, repeatOne winning over repeat', () => {
    const status = readBody(PlaybackStatusBodySchema, captureJson('local/rest.playbackStatus.json'))!;
    expect(toPlaybackStatus(status)).toMatchObject({
      state: 'playing',
      positionMs: 80000,
      playModes: { shuffle: false, repeat: 'off', crossfade: false },
    });
    const one = readBody(PlaybackStatusBodySchema, {
      playbackState: 'PLAYBACK_STATE_PAUSED',
      playModes: { repeat: true, repeatOne: true, shuffle: true },
    })!;
    expect(toPlayModes(one)).toEqual({ shuffle: true, repeat: 'one', crossfade: false });
    const none = readBody(PlaybackStatusBodySchema, { playbackState: 'PLAYBACK_STATE_IDLE' })!;
    expect(toPlaybackStatus(none)).toMatchObject({ positionMs: null, playModes: null });
  });
});

describe('favorites and playlists', () => {
  it('reads the captured favorites list: string version, service name, https art', () => {
    const body = readBody(FavoritesBodySchema, captureJson('local/rest.favorites.json'))!;
    expect(toFavoritesList(body)).toEqual({
      version: 'RINCON_48A6B8194D2A01400:7',
      items: [
        {
          id: '3',
          name: 'P3',
          description: 'Sveriges Radio',
          service: 'Sveriges Radio',
          artUrl: expect.stringMatching(/^https:\/\/static-cdn\.sr\.se\//),
        },
      ],
    });
  });

  it('keeps at most 70 favorites and 100 playlists, and survives numbers where strings belong', () => {
    const many = readBody(FavoritesBodySchema, {
      version: 7,
      items: Array.from({ length: 80 }, (_, i) => ({ id: i, name: `F${i}`, imageUrl: 'http://10.0.0.2/x' })),
    })!;
    const favorites = toFavoritesList(many);
    expect(favorites.version).toBe('7');
    expect(favorites.items).toHaveLength(70);
    // http art is kept for the art proxy to judge (a player's own address only); the popover never gets it raw.
    expect(favorites.items[0]).toEqual({
      id: '0',
      name: 'F0',
      description: null,
      service: null,
      artUrl: 'http://10.0.0.2/x',
    });
    const playlists = readBody(PlaylistsBodySchema, {
      version: 'v',
      playlists: Array.from({ length: 120 }, (_, i) => ({
        id: `SQ:${i}`,
        name: ' ',
        trackCount: i === 0 ? -1 : i,
      })),
    })!;
    const list = toPlaylistsList(playlists);
    expect(list.items).toHaveLength(100);
    expect(list.items[0]).toEqual({ id: 'SQ:0', name: 'SQ:0', trackCount: null });
    expect(list.items[5]).toEqual({ id: 'SQ:5', name: 'SQ:5', trackCount: 5 });
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
