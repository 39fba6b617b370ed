/** Everything a test or `npm run sim` can tune, and the realistic defaults used when they don't. */

export type OAuthMode = 'consent' | 'auto' | 'deny' | 'wrong-state' | 'hang';
export const OAUTH_MODES: readonly OAuthMode[] = ['consent', 'auto', 'deny', 'wrong-state', 'hang'];

/** An OAuth integration registered with the simulated Sonos cloud, like one on developer.sonos.com. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface SimulatorOptions {
  /** How many players (default 3). */
  players?: number;
  /** `"1+2,3"` or `[[1, 2], [3]]`: 1-based player numbers, the first of each group its coordinator. */
  groups?: string | number[][];
  /** Extra delay before every local reply/event and every cloud answer (default 0). */
  latencyMs?: number;
  /** A command within this long of the previous one on the same target waits (default 260, like hardware). */
  holdBackMs?: number;
  /** Volume and mute are applied this long after the ack (default 21, like hardware). */
  applyDelayMs?: number;
  /** Extra delay before events only (default 0). */
  eventDelayMs?: number;
  /** Track length before a playing group advances to the next track (default 180 000). */
  trackMs?: number;
  /** Whether groups start playing (default true). */
  playing?: boolean;
  /** `expires_in` of access tokens, in seconds (default 86 399, the captured value). */
  tokenTtlSeconds?: number;
  /** Whether a refresh hands out a new refresh token and retires the old one (default true). */
  rotateRefreshTokens?: boolean;
  /** Registered OAuth integrations (default one made-up client). */
  clients?: OAuthClient[];
  /** How the authorize page behaves (default 'consent'). */
  oauthMode?: OAuthMode;
  /** How long a rebooting player refuses connections (default 200). */
  rebootMs?: number;
  /** Seed for ids, names and volumes (default random). */
  seed?: number;
  /** Where diagnostic lines go (default nowhere; the CLI sends them to stderr). */
  log?: (message: string) => void;
  /**
   * Where each player (0-based index) listens and which address it reports in `websocketUrl`, `/info` and
   * discovery. Default: 127.0.0.1 and a random port. The virtual LAN of the discovery tests (test/vlan) gives each
   * player an address of its own and port 1443, like hardware; `advertise` is asked at every use, so a player
   * whose address changes (DHCP) reports the new one.
   */
  playerAddress?: (index: number) => PlayerAddress;
}

export interface PlayerAddress {
  bind: string;
  port: number;
  advertise: () => string;
}

export interface ResolvedOptions {
  players: number;
  groups: number[][];
  latencyMs: number;
  holdBackMs: number;
  applyDelayMs: number;
  eventDelayMs: number;
  trackMs: number;
  playing: boolean;
  tokenTtlSeconds: number;
  rotateRefreshTokens: boolean;
  clients: OAuthClient[];
  oauthMode: OAuthMode;
  rebootMs: number;
  seed: number;
}

export const DEFAULT_CLIENT: OAuthClient = {
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
  redirectUris: ['https://bounce.example.test/sonos/'],
};

export const MAX_PLAYERS = 64;

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const players = options.players ?? 3;
  if (!Number.isInteger(players) || players < 1 || players > MAX_PLAYERS) {
    throw new RangeError(`players must be an integer from 1 to ${MAX_PLAYERS}, got ${String(players)}`);
  }
  const oauthMode = options.oauthMode ?? 'consent';
  if (!OAUTH_MODES.includes(oauthMode)) throw new RangeError(`unknown oauthMode ${String(oauthMode)}`);
  return {
    players,
    groups: normaliseGroups(options.groups, players),
    latencyMs: nonNegative('latencyMs', options.latencyMs ?? 0),
    holdBackMs: nonNegative('holdBackMs', options.holdBackMs ?? 260),
    applyDelayMs: nonNegative('applyDelayMs', options.applyDelayMs ?? 21),
    eventDelayMs: nonNegative('eventDelayMs', options.eventDelayMs ?? 0),
    trackMs: positive('trackMs', options.trackMs ?? 180_000),
    playing: options.playing ?? true,
    tokenTtlSeconds: positive('tokenTtlSeconds', options.tokenTtlSeconds ?? 86_399),
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    clients: options.clients ?? [DEFAULT_CLIENT],
    oauthMode,
    rebootMs: nonNegative('rebootMs', options.rebootMs ?? 200),
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0`);
  return value;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a number > 0`);
  return value;
}

/**
 * Turns `"1+2,3"` (or `[[1, 2], [3]]`) into 0-based player indexes. Players not mentioned stand alone, so `"1+2"`
 * with 4 players gives `[[0, 1], [2], [3]]`; a player named twice is an error.
 */
export function normaliseGroups(spec: string | number[][] | undefined, players: number): number[][] {
  const groups: number[][] =
    spec === undefined
      ? []
      : typeof spec === 'string'
        ? parseGroupSpec(spec)
        : spec.map((group) => group.map((n) => n));
  const seen = new Set<number>();
  const result: number[][] = [];
  for (const group of groups) {
    if (group.length === 0) throw new RangeError('a group needs at least one player');
    const indexes: number[] = [];
    for (const n of group) {
      if (!Number.isInteger(n) || n < 1 || n > players) {
        throw new RangeError(`group member ${String(n)} is not a player number from 1 to ${players}`);
      }
      if (seen.has(n)) throw new RangeError(`player ${n} is in more than one group`);
      seen.add(n);
      indexes.push(n - 1);
    }
    result.push(indexes);
  }
  for (let n = 1; n <= players; n++) if (!seen.has(n)) result.push([n - 1]);
  return result;
}

function parseGroupSpec(spec: string): number[][] {
  const trimmed = spec.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').map((group) =>
    group.split('+').map((member) => {
      const text = member.trim();
      if (!/^\d+$/.test(text)) throw new RangeError(`bad group spec ${JSON.stringify(spec)}`);
      return Number(text);
    }),
  );
}
