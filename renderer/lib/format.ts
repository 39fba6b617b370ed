/** Words the popover shows for contract values, in one place so the views and the tests agree. */
import type {
  AccountState,
  ConnectionState,
  Diagnostics,
  Group,
  NowPlaying,
  Player,
} from '../../main/contract/model';

export function volumeLabel(name: string): string {
  return `${name} volume`;
}

/** Read by screen readers instead of the bare number: "Kitchen volume 35%". */
export function volumeValueText(name: string, volume: number | null): string {
  return volume === null ? `${name} volume unknown` : `${name} volume ${volume}%`;
}

const CONNECTION_WORDS: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
  refused: 'Refused the connection',
  untrusted: 'Certificate not trusted',
  cloud: 'Through your Sonos account',
};

export function connectionText(state: ConnectionState): string {
  return CONNECTION_WORDS[state];
}

/** Why a speaker cannot be controlled right now, or null when it can (or is about to: first connection). */
export function playerTrouble(player: Player): string | null {
  if (player.connection === 'connected' || player.connection === 'cloud') return null;
  if (player.problem) return player.problem.message;
  return player.connection === 'connecting' ? null : connectionText(player.connection);
}

/**
 * Album art only as a path main serves (`/art/…`, fetched and checked in main): the CSP allows no remote images,
 * so anything else — a remote URL that slipped through, another path — gets the placeholder.
 */
export function safeArtUrl(url: string | null | undefined): string | null {
  return url && /^\/art\/[A-Za-z0-9_-]{1,64}$/.test(url) ? url : null;
}

export interface NowPlayingLines {
  title: string;
  subtitle: string;
  service: string;
}

/** Three lines whatever the source: a track, a radio stream (title only, station as container) or nothing. */
export function nowPlayingLines(np: NowPlaying | null): NowPlayingLines {
  if (!np || (!np.title && !np.container)) return { title: 'Nothing playing', subtitle: '', service: '' };
  const byline = [np.artist, np.album].filter(Boolean).join(' — ');
  return {
    title: np.title ?? np.container ?? '',
    subtitle: byline || (np.title ? (np.container ?? '') : ''),
    service: np.service ?? '',
  };
}

const SOURCE_WORDS: Record<Diagnostics['players'][number]['foundBy'][number], string> = {
  mdns: 'mDNS (Bonjour)',
  ssdp: 'SSDP (UPnP)',
  manual: 'address you entered',
  cloud: 'Sonos account',
  groups: 'another speaker’s group list',
};

export function foundByText(sources: readonly Diagnostics['players'][number]['foundBy'][number][]): string {
  return sources.length === 0 ? 'unknown' : sources.map((s) => SOURCE_WORDS[s]).join(', ');
}

const TLS_WORDS: Record<Diagnostics['players'][number]['tls']['status'], string> = {
  pinned: 'Pinned certificate',
  ca: 'Sonos certificate authority',
  changed: 'Certificate changed — not trusted',
  none: 'Not checked yet',
};

export function tlsText(status: Diagnostics['players'][number]['tls']['status']): string {
  return TLS_WORDS[status];
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * A household as people know it. Sonos gives households no name (its `name` is documented as not implemented), so
 * it is called by its rooms: "the household with Bedroom, Kitchen and 3 more". Its id is for the Details view.
 */
export function householdLabel(
  household: AccountState['households'][number],
  groups: readonly Group[],
): string {
  if (household.name) return household.name;
  const rooms = groups
    .filter((g) => g.householdId === household.id)
    .map((g) => g.name)
    .sort(byName.compare);
  if (rooms.length === 0) return 'a household with no speakers on this network yet';
  const shown = rooms.length > 3 ? [...rooms.slice(0, 2), `${rooms.length - 2} more`] : rooms;
  const list = shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`;
  return `the household with ${list}`;
}

/** A long id as a short one that still tells ids apart: `Sonos_3ztfD6OwuR…TXEf4Q`. */
export function shortId(id: string): string {
  return id.length <= 24 ? id : `${id.slice(0, 14)}…${id.slice(-6)}`;
}
