/**
 * MPRIS on the session bus: `org.mpris.MediaPlayer2.tray_for_sonos`, the way Linux desktops (GNOME and KDE media
 * controls, the lock screen, the keyboard's media keys, `playerctl`) talk to players. It speaks for the group the
 * hotkeys control (`targetGroup`), and sends `PropertiesChanged` whenever what it says changes.
 *
 * It needs no Electron: the shell starts it on Linux, and `npm run demo -- --mpris` publishes it too. The D-Bus
 * library is loaded only when this starts. Without a session bus it logs one line and returns null; a bus that goes
 * away later is logged once and never crashes the app.
 */
import type * as DBus from '@jellybrick/dbus-next';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaybackAction } from '../../contract/ipc';
import type { Group } from '../../contract/model';
import type { Controller } from '../controller';
import { TargetFollower } from '../household/target-group';
import type { Logger } from '../logger';
import {
  changedProperties,
  groupVolumeFrom,
  MPRIS_NAME,
  MPRIS_PATH,
  playerState,
  positionMicros,
  type MprisMetadata,
  type MprisPlayerState,
} from './mpris-state';

type DBusModule = typeof DBus;

export interface MprisOptions {
  controller: Pick<Controller, 'snapshot' | 'settings' | 'on' | 'off' | 'playback' | 'setGroupVolume'>;
  logger: Logger;
  /** `DBUS_SESSION_BUS_ADDRESS` names the bus. */
  env: NodeJS.ProcessEnv;
  /** The group MPRIS speaks for; the shell shares its own with the hotkeys and the tray (default: its own). */
  target?: () => Group | null;
  /** Shows the app (the popover); without it the desktop is told the player cannot be raised. */
  raise?: () => void;
  /** The desktop entry's id without `.desktop`, so desktops show our name and icon. */
  desktopEntry?: string;
  connectTimeoutMs?: number;
  now?: () => number;
}

export interface MprisService {
  /** The bus name taken: the well-known one, or `….instance<pid>` when another copy already has it. */
  readonly name: string;
  stop(): Promise<void>;
}

/** What the two D-Bus interfaces ask of the app. */
interface PlayerSource {
  state(): MprisPlayerState;
  position(): number;
  command(action: 'play' | 'pause' | 'playPause' | 'stop' | 'next' | 'previous'): void;
  setVolume(volume: number): void;
  raise(): void;
  canRaise: boolean;
  desktopEntry: string;
}

const read = (signature: string) => ({ signature, access: 'read' as const });

/**
 * @jellybrick/dbus-next 0.11.3 compiles its `Interface` with class fields, so every instance gets own, empty
 * `$properties`/`$methods`/`$signals` that hide what `configureMembers` put on the prototype (a service configured that
 * way exports no members at all). Removing the empty own fields lets the prototype's show through; it changes
 * nothing once the library is fixed.
 */
function revealMembers(iface: object): void {
  for (const key of ['$properties', '$methods', '$signals']) {
    if (Object.hasOwn(iface, key) && (iface as Record<string, unknown>)[key] === undefined)
      delete (iface as Record<string, unknown>)[key];
  }
}

