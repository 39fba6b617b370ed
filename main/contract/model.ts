/**
 * The data shapes that cross the process boundary: the household model the popover draws, settings, the account
 * state (never a secret), diagnostics and typed errors. Schemas are valibot so main and the browser bridge validate
 * with the same code; the renderer imports only the inferred types.
 */
import * as v from 'valibot';
import { checkAccelerator, checkHotkeyPair } from './accelerator';
import { HostSchema } from './host';

export const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
export const NameSchema = v.pipe(v.string(), v.maxLength(256));
export const VolumeSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));
export const VolumeDeltaSchema = v.pipe(v.number(), v.integer(), v.minValue(-100), v.maxValue(100));
const TimestampSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const UrlTextSchema = v.pipe(v.string(), v.maxLength(4096));

export { HostSchema } from './host';

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** Every failure the UI can meet. The renderer switches on `code`; `message` is already written for people. */
export const ERROR_CODES = [
  'invalid-request',
  'unknown-channel',
  'forbidden-sender',
  'not-found',
  'unreachable',
  'refused',
  'timeout',
  'untrusted-certificate',
  'not-signed-in',
  'needs-reauth',
  'auth-cancelled',
  'auth-refused',
  'auth-timeout',
  'auth-state-mismatch',
  'auth-not-configured',
  'storage-unavailable',
  'update-invalid',
  'update-unverified',
  /** What is playing, or this speaker, does not offer that (shuffle on a radio station, night sound on a Move). */
  'not-allowed',
  'unexpected',
  'internal',
] as const;
export const ErrorCodeSchema = v.picklist(ERROR_CODES);
export type ErrorCode = v.InferOutput<typeof ErrorCodeSchema>;

/** Extra facts for a Details disclosure (OAuth `error`, `error_description`, `error_uri`, a technical line). */
export const ErrorDetailsSchema = v.object({
  code: v.nullable(v.pipe(v.string(), v.maxLength(256))),
  description: v.nullable(v.pipe(v.string(), v.maxLength(2048))),
  uri: v.nullable(UrlTextSchema),
  technical: v.nullable(v.pipe(v.string(), v.maxLength(4096))),
});
export type ErrorDetails = v.InferOutput<typeof ErrorDetailsSchema>;

export const AppErrorPayloadSchema = v.object({
  code: ErrorCodeSchema,
  message: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  retryable: v.boolean(),
  details: v.nullable(ErrorDetailsSchema),
});
export type AppErrorPayload = v.InferOutput<typeof AppErrorPayloadSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Household model

export const PLAYBACK_STATES = ['playing', 'paused', 'idle', 'buffering', 'unknown'] as const;
export const PlaybackStateSchema = v.picklist(PLAYBACK_STATES);
export type PlaybackState = v.InferOutput<typeof PlaybackStateSchema>;

/** What the group's source allows now (`availablePlaybackActions`): offer only these controls. */
export const PlaybackActionsSchema = v.object({
  canPlay: v.boolean(),
  canPause: v.boolean(),
  canSkip: v.boolean(),
  canSkipBack: v.boolean(),
  canSeek: v.boolean(),
  canShuffle: v.boolean(),
  canRepeat: v.boolean(),
  canRepeatOne: v.boolean(),
  canCrossfade: v.boolean(),
});
export type PlaybackActions = v.InferOutput<typeof PlaybackActionsSchema>;

export const REPEAT_MODES = ['off', 'all', 'one'] as const;
export const RepeatModeSchema = v.picklist(REPEAT_MODES);
export type RepeatMode = v.InferOutput<typeof RepeatModeSchema>;

/** The group's play modes (Sonos' `repeat` and `repeatOne` as one three-way value). */
export const PlayModesSchema = v.object({
  shuffle: v.boolean(),
  repeat: RepeatModeSchema,
  crossfade: v.boolean(),
});
export type PlayModes = v.InferOutput<typeof PlayModesSchema>;

export const PositionMsSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 3_600_000));

