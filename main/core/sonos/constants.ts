/** Facts of the Sonos Control API that every client uses. */

/** The public, documented API key for the local (LAN) API; it identifies nothing and grants nothing. */
export const SONOS_LOCAL_API_KEY = '123e4567-e89b-12d3-a456-426655440000';
export const SONOS_WS_SUBPROTOCOL = 'v1.api.smartspeaker.audio';
export const SONOS_LOCAL_PORT = 1443;
export const SONOS_WS_PATH = '/websocket/api';
export const SONOS_LOCAL_INFO_PATH = '/api/v1/players/local/info';

/** Namespaces as real clients write them, with the version suffix. */
export const NS = {
  groups: 'groups:1',
  groupVolume: 'groupVolume:1',
  playerVolume: 'playerVolume:1',
  playback: 'playback:1',
  playbackMetadata: 'playbackMetadata:1',
  favorites: 'favorites:1',
  playlists: 'playlists:1',
  homeTheater: 'homeTheater:1',
} as const;
export type Namespace = (typeof NS)[keyof typeof NS];

/** `groupVolume:1` → `groupVolume`; players and captures use both forms. */
export function baseNamespace(namespace: string): string {
  const colon = namespace.indexOf(':');
  return colon === -1 ? namespace : namespace.slice(0, colon);
}
