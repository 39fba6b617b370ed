/**
 * The household's Sonos favorites and Sonos playlists (My Sonos), shared by every player: what `getFavorites` and
 * `getPlaylists` list and what `loadFavorite` / `loadPlaylist` play. As on real households: at most 70 favorites
 * (Sonos' limit, in the OpenAPI description), ids and versions are strings, and every change gets a new version,
 * which players announce with a `versionChanged` event carrying only the version.
 */
import type { Content } from './sessions';
import {
  albumTracks,
  CONNECT_SERVICE,
  MUSIC_SERVICE,
  PLAYLIST_NAME,
  RADIO,
  RADIO_2,
  TRACKS,
  type Track,
} from './tracks';

export const MAX_FAVORITES = 70;
export const MAX_PLAYLISTS = 100;

/** `resource.type` of a favorite: what kind of music it is. */
export type FavoriteKind = 'STREAM' | 'PLAYLIST' | 'ALBUM' | 'TRACK';

export interface Favorite {
  id: string;
  name: string;
  description: string;
  kind: FavoriteKind;
  content: Content;
}

export interface Playlist {
  id: string;
  name: string;
  tracks: number[];
}

export class LibraryFullError extends Error {}

const ALL_TRACKS = TRACKS.map((_, index) => index);

export function stationContent(station: typeof RADIO | typeof RADIO_2): Content {
  return {
    source: 'radio',
    name: station.name,
    containerType: 'station',
    objectId: station.objectId,
    service: { name: station.serviceName, id: station.serviceId },
    tracks: ALL_TRACKS,
  };
}

export function queueContent(name: string, type: string, objectId: string, tracks: number[]): Content {
  return { source: 'playlist', name, containerType: type, objectId, service: { ...MUSIC_SERVICE }, tracks };
}

/** The mix every group starts with. */
export const DEFAULT_MIX = queueContent(PLAYLIST_NAME, 'playlist', 'sim:playlist:loopback-mix', ALL_TRACKS);

/** Another app streaming to the group, like the captured Spotify Connect session (it refuses crossfade). */
export const CONNECT_MIX = {
  ...queueContent('Connected Mix', 'playlist.spotify.connect', 'sim:connect:mix', ALL_TRACKS),
  source: 'connect',
  service: { ...CONNECT_SERVICE },
} satisfies Content;

/** Nothing: a group made with `createGroup` and no music to take. */
export const NO_CONTENT: Content = {
  source: 'none',
  name: '',
  containerType: 'none',
  objectId: '',
  service: { name: '', id: '' },
  tracks: [],
};

export class Library {
  private favoriteList: Favorite[] = [];
  private playlistList: Playlist[] = [];
  private favoriteCounter: number;
  private playlistCounter: number;
  private nextFavoriteId = 1;
  private nextPlaylistId = 1;

  /** `versionPrefix`: real versions look like `RINCON_48A6B8194D2A01400:7` (a player id and a counter). */
  constructor(
    private readonly versionPrefix: string,
    private readonly changed: (kind: 'favorites' | 'playlists') => void,
  ) {
    this.favoriteCounter = 7;
    this.playlistCounter = 3;
    const track = (t: Track) => TRACKS.indexOf(t);
    this.favoriteList = [
      this.makeFavorite('STREAM', RADIO.name, RADIO.serviceName, stationContent(RADIO)),
      this.makeFavorite('PLAYLIST', PLAYLIST_NAME, 'Sonos playlist', DEFAULT_MIX),
      this.makeFavorite(
        'ALBUM',
        'Localhost Sessions',
        'The Loopbacks',
        queueContent('Localhost Sessions', 'album', 'sim:album:localhost', albumTracks('Localhost Sessions')),
      ),
      this.makeFavorite(
        'TRACK',
        TRACKS[3]!.name,
        TRACKS[3]!.artist,
        queueContent(TRACKS[3]!.name, 'track', TRACKS[3]!.objectId, [track(TRACKS[3]!)]),
      ),
      this.makeFavorite('STREAM', RADIO_2.name, RADIO_2.serviceName, stationContent(RADIO_2)),
    ];
    this.playlistList = [
      this.makePlaylist('Dinner for Loopbacks', [0, 3, 6, 7]),
      this.makePlaylist('Long Drive', [...ALL_TRACKS].reverse()),
    ];
  }

  get favoritesVersion(): string {
    return `${this.versionPrefix}:${this.favoriteCounter}`;
  }

  get playlistsVersion(): string {
    return `${this.versionPrefix}:${this.playlistCounter}`;
  }

  favorites(): readonly Favorite[] {
    return this.favoriteList;
  }

  playlists(): readonly Playlist[] {
    return this.playlistList;
  }

  favorite(id: string): Favorite | undefined {
    return this.favoriteList.find((f) => f.id === id);
  }

  playlist(id: string): Playlist | undefined {
    return this.playlistList.find((p) => p.id === id);
  }

  playlistContent(playlist: Playlist): Content {
    return queueContent(playlist.name, 'playlist', `sim:sonos-playlist:${playlist.id}`, playlist.tracks);
  }

  /** Saves a favorite, as a user does in the Sonos app: a station, or a queue of tracks. Refused past 70. */
  addFavorite(name: string, kind: 'station' | 'playlist' = 'playlist'): Favorite {
    if (this.favoriteList.length >= MAX_FAVORITES)
      throw new LibraryFullError(`a household has at most ${MAX_FAVORITES} favorites`);
    const favorite =
      kind === 'station'
        ? this.makeFavorite('STREAM', name, RADIO.serviceName, { ...stationContent(RADIO), name })
        : this.makeFavorite('PLAYLIST', name, 'Sonos playlist', {
            ...DEFAULT_MIX,
            name,
            objectId: `sim:favorite:${this.nextFavoriteId}`,
          });
    this.favoriteList.push(favorite);
    this.bump('favorites');
    return favorite;
  }

  removeFavorite(id: string): void {
    const before = this.favoriteList.length;
    this.favoriteList = this.favoriteList.filter((f) => f.id !== id);
    if (this.favoriteList.length === before) throw new RangeError(`no favorite ${id}`);
    this.bump('favorites');
  }

  addPlaylist(name: string, trackCount = 4): Playlist {
    if (this.playlistList.length >= MAX_PLAYLISTS) throw new LibraryFullError('too many playlists');
    const count = Math.max(1, Math.min(64, Math.round(trackCount)));
    const playlist = this.makePlaylist(
      name,
      Array.from({ length: count }, (_, i) => i % TRACKS.length),
    );
    this.playlistList.push(playlist);
    this.bump('playlists');
    return playlist;
  }

  removePlaylist(id: string): void {
    const before = this.playlistList.length;
    this.playlistList = this.playlistList.filter((p) => p.id !== id);
    if (this.playlistList.length === before) throw new RangeError(`no playlist ${id}`);
    this.bump('playlists');
  }

  private bump(kind: 'favorites' | 'playlists'): void {
    if (kind === 'favorites') this.favoriteCounter += 1;
    else this.playlistCounter += 1;
    this.changed(kind);
  }

  private makeFavorite(kind: FavoriteKind, name: string, description: string, content: Content): Favorite {
    // Real favorite ids are short numeric strings ("3" in the capture).
    return { id: String(this.nextFavoriteId++), name, description, kind, content };
  }

  private makePlaylist(name: string, tracks: number[]): Playlist {
    // Sonos playlist ids look like "SQ:12" (peers' notes).
    return { id: `SQ:${this.nextPlaylistId++}`, name, tracks };
  }
}