/** What is playing. Sources are sparse (radio has no album, TV input has only a container): every field may be null. */
export const NowPlayingSchema = v.object({
  title: v.nullable(NameSchema),
  artist: v.nullable(NameSchema),
  album: v.nullable(NameSchema),
  /** Station, playlist or input name. */
  container: v.nullable(NameSchema),
  service: v.nullable(NameSchema),
  artUrl: v.nullable(UrlTextSchema),
  durationMs: v.nullable(TimestampSchema),
});
export type NowPlaying = v.InferOutput<typeof NowPlayingSchema>;

export const TRANSPORTS = ['local', 'cloud'] as const;
export const TransportSchema = v.picklist(TRANSPORTS);
export type Transport = v.InferOutput<typeof TransportSchema>;

export const GroupSchema = v.object({
  id: IdSchema,
  householdId: IdSchema,
  name: NameSchema,
  coordinatorId: IdSchema,
  playerIds: v.array(IdSchema),
  volume: v.nullable(VolumeSchema),
  muted: v.nullable(v.boolean()),
  fixedVolume: v.boolean(),
  playback: PlaybackStateSchema,
  actions: PlaybackActionsSchema,
  nowPlaying: v.nullable(NowPlayingSchema),
  /**
   * Position when `positionAt` (epoch ms) was measured; players send no position events, so the UI runs a clock
   * from here while `playback` is `playing` (and not past `nowPlaying.durationMs`). Every playback event, seek and
   * play/pause moves this pair, so the clock is corrected, never reset by guesswork.
   */
  positionMs: v.nullable(TimestampSchema),
  positionAt: v.nullable(TimestampSchema),
  /** null until the group's first playback status. */
  playModes: v.nullable(PlayModesSchema),
});
export type Group = v.InferOutput<typeof GroupSchema>;

export const CONNECTION_STATES = [
  'connected',
  'connecting',
  'offline',
  'refused',
  'untrusted',
  'cloud',
] as const;
export const ConnectionStateSchema = v.picklist(CONNECTION_STATES);
export type ConnectionState = v.InferOutput<typeof ConnectionStateSchema>;

/** Night sound and speech enhancement of a home-theater speaker; null while not read yet. */
export const HomeTheaterSchema = v.object({
  nightMode: v.nullable(v.boolean()),
  enhanceDialog: v.nullable(v.boolean()),
});
export type HomeTheater = v.InferOutput<typeof HomeTheaterSchema>;

export const PlayerSchema = v.object({
  id: IdSchema,
  householdId: IdSchema,
  /** What the UI shows: the user's nickname when set, otherwise the room name from Sonos. */
  name: NameSchema,
  sonosName: NameSchema,
  volume: v.nullable(VolumeSchema),
  muted: v.nullable(v.boolean()),
  fixedVolume: v.boolean(),
  connection: ConnectionStateSchema,
  /** Why the player is not usable right now, written for people. */
  problem: v.nullable(AppErrorPayloadSchema),
  /** Only for speakers with the `HT_PLAYBACK` capability (soundbars, Amp); null for every other speaker. */
  homeTheater: v.nullable(HomeTheaterSchema),
});
export type Player = v.InferOutput<typeof PlayerSchema>;

/** A Sonos favorite (My Sonos): a station, playlist, album or track the household saved. */
export const FavoriteSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  description: v.nullable(NameSchema),
  /** The music service's name (“Sveriges Radio”, “Spotify”). */
  service: v.nullable(NameSchema),
  artUrl: v.nullable(UrlTextSchema),
});
export type Favorite = v.InferOutput<typeof FavoriteSchema>;

