/**
 * The composition root of the Electron app: single instance, deep links and the `app://` scheme before `ready`;
 * then the store, logger, core, popover, tray, IPC, hotkeys, notifications and launch-at-login, all wired to one
 * `AppCore`. Electron is passed in (the real module from main/index.ts, the fake in tests), so the whole wiring
 * is exercised by a test without Electron.
 */
import type * as Electron from 'electron';
import { join } from 'node:path';
import { createAppCore, type AppCore, type ShellActions } from '../core/app-core';
import type { AccountService } from '../core/account/account-service';
import { createAccount } from '../core/account/create-account';
import { Controller } from '../core/controller';
import { AppError } from '../core/errors';
import { createMdnsSource } from '../core/discovery/mdns-source';
import { createSsdpSource } from '../core/discovery/ssdp-source';
import type { DiscoverySource } from '../core/discovery/source';
import { TargetFollower } from '../core/household/target-group';
import { createRotatingFileSink } from '../core/log-file';
import { createLogger, type Logger } from '../core/logger';
import { DataStore, type DocumentBackend } from '../core/store/data-store';
import type { MprisOptions, MprisService } from '../core/mpris/mpris-service';
import type { ShellStatus, View } from '../contract/model';
import { createSafeStorage, systemBrowser } from './account';
import { ArtProxy } from '../core/art/art-proxy';
import { loadNotificationArt } from './album-art';
import { installApplicationMenu } from './app-menu';
import { ensureAppImageEntry } from './appimage-entry';
import { openExternalSafely } from './external-links';
import { APP_ORIGIN, APP_URL, isAppUrl, registerAppScheme, serveApp } from './app-protocol';
import { setupDeepLinks } from './deep-links';
import { displayServer, enablePortalShortcuts, XWAYLAND_SWITCH } from './desktop-session';
import type { Hotkeys } from './hotkeys';
import { registerIpc, sendEvent, originOf } from './ipc';
import { launchAtLoginEnabled, setLaunchAtLogin, startedAtLogin } from './login-item';
import { MediaKeys } from './media-keys';
import { PopoverWindow } from './popover-window';
import { createElectronStoreBackend } from './store';
import { TrackNotifier } from './track-notifier';
import { AppTrayHandle } from './tray-handle';
import type { AppTray } from './tray';
import { macSigned } from './mac-signature';
import { Updater, type UpdaterLike } from './updater';

/** The installer's appId (electron-builder.yml). */
export const APP_USER_MODEL_ID = 'io.github.trayforsonos.app';

export type ElectronModules = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'Tray'
  | 'Menu'
  | 'nativeImage'
  | 'ipcMain'
  | 'globalShortcut'
  | 'Notification'
  | 'shell'
  | 'clipboard'
  | 'nativeTheme'
  | 'screen'
  | 'safeStorage'
  | 'protocol'
  | 'session'
  | 'powerMonitor'
  | 'systemPreferences'
>;

/** The account as the shell uses it: the service behind the IPC, and the hooks of its lifecycle. */
export interface AccountWiring {
  account: AccountService;
  setPopoverVisible?(visible: boolean): void;
  dispose?(): void;
}

interface AccountDeps {
  store: DataStore;
  logger: Logger;
  electron: ElectronModules;
  controller: Controller;
  platform: NodeJS.Platform;
}

/** The real account: tokens sealed with safeStorage, sign-in in the system browser, cloud control and polling. */
function sonosAccount({ store, logger, electron, controller, platform }: AccountDeps): AccountWiring {
  const account = createAccount({
    controller,
    store,
    storage: createSafeStorage(electron.safeStorage, platform),
    opener: systemBrowser(electron.shell),
    logger,
  });
  return {
    account: account.service,
    setPopoverVisible: account.setPopoverVisible,
    dispose: () => account.stop(),
  };
}

