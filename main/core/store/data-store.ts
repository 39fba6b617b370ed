/**
 * What we keep between runs — settings, known players, pinned certificates, nicknames — as one versioned
 * document. The backend is electron-store in the app and `conf` in the CLI and tests (same file format). Loading
 * migrates older layouts, salvages what is valid field by field, and never overwrites a name the user set.
 *
 * Ids come from the network, so every id-keyed record is a `Map` in memory: a player called `toString` or
 * `__proto__` is a player, not a property of every object. What the network can add is bounded: players not seen
 * for 30 days are forgotten (their nicknames stay: only the user sets those), and at most 100 players and 100 pins
 * are kept, so a flood of spoofed answers cannot grow the file or the reconnects at every start without end.
 */
import * as v from 'valibot';
import {
  HostSchema,
  IdSchema,
  SettingsSchema,
  type Settings,
  type SettingsUpdate,
} from '../../contract/model';
import { messageForPeople } from '../../contract/issues';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { PinStore } from '../sonos/local/tls-trust';

export const STORE_VERSION = 1;

const DAY_MS = 24 * 3600_000;
/** A player not seen for this long is forgotten (a Sonos household holds at most 32 players; we keep 100). */
export const FORGET_PLAYERS_AFTER_MS = 30 * DAY_MS;
export const MAX_KNOWN_PLAYERS = 100;
export const MAX_PINS = 100;
/** A player seen again is written at most this often (its `lastSeen` only needs to be right to the day). */
const LAST_SEEN_RESOLUTION_MS = DAY_MS;

export const DEFAULT_SETTINGS: Settings = {
  hotkeyVolumeStep: 5,
  hotkeys: { volumeUp: 'Alt+Shift+Up', volumeDown: 'Alt+Shift+Down' },
  hotkeyTargetPlayerId: null,
  notifications: { enabled: true, playerIds: null },
  launchAtLogin: false,
  manualHosts: [],
  skipVirtualInterfaces: false,
  preferCloud: false,
  updates: { automatic: true, prerelease: false },
  mediaKeys: true,
  xwayland: false,
};

const KnownPlayerSchema = v.object({
  householdId: IdSchema,
  name: v.pipe(v.string(), v.maxLength(256)),
  host: v.nullable(v.pipe(v.string(), v.maxLength(300))),
  lastSeen: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type KnownPlayer = v.InferOutput<typeof KnownPlayerSchema>;

const NicknameSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64));

export interface StoredData {
  version: typeof STORE_VERSION;
  settings: Settings;
  players: Record<string, KnownPlayer>;
  pins: Record<string, string>;
  nicknames: Record<string, string>;
  /** Owned by the account vault (its own schema and migrations); opaque here. */
  account: unknown;
}

/** A JSON document on disk. `conf` and electron-store both fit through `createConfBackend`. */
export interface DocumentBackend {
  read(): unknown;
  write(value: StoredData): void;
  readonly path: string | null;
}

export function memoryBackend(initial: unknown = {}): DocumentBackend & { value: unknown } {
  const backend = {
    value: initial,
    path: null,
    read: () => structuredClone(backend.value),
    write: (value: StoredData) => {
      backend.value = structuredClone(value);
    },
  };
  return backend;
}

// -------------------------------------------------------------------------------------------------------------
// Migrations

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the entries of a record that pass `schema` (own properties only); drops the rest with a count. */
function salvageRecord<T>(
  value: unknown,
  key: v.GenericSchema<unknown, string>,
  schema: v.GenericSchema<unknown, T>,
): {
  kept: Record<string, T>;
  dropped: number;
} {
  const kept = new Map<string, T>();
  let dropped = 0;
  if (!isRecord(value)) return { kept: toRecord(kept), dropped: value === undefined ? 0 : 1 };
  for (const [k, item] of Object.entries(value)) {
    const id = v.safeParse(key, k);
    const parsed = v.safeParse(schema, item);
    if (id.success && parsed.success) kept.set(id.output, parsed.output);
    else dropped += 1;
  }
  return { kept: toRecord(kept), dropped };
}