/** A Sonos playlist of the household. */
export const PlaylistSchema = v.object({
  id: IdSchema,
  name: NameSchema,
  trackCount: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export type Playlist = v.InferOutput<typeof PlaylistSchema>;

/** Sonos keeps at most 70 favorites and lists at most 100 playlists; `version` changes with every edit. */
export const FavoritesListSchema = v.object({
  version: NameSchema,
  items: v.pipe(v.array(FavoriteSchema), v.maxLength(70)),
});
export const PlaylistsListSchema = v.object({
  version: NameSchema,
  items: v.pipe(v.array(PlaylistSchema), v.maxLength(100)),
});
export type FavoritesList = v.InferOutput<typeof FavoritesListSchema>;
export type PlaylistsList = v.InferOutput<typeof PlaylistsListSchema>;

export const HouseholdSchema = v.object({
  id: IdSchema,
  name: v.nullable(NameSchema),
  transport: v.nullable(TransportSchema),
  /** null until read (they are read when the household is first reached, and again when Sonos says they changed). */
  favorites: v.nullable(FavoritesListSchema),
  playlists: v.nullable(PlaylistsListSchema),
});
export type Household = v.InferOutput<typeof HouseholdSchema>;

export const DISCOVERY_STATES = ['searching', 'idle'] as const;
export const DiscoveryStateSchema = v.picklist(DISCOVERY_STATES);

export const HouseholdSnapshotSchema = v.object({
  /** Increases by one with every patch; a gap means the receiver asks for a new snapshot. */
  revision: v.pipe(v.number(), v.integer(), v.minValue(0)),
  discovery: DiscoveryStateSchema,
  households: v.record(IdSchema, HouseholdSchema),
  groups: v.record(IdSchema, GroupSchema),
  players: v.record(IdSchema, PlayerSchema),
});
export type HouseholdSnapshot = v.InferOutput<typeof HouseholdSnapshotSchema>;

/** Entities replaced whole, `null` removes. */
export const HouseholdPatchSchema = v.object({
  revision: v.pipe(v.number(), v.integer(), v.minValue(1)),
  discovery: v.optional(DiscoveryStateSchema),
  households: v.optional(v.record(IdSchema, v.nullable(HouseholdSchema))),
  groups: v.optional(v.record(IdSchema, v.nullable(GroupSchema))),
  players: v.optional(v.record(IdSchema, v.nullable(PlayerSchema))),
});
export type HouseholdPatch = v.InferOutput<typeof HouseholdPatchSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Settings

/**
 * An Electron accelerator such as `CommandOrControl+Alt+Up`, checked against Electron's grammar and made canonical
 * (accelerator.ts), so the app and the demo refuse "Banana" alike.
 */
export const AcceleratorSchema = v.pipe(
  v.string(),
  v.trim(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const check = checkAccelerator(dataset.value);
    if (check.ok) return check.accelerator;
    addIssue({ message: check.message });
    return NEVER;
  }),
);

export const SettingsSchema = v.object({
  hotkeyVolumeStep: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20)),
  hotkeys: v.pipe(
    v.object({
      volumeUp: v.nullable(AcceleratorSchema),
      volumeDown: v.nullable(AcceleratorSchema),
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      const problem = dataset.typed ? checkHotkeyPair(dataset.value) : null;
      if (problem) addIssue({ message: problem });
    }),
  ),
  /** The player whose group hotkeys control; null follows the group that is playing. */
  hotkeyTargetPlayerId: v.nullable(IdSchema),
  notifications: v.object({
    enabled: v.boolean(),
    /** Notify for groups containing one of these players; null means every group. */
    playerIds: v.nullable(v.array(IdSchema)),
  }),
  launchAtLogin: v.boolean(),
  manualHosts: v.pipe(v.array(HostSchema), v.maxLength(64)),
  /** Leave VPN and virtual network interfaces out of discovery. */
  skipVirtualInterfaces: v.boolean(),
  preferCloud: v.boolean(),
  /** Check for updates at start and every 6 hours; offer pre-releases only when opted in. */
  updates: v.object({ automatic: v.boolean(), prerelease: v.boolean() }),
  /**
   * The keyboard's media keys (Play/Pause, Next, Previous) control the hotkey group; off leaves them to other
   * players. On Linux they reach the app through the desktop's MPRIS media controls.
   */
  mediaKeys: v.boolean(),
  /** Linux: start under XWayland (`--ozone-platform=x11`) on a Wayland desktop, from the next start on. */
  xwayland: v.boolean(),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

export const SettingsUpdateSchema = v.strictObject({
  hotkeyVolumeStep: v.optional(SettingsSchema.entries.hotkeyVolumeStep),
  hotkeys: v.optional(
    v.strictObject({
      volumeUp: v.optional(v.nullable(AcceleratorSchema)),
      volumeDown: v.optional(v.nullable(AcceleratorSchema)),
    }),
  ),
  hotkeyTargetPlayerId: v.optional(v.nullable(IdSchema)),
  notifications: v.optional(
    v.strictObject({
      enabled: v.optional(v.boolean()),
      playerIds: v.optional(v.nullable(v.array(IdSchema))),
    }),
  ),
  launchAtLogin: v.optional(v.boolean()),
  manualHosts: v.optional(SettingsSchema.entries.manualHosts),
  skipVirtualInterfaces: v.optional(v.boolean()),
  preferCloud: v.optional(v.boolean()),
  updates: v.optional(
    v.strictObject({ automatic: v.optional(v.boolean()), prerelease: v.optional(v.boolean()) }),
  ),
  mediaKeys: v.optional(v.boolean()),
  xwayland: v.optional(v.boolean()),
});
export type SettingsUpdate = v.InferOutput<typeof SettingsUpdateSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Account (cloud sign-in). Tokens and the client secret never appear here.

export const ACCOUNT_STATUSES = [
  'signedOut',
  'awaitingBrowser',
  'exchanging',
  'signedIn',
  'needsReauth',
] as const;
export const AccountStatusSchema = v.picklist(ACCOUNT_STATUSES);
export type AccountStatus = v.InferOutput<typeof AccountStatusSchema>;

export const TOKEN_STORAGE = ['encrypted', 'memory', 'plaintext'] as const;

export const AccountStateSchema = v.object({
  status: AccountStatusSchema,
  client: v.object({
    clientId: v.nullable(NameSchema),
    redirectUri: v.nullable(UrlTextSchema),
    hasSecret: v.boolean(),
  }),
  /** Where tokens live: encrypted on disk, only in memory (no keyring), or plaintext because the user opted in. */
  storage: v.picklist(TOKEN_STORAGE),
  canEncrypt: v.boolean(),
  /** The sign-in page, so the user can open it again or copy it. */
  authorizeUrl: v.nullable(UrlTextSchema),
  pendingExpiresAt: v.nullable(TimestampSchema),
  expiresAt: v.nullable(TimestampSchema),
  households: v.array(v.object({ id: IdSchema, name: v.nullable(NameSchema) })),
  error: v.nullable(AppErrorPayloadSchema),
});
export type AccountState = v.InferOutput<typeof AccountStateSchema>;

export const AccountConfigureSchema = v.strictObject({
  clientId: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(256)),
  /** Omitted keeps the stored secret: the renderer never gets it back to resend. */
  clientSecret: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(512))),
  redirectUri: v.pipe(
    v.string(),
    v.trim(),
    v.url('Enter the full https:// address you registered'),
    v.maxLength(2048),
  ),
});
export type AccountConfigure = v.InferOutput<typeof AccountConfigureSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Diagnostics

