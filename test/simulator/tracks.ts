/**
 * Made-up music for the simulated household. Real names would tempt tests to hard-code them; these are obviously
 * fake and still exercise long titles, a missing album and non-ASCII text, which real metadata has.
 */

export interface Track {
  name: string;
  artist: string;
  /** Absent for some real tracks; the client must cope. */
  album?: string;
  objectId: string;
}

export const PLAYLIST_NAME = 'Loopback Mix';

export const TRACKS: readonly Track[] = [
  {
    name: 'Simulated Sunrise',
    artist: 'The Loopbacks',
    album: 'Localhost Sessions',
    objectId: 'sim:track:0001',
  },
  { name: 'Port 1443', artist: 'Handshake', album: 'Self-Signed', objectId: 'sim:track:0002' },
  {
    name: 'Group Coordinator Blues',
    artist: 'Rincon Quartet',
    album: 'Held Back',
    objectId: 'sim:track:0003',
  },
  { name: 'Café de la Socket', artist: 'Mélodie Réseau', album: 'Trames', objectId: 'sim:track:0004' },
  {
    name: 'A Very Long Track Title That Will Certainly Not Fit In A Small Tray Popover Without Ellipsis',
    artist: 'Overflow',
    album: 'Text Wrapping, Vol. 2',
    objectId: 'sim:track:0005',
  },
  { name: 'No Album Here', artist: 'Sparse Metadata', objectId: 'sim:track:0006' },
  { name: 'Twenty-One Milliseconds', artist: 'Apply Delay', album: 'Ack First', objectId: 'sim:track:0007' },
  {
    name: 'Proportional Volume',
    artist: 'The Loopbacks',
    album: 'Localhost Sessions',
    objectId: 'sim:track:0008',
  },
];

export function trackAt(index: number): Track {
  const track = TRACKS[((index % TRACKS.length) + TRACKS.length) % TRACKS.length];
  if (track === undefined) throw new Error('no tracks');
  return track;
}

/** A radio station: no queue, no currentItem, only a container and `streamInfo` text that changes now and then. */
export const RADIO = {
  name: 'Loopback FM',
  serviceName: 'Simulated Radio',
  serviceId: '303',
  objectId: 's127001',
} as const;

export function radioStreamInfo(index: number): string {
  const track = trackAt(index);
  return `${track.artist} - ${track.name}`;
}

/** A second made-up station, for favorites: a household usually saves more than one. */
export const RADIO_2 = {
  name: 'Port 80 Talk',
  serviceName: 'Simulated Radio',
  serviceId: '303',
  objectId: 's808080',
} as const;

/** The simulated music service's name and id (`serviceId` is a string, as captured). */
export const MUSIC_SERVICE = { name: 'Simulated Music', id: '1999' } as const;

/** Another app streaming to the group (modelled on the captured Spotify Connect session). */
export const CONNECT_SERVICE = { name: 'Simulated Connect', id: '2311' } as const;

/** Indexes into TRACKS of an album's tracks. */
export function albumTracks(album: string): number[] {
  return TRACKS.flatMap((track, index) => (track.album === album ? [index] : []));
}