/** A record from a map: every key an own property (`Object.fromEntries` defines, never assigns, `__proto__`). */
function toRecord<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries(map) as Record<string, T>;
}

function toMap<T>(record: Record<string, T>): Map<string, T> {
  return new Map(Object.entries(record));
}

/** Settings field by field: a bad value falls back to its default, the others survive. */
export function salvageSettings(value: unknown): Settings {
  const settings = structuredClone(DEFAULT_SETTINGS);
  if (!isRecord(value)) return settings;
  for (const key of Object.keys(SettingsSchema.entries) as (keyof Settings)[]) {
    if (!(key in value)) continue;
    let raw = value[key];
    // One unreadable address must not cost the user the others.
    if (key === 'manualHosts' && Array.isArray(raw))
      raw = raw.filter((host) => v.safeParse(HostSchema, host).success);
    const parsed = v.safeParse(SettingsSchema.entries[key], raw);
    if (parsed.success) (settings as Record<string, unknown>)[key] = parsed.output;
  }
  return settings;
}

/**
 * The 0.0.x prototype kept a flat file: `hosts`, `volumeStep`, `rooms: {id: {name, nickname?}}` and its account
 * fields. Rooms carried both the Sonos name and, when the user set one, a nickname.
 */
function fromV0(raw: Record<string, unknown>): StoredData {
  const data = emptyData();
  const settings: Record<string, unknown> = {};
  if (Array.isArray(raw.hosts)) settings.manualHosts = raw.hosts.filter((h) => typeof h === 'string');
  if (typeof raw.volumeStep === 'number') settings.hotkeyVolumeStep = raw.volumeStep;
  data.settings = salvageSettings(settings);
  if (isRecord(raw.rooms)) {
    const nicknames = new Map<string, string>();
    for (const [id, room] of Object.entries(raw.rooms)) {
      if (!isRecord(room) || !v.safeParse(IdSchema, id).success) continue;
      const nickname = v.safeParse(NicknameSchema, room.nickname);
      if (nickname.success) nicknames.set(id, nickname.output);
    }
    data.nicknames = toRecord(nicknames);
  }
  data.account = { legacy: pickLegacyAccount(raw) };
  return data;
}

function pickLegacyAccount(raw: Record<string, unknown>): Record<string, unknown> {
  const legacy: Record<string, unknown> = {};
  for (const key of ['account', 'clientId', 'clientSecret', 'redirectUri'])
    if (key in raw) legacy[key] = raw[key];
  return legacy;
}

function emptyData(): StoredData {
  return {
    version: STORE_VERSION,
    settings: structuredClone(DEFAULT_SETTINGS),
    players: {},
    pins: {},
    nicknames: {},
    account: null,
  };
}

export interface MigrationReport {
  from: number | 'unknown' | 'empty';
  dropped: number;
  changed: boolean;
}

/** Brings any earlier layout to the current one. Never throws: what cannot be read is dropped and counted. */
export function migrate(raw: unknown): { data: StoredData; report: MigrationReport } {
  if (raw === undefined || raw === null || (isRecord(raw) && Object.keys(raw).length === 0)) {
    return { data: emptyData(), report: { from: 'empty', dropped: 0, changed: true } };
  }
  if (!isRecord(raw)) return { data: emptyData(), report: { from: 'unknown', dropped: 1, changed: true } };
  let source = raw;
  let from: MigrationReport['from'] = typeof raw.version === 'number' ? raw.version : 'unknown';
  if (raw.version === undefined && ('rooms' in raw || 'hosts' in raw || 'volumeStep' in raw)) {
    source = fromV0(raw) as unknown as Record<string, unknown>;
    from = 0;
  } else if (typeof raw.version === 'number' && raw.version > STORE_VERSION) {
    // Written by a newer version: read what we understand, keep going.
    from = raw.version;
  }
  const players = salvageRecord(source.players, IdSchema, KnownPlayerSchema);
  const pins = salvageRecord(source.pins, IdSchema, v.pipe(v.string(), v.minLength(1), v.maxLength(200)));
  const nicknames = salvageRecord(source.nicknames, IdSchema, NicknameSchema);
  const data: StoredData = {
    version: STORE_VERSION,
    settings: salvageSettings(source.settings),
    players: players.kept,
    pins: pins.kept,
    nicknames: nicknames.kept,
    account: source.account ?? null,
  };
  const dropped = players.dropped + pins.dropped + nicknames.dropped;
  return { data, report: { from, dropped, changed: from !== STORE_VERSION || dropped > 0 } };
}

