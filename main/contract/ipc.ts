/**
 * The IPC contract: every request the popover can make and every event main can send, with the schema of each
 * payload. Main's IPC handlers and the demo's browser bridge validate with these schemas; the preload and the
 * renderer import only the types. No other file names a channel.
 *
 * Replies are always an `IpcResult`: a typed error travels as a value, never as a thrown Electron error, so the
 * popover can show `message` and keep working.
 */
import * as v from 'valibot';
import {
  AccountConfigureSchema,
  AccountStateSchema,
  AppErrorPayloadSchema,
  DiagnosticsSchema,
  HouseholdPatchSchema,
  HouseholdSnapshotSchema,
  IdSchema,
  PositionMsSchema,
  RepeatModeSchema,
  SettingsSchema,
  SettingsUpdateSchema,
  UpdateStateSchema,
  ShellStatusSchema,
  ViewSchema,
  VolumeDeltaSchema,
  VolumeSchema,
  type AppErrorPayload,
} from './model';

const NoPayload = v.undefined();
const Done = v.null();

export const PLAYBACK_ACTIONS = [
  'play',
  'pause',
  'togglePlayPause',
  'skipToNextTrack',
  'skipToPreviousTrack',
] as const;
export type PlaybackAction = (typeof PLAYBACK_ACTIONS)[number];

