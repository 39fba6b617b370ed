/**
 * Automatic updates with electron-updater: a check shortly after start and every 6 hours (deferred while on
 * battery power), a background download that electron-updater verifies against the feed's sha512, and the
 * install when the user picks "Update to X.Y.Z — Restart" or quits (electron-updater installs a downloaded update
 * in `app`'s `quit`). A copy that cannot update itself says why instead of failing: run from source or an
 * unpacked folder, a snap or Flatpak (their store updates them), or an unsigned macOS build (Squirrel.Mac installs
 * only into signed apps). The popover sees versions and sentences only, never the feed, a URL or a file.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppUpdater, UpdateInfo } from 'electron-updater';
import * as v from 'valibot';
import { VersionSchema, type Settings, type UpdateState } from '../contract/model';
import { AppError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { UpdateService } from '../core/updates';
import { describeUpdateError, updateErrorCode } from './update-errors';

/** The parts of electron-updater's `AppUpdater` we use (its `autoUpdater`, or a test's instance). */
export type UpdaterLike = Pick<
  AppUpdater,
  | 'checkForUpdates'
  | 'quitAndInstall'
  | 'on'
  | 'removeListener'
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowPrerelease'
  | 'allowDowngrade'
  | 'logger'
  | 'isUpdateSupported'
>;

export interface PowerLike {
  isOnBatteryPower(): boolean;
  on(event: 'on-ac', listener: () => void): unknown;
  removeListener(event: 'on-ac', listener: () => void): unknown;
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const UPDATE_SCHEDULE = {
  /** After start, so the first check does not compete with finding speakers. */
  firstCheckMs: 10_000,
  intervalMs: 6 * 60 * 60 * 1000,
  /** After a failed check (feed down, not update information). */
  retryMs: 60 * 60 * 1000,
  /** How often a check deferred on battery looks again (Linux has no `on-ac` event). */
  batteryRecheckMs: 30 * 60 * 1000,
};

export interface UpdaterOptions {
  /** electron-updater's `autoUpdater`; created only for a copy that can update itself. */
  createUpdater: () => UpdaterLike;
  app: { isPackaged: boolean; getVersion(): string; getName(): string };
  powerMonitor: PowerLike;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** `process.resourcesPath`: deb and rpm installs leave a `package-type` file there for electron-updater. */
  resourcesPath: string | null;
  /** The running executable (`process.execPath`): an NSIS install keeps its uninstaller beside it. */
  execPath: string;
  /** Whether this macOS app has a Developer ID signature (asked on macOS only). */
  macSigned: () => Promise<boolean>;
  settings: () => Settings['updates'];
  logger: Logger;
  now?: () => number;
  timers?: Timers;
  schedule?: Partial<typeof UPDATE_SCHEDULE>;
}

/** `v1.2.3` and `=1.2.3` are how some feeds spell a version; semver reads them as 1.2.3. */
function cleanVersion(version: unknown): string | null {
  const text = typeof version === 'string' ? version.trim().replace(/^[v=]+/, '') : '';
  return v.is(VersionSchema, text) ? text : null;
}

export function isPrerelease(version: string): boolean {
  return /^\d+\.\d+\.\d+-/.test(version.trim().replace(/^[v=]+/, ''));
}

export class Updater implements UpdateService {
  private current: UpdateState;
  private updater: UpdaterLike | null = null;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private deferredOnBattery = false;
  /** Codes already logged at warn level in the current run of failures: each is logged once, then quietly. */
  private readonly loggedFailures = new Set<string>();
  private readonly listeners = new Set<(state: UpdateState) => void>();
  private readonly schedule: typeof UPDATE_SCHEDULE;
  private readonly timers: Timers;
  private readonly now: () => number;
  private disposed = false;