function defineInterfaces(dbus: DBusModule, source: PlayerSource) {
  const { Interface } = dbus.interface;

  class RootInterface extends Interface {
    constructor() {
      super('org.mpris.MediaPlayer2');
    }
    get Identity(): string {
      return 'Tray for Sonos';
    }
    get DesktopEntry(): string {
      return source.desktopEntry;
    }
    get CanQuit(): boolean {
      return false;
    }
    get CanRaise(): boolean {
      return source.canRaise;
    }
    get HasTrackList(): boolean {
      return false;
    }
    get SupportedUriSchemes(): string[] {
      return [];
    }
    get SupportedMimeTypes(): string[] {
      return [];
    }
    Raise(): void {
      source.raise();
    }
    /** CanQuit is false: the app lives in the tray and quits from its menu. */
    Quit(): void {}
  }
  RootInterface.configureMembers({
    properties: {
      Identity: read('s'),
      DesktopEntry: read('s'),
      CanQuit: read('b'),
      CanRaise: read('b'),
      HasTrackList: read('b'),
      SupportedUriSchemes: read('as'),
      SupportedMimeTypes: read('as'),
    },
    methods: { Raise: {}, Quit: {} },
  });

  class PlayerInterface extends Interface {
    constructor() {
      super('org.mpris.MediaPlayer2.Player');
    }
    get PlaybackStatus(): string {
      return source.state().PlaybackStatus;
    }
    get Metadata(): Record<string, DBus.Variant> {
      return metadataVariants(dbus, source.state().Metadata);
    }
    get Volume(): number {
      return source.state().Volume;
    }
    set Volume(volume: number) {
      source.setVolume(volume);
    }
    get Position(): bigint {
      return BigInt(source.position());
    }
    get Rate(): number {
      return 1;
    }
    get MinimumRate(): number {
      return 1;
    }
    get MaximumRate(): number {
      return 1;
    }
    get CanPlay(): boolean {
      return source.state().CanPlay;
    }
    get CanPause(): boolean {
      return source.state().CanPause;
    }
    get CanGoNext(): boolean {
      return source.state().CanGoNext;
    }
    get CanGoPrevious(): boolean {
      return source.state().CanGoPrevious;
    }
    get CanSeek(): boolean {
      return source.state().CanSeek;
    }
    get CanControl(): boolean {
      return true;
    }
    Play(): void {
      source.command('play');
    }
    Pause(): void {
      source.command('pause');
    }
    PlayPause(): void {
      source.command('playPause');
    }
    Stop(): void {
      source.command('stop');
    }
    Next(): void {
      source.command('next');
    }
    Previous(): void {
      source.command('previous');
    }
    /** CanSeek is false: "If the CanSeek property is false, this has no effect." */
    Seek(): void {}
    SetPosition(): void {}
    OpenUri(): void {
      throw new dbus.DBusError(
        'org.freedesktop.DBus.Error.NotSupported',
        'Tray for Sonos cannot open addresses.',
      );
    }
    Seeked(position: bigint): bigint {
      return position;
    }
  }
  PlayerInterface.configureMembers({
    properties: {
      PlaybackStatus: read('s'),
      Metadata: read('a{sv}'),
      Volume: { signature: 'd', access: 'readwrite' },
      Position: read('x'),
      Rate: read('d'),
      MinimumRate: read('d'),
      MaximumRate: read('d'),
      CanPlay: read('b'),
      CanPause: read('b'),
      CanGoNext: read('b'),
      CanGoPrevious: read('b'),
      CanSeek: read('b'),
      CanControl: read('b'),
    },
    methods: {
      Play: {},
      Pause: {},
      PlayPause: {},
      Stop: {},
      Next: {},
      Previous: {},
      Seek: { inSignature: 'x' },
      SetPosition: { inSignature: 'ox' },
      OpenUri: { inSignature: 's' },
    },
    signals: { Seeked: { signature: 'x' } },
  });

  const root = new RootInterface();
  const player = new PlayerInterface();
  revealMembers(root);
  revealMembers(player);
  return { Interface, root, player };
}

/** The metadata map: only the fields we know, each as the type the spec gives it. */
function metadataVariants(dbus: DBusModule, meta: MprisMetadata): Record<string, DBus.Variant> {
  const map: Record<string, DBus.Variant> = { 'mpris:trackid': new dbus.Variant('o', meta.trackId) };
  if (meta.length !== null) map['mpris:length'] = new dbus.Variant('x', BigInt(meta.length));
  if (meta.title !== null) map['xesam:title'] = new dbus.Variant('s', meta.title);
  if (meta.artists.length > 0) map['xesam:artist'] = new dbus.Variant('as', meta.artists);
  if (meta.album !== null) map['xesam:album'] = new dbus.Variant('s', meta.album);
  if (meta.artUrl !== null) map['mpris:artUrl'] = new dbus.Variant('s', meta.artUrl);
  return map;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (
        clearTimeout(timer),
        reject(error instanceof Error ? error : new Error(String(error)))
      ),
    );
  });
}

/**
 * The session bus: `DBUS_SESSION_BUS_ADDRESS`, else the systemd user bus at `$XDG_RUNTIME_DIR/bus`, where GDBus and
 * libdbus look too when the variable is missing (an app started by a launcher that dropped it).
 */