export interface ShellOptions {
  /** Where the built app lives (out/ beside main/). */
  appDir: string;
  /** Packaged resources (tray icons); `process.resourcesPath` when packaged. */
  resourcesDir: string;
  /** The Vite dev server's page (`ELECTRON_RENDERER_URL` by default); ignored by a packaged app. */
  devRendererUrl?: string | undefined;
  argv?: string[];
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** `process.defaultApp`: started as `electron .` in development. */
  defaultApp?: boolean;
  /** Test seams. */
  cwd?: string;
  startMpris?: (options: MprisOptions) => Promise<MprisService | null>;
  storeBackend?: () => DocumentBackend;
  discoverySources?: (logger: Logger) => DiscoverySource[];
  /** The account module (the Sonos one unless given); null leaves sign-in out (tests of the shell alone). */
  createAccount?: ((deps: AccountDeps) => AccountWiring) | null;
  /** Automatic updates: electron-updater's `autoUpdater` and `process.resourcesPath`; left out, updates are off. */
  updates?: { createUpdater: () => UpdaterLike; resourcesPath: string | null };
}

export interface RunningShell {
  core: AppCore;
  controller: Controller;
  popover: PopoverWindow;
  tray: AppTray;
  hotkeys: Hotkeys;
  mediaKeys: MediaKeys;
  logger: Logger;
  updater: Updater | null;
  status(): ShellStatus;
  quit(): void;
}

/**
 * Returns null when another instance runs (it got our URL and we quit), or after printing `--version`; the promise
 * gives null when the app restarts itself under XWayland (Settings asked for it).
 */