  constructor(private readonly options: UpdaterOptions) {
    this.schedule = { ...UPDATE_SCHEDULE, ...options.schedule };
    this.timers = options.timers ?? {
      setTimeout: (run, ms) => {
        const handle = setTimeout(run, ms);
        handle.unref?.();
        return handle;
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    this.now = options.now ?? Date.now;
    this.current = {
      status: 'idle',
      currentVersion: cleanVersion(options.app.getVersion()),
      availableVersion: null,
      progress: null,
      lastCheckedAt: null,
      error: null,
      unsupported: null,
    };
  }

  /** Why this copy cannot update itself, or null when it can. */
  private async unsupportedReason(): Promise<UpdateState['unsupported']> {
    const { app, platform, env, resourcesPath } = this.options;
    if (!app.isPackaged) return 'development';
    if (platform === 'linux') {
      if (env.SNAP || env.FLATPAK_ID) return 'store';
      const packaged = resourcesPath !== null && existsSync(join(resourcesPath, 'package-type'));
      // electron-updater updates an AppImage (it replaces the file named by $APPIMAGE) or a deb/rpm install.
      if (!env.APPIMAGE && !packaged) return 'not-installed';
    }
    // electron-builder's NSIS installer puts "Uninstall <product>.exe" beside the app; an unpacked folder has none,
    // and the NSIS updater would install a second copy instead of updating this one.
    if (
      platform === 'win32' &&
      !existsSync(join(dirname(this.options.execPath), `Uninstall ${app.getName()}.exe`))
    ) {
      return 'not-installed';
    }
    if (platform === 'darwin' && !(await this.options.macSigned())) return 'unsigned-mac';
    return null;
  }

  async start(): Promise<void> {
    const reason = await this.unsupportedReason();
    if (this.disposed) return;
    if (reason) {
      this.options.logger.info('automatic updates are off for this copy', { reason });
      this.set({ status: 'unsupported', unsupported: reason });
      return;
    }
    this.updater = this.configure(this.options.createUpdater());
    this.options.powerMonitor.on('on-ac', this.onAc);
    if (this.options.settings().automatic) this.scheduleCheck(this.schedule.firstCheckMs);
  }

  private configure(updater: UpdaterLike): UpdaterLike {
    const log = this.options.logger;
    // electron-updater narrates every step (with URLs and paths); that belongs in a debug log. Failures are logged
    // here, once per kind.
    updater.logger = {
      info: (message?: unknown) => log.debug(`updater: ${String(message)}`),
      warn: (message?: unknown) => log.debug(`updater: ${String(message)}`),
      error: (message?: unknown) => log.debug(`updater: ${String(message)}`),
      debug: (message: string) => log.debug(`updater: ${message}`),
    };
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.allowDowngrade = false;
    // A pre-release is offered only to those who asked for one, whatever the feed says: the GitHub provider looks
    // at `allowPrerelease`, a generic feed lists whatever it holds, so both are checked.
    const supported = updater.isUpdateSupported;
    updater.isUpdateSupported = async (info: UpdateInfo) => {
      if (isPrerelease(String(info.version)) && !this.options.settings().prerelease) {
        log.debug('update: skipping a pre-release', { version: String(info.version) });
        return false;
      }
      return supported(info);
    };
    updater.on('update-available', (info) =>
      this.set({ status: 'downloading', availableVersion: cleanVersion(info.version), progress: 0 }),
    );
    updater.on('download-progress', (progress) =>
      this.set({ progress: Math.max(0, Math.min(100, Math.floor(progress.percent))) }),
    );
    updater.on('update-downloaded', (info) => {
      log.info('update downloaded and verified; it installs on restart or quit', { version: info.version });
      this.set({
        status: 'ready',
        availableVersion: cleanVersion(info.version),
        progress: null,
        error: null,
      });
    });
    return updater;
  }

  private readonly onAc = (): void => {
    if (this.deferredOnBattery && this.options.settings().automatic) void this.run('scheduled');
  };

  private scheduleCheck(ms: number): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.run('scheduled');
    }, ms);
  }