export function sessionBusAddress(
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
): string | null {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime && exists(join(runtime, 'bus')) ? `unix:path=${join(runtime, 'bus')}` : null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startMpris(options: MprisOptions): Promise<MprisService | null> {
  const { controller, logger } = options;
  const address = sessionBusAddress(options.env);
  if (!address) {
    logger.warn(
      'mpris: no session bus (no DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus); desktop media controls are off',
    );
    return null;
  }
  let dbus: DBusModule;
  try {
    dbus = await import('@jellybrick/dbus-next');
  } catch (error) {
    logger.warn('mpris: the D-Bus library could not be loaded; desktop media controls are off', {
      error: message(error),
    });
    return null;
  }

  // The bus reports a failed or lost connection as an 'error' event; one line in the log, whenever it happens.
  let connected = false;
  let reported = false;
  const report = (text: string, error: unknown): void => {
    if (reported) return;
    reported = true;
    logger.warn(text, { error: message(error) });
  };
  const bus = dbus.sessionBus({ busAddress: address });
  // The library emits 'error' but leaves it out of its event types.
  (bus as unknown as NodeJS.EventEmitter).on('error', (error: unknown) =>
    report(
      connected
        ? 'mpris: the session bus went away; desktop media controls are off'
        : 'mpris: the session bus cannot be reached; desktop media controls are off',
      error,
    ),
  );

  let name: string;
  try {
    // A bus that cannot be reached says so only through 'error'; the name request itself would wait forever.
    const unreachable = new Promise<never>((_resolve, reject) =>
      (bus as unknown as NodeJS.EventEmitter).once('error', reject),
    );
    unreachable.catch(() => {});
    name = await requestName(dbus, bus, unreachable, options.connectTimeoutMs ?? 5_000);
    connected = true;
  } catch (error) {
    report('mpris: the session bus cannot be reached; desktop media controls are off', error);
    try {
      bus.disconnect();
    } catch {
      // Already gone.
    }
    return null;
  }

  const now = options.now ?? Date.now;
  const follower = new TargetFollower();
  const target =
    options.target ?? ((): Group | null => follower.current(controller.snapshot(), controller.settings));
  let current = playerState(target());
  const run = (group: Group, action: PlaybackAction): void => {
    controller
      .playback(group.id, action)
      .catch((error: unknown) => logger.info('mpris: command failed', { action, error: message(error) }));
  };
  const source: PlayerSource = {
    state: () => playerState(target()),
    position: () => positionMicros(target(), now()),
    // "If CanX is false, attempting to call this method should have no effect" (MPRIS Player interface).
    command(action) {
      const group = target();
      if (!group) return;
      const state = playerState(group);
      if (action === 'play' && state.CanPlay) run(group, 'play');
      else if ((action === 'pause' || action === 'stop') && state.CanPause) run(group, 'pause');
      else if (action === 'next' && state.CanGoNext) run(group, 'skipToNextTrack');
      else if (action === 'previous' && state.CanGoPrevious) run(group, 'skipToPreviousTrack');
      else if (action === 'playPause') {
        if (state.PlaybackStatus === 'Playing' && state.CanPause) run(group, 'pause');
        else if (state.PlaybackStatus !== 'Playing' && state.CanPlay) run(group, 'play');
      }
    },
    setVolume(volume) {
      const group = target();
      if (!group || group.fixedVolume) return;
      controller
        .setGroupVolume(group.id, groupVolumeFrom(volume))
        .catch((error: unknown) => logger.info('mpris: volume failed', { error: message(error) }));
    },
    raise: () => options.raise?.(),
    canRaise: Boolean(options.raise),
    desktopEntry: options.desktopEntry ?? 'io.github.trayforsonos',
  };
  const { Interface, root, player } = defineInterfaces(dbus, source);
  bus.export(MPRIS_PATH, root);
  bus.export(MPRIS_PATH, player);

  let stopped = false;
  const onChange = (): void => {
    const next = playerState(target());
    const changed = changedProperties(current, next);
    current = next;
    if (Object.keys(changed).length === 0 || reported) return;
    const values: Record<string, unknown> = { ...changed };
    if (changed.Metadata) values.Metadata = metadataVariants(dbus, changed.Metadata);
    try {
      Interface.emitPropertiesChanged(player, values);
    } catch (error) {
      report('mpris: the session bus went away; desktop media controls are off', error);
    }
  };
  controller.on('patch', onChange);
  controller.on('settings', onChange);
  // A bus that closes (the session ends, the daemon dies) says so only on the library's connection object.
  (bus as unknown as { _connection?: NodeJS.EventEmitter })._connection?.on('end', () => {
    if (!stopped)
      report('mpris: the session bus went away; desktop media controls are off', 'connection closed');
  });
  logger.info('mpris: published', { name });

  return {
    name,
    async stop() {
      if (stopped) return;
      stopped = true;
      controller.off('patch', onChange);
      controller.off('settings', onChange);
      if (!reported) {
        try {
          bus.unexport(MPRIS_PATH);
          await withTimeout(bus.releaseName(name), 1_000, 'releasing the bus name');
        } catch {
          // The bus may be gone already; nothing is left to undo then.
        }
      }
      try {
        bus.disconnect();
      } catch {
        // Already closed.
      }
    },
  };
}

/** The well-known name, or the spec's per-instance form when another copy of the app holds it. */
async function requestName(
  dbus: DBusModule,
  bus: DBus.MessageBus,
  unreachable: Promise<never>,
  timeoutMs: number,
): Promise<string> {
  const flags = dbus.NameFlag.DO_NOT_QUEUE;
  const ask = (name: string): Promise<number> =>
    withTimeout(Promise.race([bus.requestName(name, flags), unreachable]), timeoutMs, 'the session bus');
  const reply = await ask(MPRIS_NAME);
  if (reply === dbus.RequestNameReply.PRIMARY_OWNER || reply === dbus.RequestNameReply.ALREADY_OWNER)
    return MPRIS_NAME;
  const instance = `${MPRIS_NAME}.instance${process.pid}`;
  await ask(instance);
  return instance;
}