export const DISCOVERY_SOURCES = ['mdns', 'ssdp', 'manual', 'cloud', 'groups'] as const;
export const HOTKEY_STATES = ['registered', 'requested', 'needs-permission', 'failed'] as const;

export const DiagnosticsSchema = v.object({
  app: v.object({
    version: NameSchema,
    electron: v.nullable(NameSchema),
    node: NameSchema,
    os: NameSchema,
  }),
  players: v.array(
    v.object({
      id: IdSchema,
      name: NameSchema,
      host: v.nullable(NameSchema),
      foundBy: v.array(v.picklist(DISCOVERY_SOURCES)),
      connection: ConnectionStateSchema,
      lastError: v.nullable(AppErrorPayloadSchema),
      tls: v.object({
        status: v.picklist(['pinned', 'ca', 'changed', 'none']),
        fingerprint: v.nullable(NameSchema),
      }),
    }),
  ),
  hotkeys: v.array(
    v.object({
      action: NameSchema,
      accelerator: NameSchema,
      registered: v.boolean(),
      /**
       * `requested`: a Wayland desktop was asked through its shortcuts portal and answers later (or never) —
       * not known to work. `needs-permission`: macOS media keys without the Accessibility permission.
       */
      state: v.picklist(HOTKEY_STATES),
      problem: v.nullable(NameSchema),
    }),
  ),
  account: v.object({ status: AccountStatusSchema, lastTransport: v.nullable(TransportSchema) }),
});
export type Diagnostics = v.InferOutput<typeof DiagnosticsSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Updates. Versions only: the popover never sees a feed address, a download URL or a file path.