  /** Called when settings change: turning automatic checks on checks soon, off stops the timer. */
  applySettings(): void {
    if (!this.updater || this.disposed) return;
    const { automatic } = this.options.settings();
    if (!automatic && this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    } else if (automatic && this.timer === null && !this.running) {
      this.scheduleCheck(this.schedule.firstCheckMs);
    }
  }

  private run(kind: 'scheduled' | 'user'): Promise<void> {
    if (this.running) return this.running;
    this.running = this.checkOnce(kind).finally(() => (this.running = null));
    return this.running;
  }

  private async checkOnce(kind: 'scheduled' | 'user'): Promise<void> {
    const updater = this.updater;
    if (!updater || this.disposed) return;
    const settings = this.options.settings();
    if (kind === 'scheduled') {
      if (!settings.automatic) return;
      if (this.options.powerMonitor.isOnBatteryPower()) {
        if (!this.deferredOnBattery) this.options.logger.info('update check deferred: on battery power');
        this.deferredOnBattery = true;
        this.scheduleCheck(this.schedule.batteryRecheckMs);
        return;
      }
    }
    this.deferredOnBattery = false;
    // A downloaded update waits for the user; one in progress finishes first.
    if (this.current.status === 'ready' || this.current.status === 'downloading') {
      if (settings.automatic) this.scheduleCheck(this.schedule.intervalMs);
      return;
    }
    updater.allowPrerelease = settings.prerelease;
    this.set({ status: 'checking', progress: null });
    let result: Awaited<ReturnType<UpdaterLike['checkForUpdates']>>;
    try {
      result = await updater.checkForUpdates();
    } catch (error) {
      this.failed(error, 'check');
      if (this.options.settings().automatic) this.scheduleCheck(this.schedule.retryMs);
      return;
    }
    if (this.disposed) return;
    if (result === null) {
      // electron-updater decided this copy cannot update (it checks what we checked in `unsupportedReason`).
      this.set({ status: 'unsupported', unsupported: 'not-installed' });
      return;
    }
    this.succeeded();
    if (this.options.settings().automatic) this.scheduleCheck(this.schedule.intervalMs);
    if (!result.isUpdateAvailable) {
      this.set({ status: 'idle', availableVersion: null, progress: null, error: null });
      return;
    }
    result.downloadPromise?.catch((error: unknown) => {
      this.failed(error, 'download');
      // The next check tries again, sooner than the regular one.
      if (this.options.settings().automatic) this.scheduleCheck(this.schedule.retryMs);
    });
  }

  private succeeded(): void {
    if (this.loggedFailures.size > 0) this.options.logger.info('update check works again');
    this.loggedFailures.clear();
    this.set({ lastCheckedAt: this.now(), error: null });
  }

  private failed(error: unknown, during: 'check' | 'download'): void {
    const payload = describeUpdateError(error, during);
    const code = updateErrorCode(error) ?? payload.code;
    const fields = { code, error: error instanceof Error ? error.message : String(error) };
    if (this.loggedFailures.has(code)) {
      this.options.logger.debug(`update ${during} failed again`, fields);
    } else {
      this.loggedFailures.add(code);
      this.options.logger.warn(`update ${during} failed; trying again later`, fields);
    }
    this.set({ status: 'idle', availableVersion: null, progress: null, error: payload });
  }

  private set(patch: Partial<UpdateState>): void {
    const next = { ...this.current, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }

  state(): UpdateState {
    return { ...this.current };
  }

  check(): UpdateState {
    if (this.updater && !this.disposed) void this.run('user');
    return this.state();
  }

  install(): void {
    if (!this.updater || this.current.status !== 'ready') {
      throw new AppError('unexpected', 'No update is ready to install yet.', { retryable: true });
    }
    this.options.logger.info('installing the update and restarting', {
      version: this.current.availableVersion,
    });
    // Silent (no installer window on Windows) and start the new version afterwards.
    this.updater.quitAndInstall(true, true);
  }

  onChange(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.options.powerMonitor.removeListener('on-ac', this.onAc);
    this.listeners.clear();
  }
}