// -------------------------------------------------------------------------------------------------------------

export interface DataStoreOptions {
  now?: () => number;
}

export class DataStore implements PinStore {
  private settingsValue: Settings;
  private readonly players: Map<string, KnownPlayer>;
  /** In the order they were pinned: the oldest go first when there are too many. */
  private readonly pins: Map<string, string>;
  private readonly nicknames: Map<string, string>;
  private accountValue: unknown;
  private readonly now: () => number;

  constructor(
    private readonly backend: DocumentBackend,
    private readonly logger?: Logger,
    options: DataStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const { data, report } = migrate(backend.read());
    this.settingsValue = data.settings;
    this.players = toMap(data.players);
    this.pins = toMap(data.pins);
    this.nicknames = toMap(data.nicknames);
    this.accountValue = data.account;
    const forgotten = this.forgetStalePlayers();
    if (report.changed || forgotten > 0) {
      if (report.from !== 'empty')
        logger?.info('store migrated', { from: report.from, dropped: report.dropped, forgotten });
      this.save();
    }
  }

  get path(): string | null {
    return this.backend.path;
  }

  get settings(): Settings {
    return structuredClone(this.settingsValue);
  }

  updateSettings(update: SettingsUpdate): Settings {
    const current = this.settingsValue;
    const next: Settings = {
      ...current,
      ...(update.hotkeyVolumeStep !== undefined && { hotkeyVolumeStep: update.hotkeyVolumeStep }),
      ...(update.hotkeyTargetPlayerId !== undefined && { hotkeyTargetPlayerId: update.hotkeyTargetPlayerId }),
      ...(update.launchAtLogin !== undefined && { launchAtLogin: update.launchAtLogin }),
      ...(update.manualHosts !== undefined && { manualHosts: [...new Set(update.manualHosts)] }),
      ...(update.skipVirtualInterfaces !== undefined && {
        skipVirtualInterfaces: update.skipVirtualInterfaces,
      }),
      ...(update.preferCloud !== undefined && { preferCloud: update.preferCloud }),
      ...(update.mediaKeys !== undefined && { mediaKeys: update.mediaKeys }),
      ...(update.xwayland !== undefined && { xwayland: update.xwayland }),
      hotkeys: {
        volumeUp: update.hotkeys?.volumeUp !== undefined ? update.hotkeys.volumeUp : current.hotkeys.volumeUp,
        volumeDown:
          update.hotkeys?.volumeDown !== undefined ? update.hotkeys.volumeDown : current.hotkeys.volumeDown,
      },
      updates: {
        automatic: update.updates?.automatic ?? current.updates.automatic,
        prerelease: update.updates?.prerelease ?? current.updates.prerelease,
      },
      notifications: {
        enabled: update.notifications?.enabled ?? current.notifications.enabled,
        playerIds:
          update.notifications?.playerIds !== undefined
            ? update.notifications.playerIds
            : current.notifications.playerIds,
      },
    };
    // Each field was checked on its way in; what only the whole can break (one shortcut for two actions) is here.
    const checked = v.safeParse(SettingsSchema, next);
    if (!checked.success) {
      throw new AppError(
        'invalid-request',
        messageForPeople(checked.issues) ?? 'Those settings are not valid.',
        {
          details: {
            technical: checked.issues
              .map((issue) => issue.message)
              .join('; ')
              .slice(0, 500),
          },
        },
      );
    }
    this.settingsValue = checked.output;
    this.save();
    return this.settings;
  }