export function startShell(
  electron: ElectronModules,
  options: ShellOptions,
): Promise<RunningShell | null> | null {
  const { app } = electron;
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  // `--version` prints and exits before anything else: no window, no hand-off to a running instance.
  if (argv.includes('--version')) {
    process.stdout.write(`${app.getName()} ${app.getVersion()}\n`);
    app.exit(0);
    return null;
  }
  // A data folder of its own (the Electron smoke test, a portable copy); also a single-instance lock of its own,
  // since Electron keys that lock by this folder.
  if (env.TFS_USER_DATA_DIR) app.setPath('userData', env.TFS_USER_DATA_DIR);
  const display = displayServer(platform, env, argv);
  const wayland = display === 'wayland';

  // Everything that must happen before `ready`.
  registerAppScheme(electron.protocol);
  if (wayland) enablePortalShortcuts(app.commandLine);
  // An AppImage brings no desktop entry, and without one Linux cannot hand it sign-in addresses.
  let appImageProblem: unknown = null;
  try {
    if (platform === 'linux') ensureAppImageEntry(env);
  } catch (error) {
    appImageProblem = error;
  }
  const pendingUrls: string[] = [];
  let deliver: (url: string) => void = (url) => void pendingUrls.push(url);
  let showPopover: () => void = () => {};
  const { locked, scheme } = setupDeepLinks({
    app,
    argv,
    platform,
    defaultApp: options.defaultApp ?? Boolean((process as { defaultApp?: boolean }).defaultApp),
    execPath: process.execPath,
    appPath: argv[1],
    cwd: options.cwd ?? process.cwd(),
    onUrl: (url) => deliver(url),
    onSecondInstance: () => showPopover(),
  });
  // macOS: opening the app again (Finder, Spotlight) activates the running one instead of starting another.
  app.on('activate', () => showPopover());
  if (!locked) return null;
  // A tray app lives on without windows.
  app.on('window-all-closed', () => {});

  return app.whenReady().then(() => {
    if (platform === 'darwin') app.dock?.hide();
    // Windows attributes notifications (and lets users silence them) by this id, the installer's appId.
    if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    installApplicationMenu(electron.Menu, platform);
    // macOS says whether it started us at login only from `ready` on (the launch event is read then).
    const quietStart = startedAtLogin(argv, app.getLoginItemSettings().wasOpenedAtLogin ?? false);
    // Logs live with the rest of the app's data, rotated by size; the logger redacts before anything is written.
    const { sink } = createRotatingFileSink({ dir: join(app.getPath('userData'), 'logs') });
    const logger = createLogger(sink, { level: env.TFS_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
    logger.info('starting', {
      version: app.getVersion(),
      electron: process.versions.electron ?? null,
      platform,
      display,
    });
    if (appImageProblem)
      logger.warn('the AppImage desktop entry could not be written', { error: appImageProblem });

    const store = new DataStore((options.storeBackend ?? createElectronStoreBackend)(), logger);
    // Settings asked for XWayland and this start is native Wayland (the menu's entry has no switch): start again.
    if (wayland && store.settings.xwayland && !argv.includes(XWAYLAND_SWITCH)) {
      logger.info('restarting under XWayland, as Settings ask');
      app.relaunch({ args: [...argv.slice(1), XWAYLAND_SWITCH] });
      app.exit(0);
      return null;
    }
    const controller = new Controller({
      store,
      logger,
      discoverySources: options.discoverySources
        ? options.discoverySources(logger)
        : [
            createMdnsSource({ onError: (e) => logger.debug('mdns', { e }) }),
            createSsdpSource({ onError: (e) => logger.debug('ssdp', { e }) }),
          ],
      appVersion: app.getVersion(),
      electronVersion: process.versions.electron ?? null,
    });
    // After `ready`: on Linux the safeStorage backend is known only then.
    const makeAccount = options.createAccount === undefined ? sonosAccount : options.createAccount;
    const wiring = makeAccount ? makeAccount({ store, logger, electron, controller, platform }) : null;
    const updater = options.updates
      ? new Updater({
          ...options.updates,
          app,
          powerMonitor: electron.powerMonitor,
          platform,
          env,
          execPath: process.execPath,
          macSigned: () => macSigned(app.getPath('exe')),
          settings: () => controller.settings.updates,
          logger,
        })
      : null;

    // The popover and where it comes from. Only a development build may load another page (the dev server).
    const devUrl = app.isPackaged ? undefined : (options.devRendererUrl ?? env.ELECTRON_RENDERER_URL);
    const origin = devUrl ? originOf(devUrl) : APP_ORIGIN;
    // Album art is fetched here and served to the popover under app://popover/art/ (its CSP allows nothing else).
    const art = new ArtProxy({
      trust: controller.trust,
      onRefused: (url, reason) => logger.info('album art refused', { host: hostOf(url), reason }),
    });
    // In development the Vite dev server serves the page (its hot reload needs inline styles, so no CSP there).
    if (!devUrl) serveApp(electron.protocol, join(options.appDir, 'renderer'), (path) => art.serve(path));
    const popover = new PopoverWindow({
      createWindow: (windowOptions) => new electron.BrowserWindow(windowOptions),
      screen: electron.screen,
      preloadPath: join(options.appDir, 'preload/index.cjs'),
      url: devUrl ?? APP_URL,
      isOwnUrl: (url) => (devUrl ? originOf(url) === origin : isAppUrl(url)),
      platform,
      wayland,
      dark: () => electron.nativeTheme.shouldUseDarkColors,
      devTools: !app.isPackaged,
      onBroken: (reason) => logger.warn(reason),
    });
    electron.nativeTheme.on('updated', () => popover.themeChanged());

    // The tray, the hotkeys and MPRIS act on one group: the one the user chose, else the one that plays.
    const follower = new TargetFollower();
    const target = () => follower.current(controller.snapshot(), controller.settings);
    let lastStatus = '';
    // Set once the core exists; status changes before that are in the first `app:getStatus` answer anyway.
    let announceStatus: (status: ShellStatus) => void = () => {};
    const statusNow = (): ShellStatus => ({
      window: true,
      platform: platform === 'darwin' || platform === 'win32' || platform === 'linux' ? platform : 'other',
      displayServer: display,
      mediaKeys: mediaKeys.route(controller.settings),
      mpris: mediaKeys.mprisName(),
      signInScheme: scheme,
    });
    const statusChanged = (): void => {
      const status = statusNow();
      const key = JSON.stringify(status);
      if (key === lastStatus) return;
      lastStatus = key;
      announceStatus(status);
    };
    const mediaKeys = new MediaKeys({
      globalShortcut: electron.globalShortcut,
      systemPreferences: electron.systemPreferences,
      platform,
      wayland,
      controller,
      target,
      logger,
      env,
      raise: () => showPopover(),
      onChange: () => statusChanged(),
      ...(options.startMpris ? { startMpris: options.startMpris } : {}),
    });
    const hotkeys = mediaKeys.hotkeys;

    const loginWhere = { platform, env, execPath: process.execPath };
    const autostart = () => ({ xwayland: controller.settings.xwayland });
    let appliedHotkeys = '';
    let appliedXwayland = controller.settings.xwayland;
    const shellActions: ShellActions = {
      hidePopover: () => popover.hide(),
      openLink: (url) => openExternalSafely(electron.shell, url),
      copyText: (text) => {
        electron.clipboard.writeText(text);
        return true;
      },
      hotkeys: () => hotkeys.status(),
      status: () => statusNow(),
      requestAccessibility: () => {
        mediaKeys.requestAccessibility(controller.settings);
        return statusNow();
      },
      applySettings: (settings) => {
        const wanted = JSON.stringify([settings.hotkeys, settings.mediaKeys]);
        if (wanted !== appliedHotkeys) {
          appliedHotkeys = wanted;
          mediaKeys.apply(settings);
        }
        if (platform === 'linux' && settings.xwayland !== appliedXwayland) {
          appliedXwayland = settings.xwayland;
          try {
            if (settings.launchAtLogin) setLaunchAtLogin(true, app, loginWhere, autostart());
            ensureAppImageEntry(env, autostart());
          } catch (error) {
            logger.warn('the XWayland choice could not be written to the desktop entries', { error });
          }
        }
        if (settings.launchAtLogin !== launchAtLoginEnabled(app, loginWhere)) {
          try {
            setLaunchAtLogin(settings.launchAtLogin, app, loginWhere, autostart());
          } catch (error) {
            // The OS said no (a read-only autostart folder, a policy): keep the setting true to what happens.
            logger.warn('launch at login could not be changed', { error });
            controller.updateSettings({ launchAtLogin: launchAtLoginEnabled(app, loginWhere) });
            throw new AppError('unexpected', 'Launch at login could not be changed.', {
              retryable: true,
              details: { technical: error instanceof Error ? error.message : String(error) },
            });
          }
        }
        updater?.applySettings();
        refreshTray();
      },
    };
    const core = createAppCore({
      controller,
      account: wiring?.account ?? null,
      updates: updater,
      shell: shellActions,
      logger,
      art,
      ...(wiring?.setPopoverVisible ? { onPopoverVisible: wiring.setPopoverVisible } : {}),
      // The popover starts hidden: nothing is sent to it until it shows (then a snapshot, not a backlog).
      popoverVisible: false,
    });

    registerIpc(
      electron.ipcMain,
      core.router,
      { popover: () => popover.webContents(), origins: [origin!] },
      logger,
    );
    core.subscribe((event, payload) => sendEvent(popover.webContents(), event, payload, logger));
    announceStatus = (status) => core.emit('app:status', status);

    // The view asked for (tray menu, sign-in link) is sent once the popover is shown: the first time, its page is
    // still loading when the request comes.
    let requestedView: View | null = null;
    const open = (view: View): void => {
      requestedView = view;
      popover.show(tray.bounds(), { focus: true });
    };
    showPopover = () => open('main');
    popover.onShown(() => {
      core.emit('popover:shown', null);
      if (requestedView) core.emit('popover:navigate', { view: requestedView });
      requestedView = null;
      core.setPopoverVisible(true);
      // macOS: the Accessibility permission may have been granted in System Settings since.
      mediaKeys.recheck(controller.settings);
    });
    popover.onHidden(() => core.setPopoverVisible(false));

    const notifier = new TrackNotifier({
      createNotification: (content) => new electron.Notification(content as never),
      loadArt: async (url) => {
        const image = await loadNotificationArt(art, controller, url);
        return image ? electron.nativeImage.createFromBuffer(image.body) : null;
      },
      settings: () => controller.settings,
      popoverVisible: () => popover.isVisible(),
      onClick: () => open('main'),
    });

    const tray = new AppTrayHandle(electron, options.resourcesDir, platform, {
      togglePopover: (bounds) => popover.toggle(bounds),
      open,
      playPause: () => {
        const group = target();
        if (group) void controller.playback(group.id, 'togglePlayPause').catch(() => {});
      },
      signIn: () => {
        if (wiring) void wiring.account.signIn().catch(() => {});
        open('settings');
      },
      signOut: () => void wiring?.account.signOut().catch(() => {}),
      setLaunchAtLogin: (enabled) =>
        void core.router.handle('settings:update', { launchAtLogin: enabled }).then((result) => {
          if (!result.ok) logger.warn('launch at login from the tray failed', { error: result.error });
        }),
      quit: () => app.quit(),
      installUpdate: () => {
        try {
          updater?.install();
        } catch (error) {
          logger.warn('update install from the tray failed', { error });
        }
      },
    });
    logger.info('tray created');
    const refreshTray = (): void => {
      const snapshot = controller.snapshot();
      const group = target();
      const status = wiring?.account.state().status;
      tray.update(snapshot, group, {
        playing: group ? group.playback === 'playing' || group.playback === 'buffering' : null,
        account: !wiring ? 'unavailable' : status === 'signedIn' ? 'signedIn' : 'signedOut',
        launchAtLogin: controller.settings.launchAtLogin,
        update: updater?.state().status === 'ready' ? { version: updater.state().availableVersion } : null,
      });
    };
    controller.on('patch', () => {
      refreshTray();
      if (Notification_isSupported(electron)) notifier.update(controller.snapshot());
    });
    wiring?.account.onChange(() => refreshTray());
    updater?.onChange(() => refreshTray());

    // The OS is the truth about launch at login (the user may have changed it there).
    const atLogin = launchAtLoginEnabled(app, loginWhere);
    if (atLogin !== controller.settings.launchAtLogin) controller.updateSettings({ launchAtLogin: atLogin });
    appliedHotkeys = JSON.stringify([controller.settings.hotkeys, controller.settings.mediaKeys]);
    mediaKeys.apply(controller.settings);
    if (platform === 'linux' && controller.settings.xwayland) {
      try {
        ensureAppImageEntry(env, autostart());
      } catch (error) {
        logger.warn('the AppImage desktop entry could not be written', { error });
      }
    }
    refreshTray();

    // Callback URLs that arrived before we were ready, and every one after.
    deliver = (url) => {
      if (!wiring) {
        logger.warn('a sign-in callback arrived but sign-in is not available');
        return;
      }
      void wiring.account
        .submitCallback(url)
        .catch((error: unknown) => logger.warn('callback failed', { error }));
      open('settings');
    };
    for (const url of pendingUrls.splice(0)) deliver(url);

    electron.powerMonitor.on('resume', () => controller.rescan());
    controller.start();
    void updater?.start();
    if (!quietStart && store.knownPlayers().size === 0) {
      // First run: show where the app lives. Never at login, never stealing focus then.
      popover.show(tray.bounds(), { focus: true });
    }

    let stopped = false;
    app.on('before-quit', () => {
      if (stopped) return;
      stopped = true;
      void mediaKeys.dispose();
      notifier.dispose();
      updater?.dispose();
      wiring?.dispose?.();
      core.dispose();
      controller.stop();
      tray.destroy();
      logger.info('quit');
    });

    return {
      core,
      controller,
      popover,
      tray: tray.tray,
      hotkeys,
      mediaKeys,
      logger,
      updater,
      status: statusNow,
      quit: () => app.quit(),
    };
  });
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function Notification_isSupported(electron: ElectronModules): boolean {
  return electron.Notification.isSupported();
}