/** A semantic version and nothing else (no `/` or `:`, so never an address or a path). */
export const VersionSchema = v.pipe(
  v.string(),
  v.maxLength(64),
  v.regex(/^\d{1,9}\.\d{1,9}\.\d{1,9}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/),
);

export const UPDATE_STATUSES = ['idle', 'checking', 'downloading', 'ready', 'unsupported'] as const;
/**
 * Why this copy does not update itself: run from source or an unpacked folder, a package that a store updates
 * (snap), an unsigned macOS build (Squirrel.Mac installs only signed apps), or no updater at all (the demo).
 */
export const UPDATE_UNSUPPORTED = [
  'development',
  'not-installed',
  'store',
  'unsigned-mac',
  'unavailable',
] as const;

export const UpdateStateSchema = v.object({
  status: v.picklist(UPDATE_STATUSES),
  currentVersion: v.nullable(VersionSchema),
  /** The newer version being downloaded or ready to install. */
  availableVersion: v.nullable(VersionSchema),
  /** Percent downloaded, while downloading. */
  progress: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100))),
  /** When a check last reached the feed (epoch ms). */
  lastCheckedAt: v.nullable(TimestampSchema),
  /** The last check or download that failed; cleared by the next success. */
  error: v.nullable(AppErrorPayloadSchema),
  unsupported: v.nullable(v.picklist(UPDATE_UNSUPPORTED)),
});
export type UpdateState = v.InferOutput<typeof UpdateStateSchema>;

export const VIEWS = ['main', 'settings', 'diagnostics'] as const;
export const ViewSchema = v.picklist(VIEWS);
export type View = v.InferOutput<typeof ViewSchema>;

// ---------------------------------------------------------------------------------------------------------------
// What the app can do on this desktop (Settings shows what does not work, and why)

export const MEDIA_KEY_ROUTES = ['shortcuts', 'mpris', 'needs-permission', 'off', 'unavailable'] as const;

export const ShellStatusSchema = v.object({
  /** The popover is an app window the user can close (false: a browser page, as in the demo). */
  window: v.boolean(),
  platform: v.picklist(['darwin', 'win32', 'linux', 'other']),
  /** Linux: the display server the app runs on; null elsewhere. */
  displayServer: v.nullable(v.picklist(['wayland', 'x11'])),
  /**
   * How the media keys reach the app: global shortcuts, the desktop's MPRIS media controls (Linux), not yet
   * (macOS without the Accessibility permission), not at all (the user turned them off), or nowhere here.
   */
  mediaKeys: v.picklist(MEDIA_KEY_ROUTES),
  /** The MPRIS name the app publishes on the session bus, when it does. */
  mpris: v.nullable(NameSchema),
  /** Whether the OS hands `io.github.trayforsonos://` sign-in addresses to the app; null where that does not apply. */
  signInScheme: v.nullable(
    v.object({ registered: v.boolean(), reason: v.nullable(v.pipe(v.string(), v.maxLength(1024))) }),
  ),
});
export type ShellStatus = v.InferOutput<typeof ShellStatusSchema>;