/** Renderer → main requests, each answered with an `IpcResult` of its reply. */
export const invokeChannels = {
  'household:getSnapshot': { request: NoPayload, reply: HouseholdSnapshotSchema },

  'group:setVolume': {
    request: v.strictObject({ groupId: IdSchema, volume: VolumeSchema }),
    reply: Done,
  },
  'group:adjustVolume': {
    request: v.strictObject({ groupId: IdSchema, delta: VolumeDeltaSchema }),
    reply: Done,
  },
  'group:setMute': { request: v.strictObject({ groupId: IdSchema, muted: v.boolean() }), reply: Done },
  'player:setVolume': {
    request: v.strictObject({ playerId: IdSchema, volume: VolumeSchema }),
    reply: Done,
  },
  'player:adjustVolume': {
    request: v.strictObject({ playerId: IdSchema, delta: VolumeDeltaSchema }),
    reply: Done,
  },
  'player:setMute': { request: v.strictObject({ playerId: IdSchema, muted: v.boolean() }), reply: Done },
  'playback:command': {
    request: v.strictObject({ groupId: IdSchema, action: v.picklist(PLAYBACK_ACTIONS) }),
    reply: Done,
  },
  /** Omitted modes stay as they are. Refused (`not-allowed`) when the source does not offer a mode. */
  'group:setPlayModes': {
    request: v.pipe(
      v.strictObject({
        groupId: IdSchema,
        shuffle: v.optional(v.boolean()),
        repeat: v.optional(RepeatModeSchema),
        crossfade: v.optional(v.boolean()),
      }),
      v.check(
        (r) => r.shuffle !== undefined || r.repeat !== undefined || r.crossfade !== undefined,
        'Name at least one play mode',
      ),
    ),
    reply: Done,
  },
  /** A seek drag sends the last position only (coalesced like volume). */
  'group:seek': { request: v.strictObject({ groupId: IdSchema, positionMs: PositionMsSchema }), reply: Done },
  'group:seekBy': {
    request: v.strictObject({
      groupId: IdSchema,
      deltaMs: v.pipe(v.number(), v.integer(), v.minValue(-86_400_000), v.maxValue(86_400_000)),
    }),
    reply: Done,
  },
  /** Moves a speaker into a group (it leaves the group it was in). */
  'rooms:join': { request: v.strictObject({ playerId: IdSchema, groupId: IdSchema }), reply: Done },
  /** Takes a speaker out of its group to play on its own; a group's coordinator hands the music to the rest. */
  'rooms:leave': { request: v.strictObject({ playerId: IdSchema }), reply: Done },
  /** Every speaker of the household into this group. */
  'rooms:groupAll': { request: v.strictObject({ groupId: IdSchema }), reply: Done },
  /** Every speaker of the household on its own; each group's coordinator keeps its music. */
  'rooms:ungroupAll': { request: v.strictObject({ householdId: IdSchema }), reply: Done },
  /** Pauses every group that plays and can pause; `Resume` (`playback:resumeAll`) restarts just those. */
  'playback:pauseAll': {
    request: NoPayload,
    reply: v.object({ paused: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  },
  'playback:resumeAll': {
    request: NoPayload,
    reply: v.object({ resumed: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  },
  /** Plays a favorite on a group, replacing what it played. */
  'music:playFavorite': { request: v.strictObject({ groupId: IdSchema, favoriteId: IdSchema }), reply: Done },
  'music:playPlaylist': { request: v.strictObject({ groupId: IdSchema, playlistId: IdSchema }), reply: Done },
  /** Reads the household's favorites and playlists again (they arrive in the snapshot's household). */
  'music:refresh': { request: v.strictObject({ householdId: IdSchema }), reply: Done },
  /** Night sound and speech enhancement of a home-theater speaker; omitted options stay as they are. */
  'player:setHomeTheater': {
    request: v.pipe(
      v.strictObject({
        playerId: IdSchema,
        nightMode: v.optional(v.boolean()),
        enhanceDialog: v.optional(v.boolean()),
      }),
      v.check((r) => r.nightMode !== undefined || r.enhanceDialog !== undefined, 'Name at least one option'),
    ),
    reply: Done,
  },
  'speakers:rescan': { request: NoPayload, reply: Done },

  'settings:get': { request: NoPayload, reply: SettingsSchema },
  'settings:update': { request: SettingsUpdateSchema, reply: SettingsSchema },

  'account:getState': { request: NoPayload, reply: AccountStateSchema },
  'account:configure': { request: AccountConfigureSchema, reply: AccountStateSchema },
  'account:signIn': { request: NoPayload, reply: AccountStateSchema },
  'account:cancelSignIn': { request: NoPayload, reply: AccountStateSchema },
  /** The address the browser ended on, pasted by the user when the custom scheme did not reach the app. */
  'account:submitCallback': {
    request: v.strictObject({ url: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(8192)) }),
    reply: AccountStateSchema,
  },
  'account:signOut': { request: NoPayload, reply: AccountStateSchema },
  /** Opt in (or out) to keeping tokens in a plaintext file when the OS offers no keyring. */
  'account:setInsecureStorage': {
    request: v.strictObject({ allowed: v.boolean() }),
    reply: AccountStateSchema,
  },

  'diagnostics:get': { request: NoPayload, reply: DiagnosticsSchema },
  /**
   * Main renders the report and puts it on the clipboard where it can (`copied`); the text comes back so the page
   * can copy it itself where main cannot (the browser demo).
   */
  'diagnostics:copyReport': {
    request: NoPayload,
    reply: v.object({ text: v.string(), copied: v.boolean() }),
  },
  /**
   * Trusts the certificate the user was shown (its SHA-256 fingerprint): if the speaker has presented another one
   * since, nothing is trusted.
   */
  'diagnostics:trustCertificate': {
    request: v.strictObject({
      playerId: IdSchema,
      fingerprint: v.pipe(v.string(), v.minLength(2), v.maxLength(200), v.regex(/^[0-9A-Fa-f:]+$/)),
    }),
    reply: Done,
  },

  /** Opens an https link (such as an OAuth `error_uri`) in the system browser. */
  'app:openLink': {
    request: v.strictObject({
      url: v.pipe(v.string(), v.url(), v.startsWith('https://'), v.maxLength(4096)),
    }),
    reply: Done,
  },
  'popover:hide': { request: NoPayload, reply: Done },

  'updates:getState': { request: NoPayload, reply: UpdateStateSchema },
  /** Checks now (the user asked); replies at once with the state, progress follows as `updates:state`. */
  'updates:check': { request: NoPayload, reply: UpdateStateSchema },
  /** Quits, installs the downloaded update and starts the new version. */
  'updates:install': { request: NoPayload, reply: Done },
  /** What works on this desktop (media keys, the sign-in scheme, the popover window), for Settings. */
  'app:getStatus': { request: NoPayload, reply: ShellStatusSchema },
  /**
   * macOS: asks the OS to show its Accessibility prompt, which media keys need. Granting happens in System
   * Settings, later; `app:status` says when the keys work.
   */
  'app:requestAccessibility': { request: NoPayload, reply: ShellStatusSchema },
} as const;

/** Main → renderer events. */
export const eventChannels = {
  'household:snapshot': HouseholdSnapshotSchema,
  'household:patch': HouseholdPatchSchema,
  'settings:changed': SettingsSchema,
  'account:state': AccountStateSchema,
  'diagnostics:changed': v.null(),
  /** Ask the popover to show a view (from the tray menu). */
  'popover:navigate': v.object({ view: ViewSchema }),
  /** The popover was just shown: a cue to refresh focus and relative times. */
  'popover:shown': v.null(),
  'updates:state': UpdateStateSchema,
  'app:status': ShellStatusSchema,
} as const;

type InvokeChannels = typeof invokeChannels;
type EventChannels = typeof eventChannels;

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;
export type RequestOf<C extends InvokeChannel> = v.InferInput<InvokeChannels[C]['request']>;
export type ReplyOf<C extends InvokeChannel> = v.InferOutput<InvokeChannels[C]['reply']>;
export type EventPayloadOf<E extends EventChannel> = v.InferOutput<EventChannels[E]>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorPayload };
export const IpcResultSchema = v.variant('ok', [
  v.object({ ok: v.literal(true), value: v.unknown() }),
  v.object({ ok: v.literal(false), error: AppErrorPayloadSchema }),
]);

/** Channels whose request has no payload, so callers can leave it out. */
type NoPayloadChannel = {
  [C in InvokeChannel]: RequestOf<C> extends undefined ? C : never;
}[InvokeChannel];

/** What the preload exposes as `window.tray`, and what the browser bridge implements for the demo. */
export interface TrayApi {
  invoke<C extends NoPayloadChannel>(channel: C): Promise<IpcResult<ReplyOf<C>>>;
  invoke<C extends InvokeChannel>(channel: C, payload: RequestOf<C>): Promise<IpcResult<ReplyOf<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name);
}