  nickname(playerId: string): string | undefined {
    return this.nicknames.get(playerId);
  }

  /** Only the user sets nicknames; nothing else in the app writes here. */
  setNickname(playerId: string, nickname: string | null): void {
    if (nickname === null) this.nicknames.delete(playerId);
    else this.nicknames.set(playerId, v.parse(NicknameSchema, nickname));
    this.save();
  }

  getPin(playerId: string): string | undefined {
    return this.pins.get(playerId);
  }

  setPin(playerId: string, fingerprint256: string): void {
    this.pins.delete(playerId);
    this.pins.set(playerId, fingerprint256);
    this.trimPins(playerId);
    this.save();
  }

  knownPlayers(): Map<string, KnownPlayer> {
    return new Map([...this.players].map(([id, player]) => [id, { ...player }]));
  }

  /**
   * Remembers where a player was, to reconnect at once next start; the Sonos name never touches a nickname. A
   * player seen again at the same place is written once a day, not at every sighting.
   */
  rememberPlayer(playerId: string, player: KnownPlayer): void {
    const previous = this.players.get(playerId);
    if (
      previous &&
      previous.host === player.host &&
      previous.name === player.name &&
      previous.householdId === player.householdId &&
      player.lastSeen - previous.lastSeen < LAST_SEEN_RESOLUTION_MS
    ) {
      return;
    }
    this.players.delete(playerId);
    this.players.set(playerId, { ...player });
    while (this.players.size > MAX_KNOWN_PLAYERS) {
      let stalest: string | null = null;
      for (const [id, known] of this.players)
        if (id !== playerId && (stalest === null || known.lastSeen < this.players.get(stalest)!.lastSeen))
          stalest = id;
      if (stalest === null) break;
      this.forgetPlayer(stalest);
    }
    this.save();
  }

  get account(): unknown {
    return structuredClone(this.accountValue);
  }

  set account(value: unknown) {
    this.accountValue = structuredClone(value);
    this.save();
  }

  /** A player we forget takes its pin along (it is pinned again on first use); its nickname is the user's. */
  private forgetPlayer(playerId: string): void {
    this.players.delete(playerId);
    this.pins.delete(playerId);
  }

  private forgetStalePlayers(): number {
    const cutoff = this.now() - FORGET_PLAYERS_AFTER_MS;
    let forgotten = 0;
    for (const [id, player] of [...this.players]) {
      if (player.lastSeen < cutoff) {
        this.forgetPlayer(id);
        forgotten += 1;
      }
    }
    if (forgotten > 0) this.logger?.info('forgot speakers not seen for 30 days', { count: forgotten });
    return forgotten;
  }

  /** Too many pins: those of players we do not know go first, oldest first; then the oldest. */
  private trimPins(keep: string): void {
    if (this.pins.size <= MAX_PINS) return;
    for (const id of [...this.pins.keys()]) {
      if (this.pins.size <= MAX_PINS) return;
      if (id !== keep && !this.players.has(id)) this.pins.delete(id);
    }
    for (const id of [...this.pins.keys()]) {
      if (this.pins.size <= MAX_PINS) return;
      if (id !== keep) this.pins.delete(id);
    }
  }

  private save(): void {
    this.backend.write({
      version: STORE_VERSION,
      settings: this.settingsValue,
      players: toRecord(this.players),
      pins: toRecord(this.pins),
      nicknames: toRecord(this.nicknames),
      account: this.accountValue,
    });
  }
}
