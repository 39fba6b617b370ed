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
import { targetGroup } from '../core/household/target-group';
import { createRotatingFileSink } from '../core/log-file';
import { createLogger, type Logger } from '../core/logger';
import { DataStore, type DocumentBackend } from '../core/store/data-store';
import type { View } from '../contract/model';
import { createSafeStorage, systemBrowser } from './account';
import { fetchArt } from './album-art';
import { openExternalSafely } from './external-links';
import { APP_ORIGIN, APP_URL, isAppUrl, registerAppScheme, serveApp } from './app-protocol';
import { setupDeepLinks } from './deep-links';
import { Hotkeys } from './hotkeys';
import { registerIpc, sendEvent, originOf } from './ipc';
import { launchAtLoginEnabled, setLaunchAtLogin, startedAtLogin } from './login-item';
import { PopoverWindow } from './popover-window';
import { createElectronStoreBackend } from './store';
import { TrackNotifier } from './track-notifier';
import { AppTray } from './tray';
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
  devRendererUrl?: string | undefined;
  argv?: string[];
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Test seams. */
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
  logger: Logger;
  updater: Updater | null;
  quit(): void;
}

/** Returns null when another instance runs (it got our URL and we quit), or after printing `--version`. */
export function startShell(electron: ElectronModules, options: ShellOptions): Promise<RunningShell> | null {
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
  const quietStart = startedAtLogin(argv, app.getLoginItemSettings().wasOpenedAtLogin ?? false);

  // Everything that must happen before `ready`.
  registerAppScheme(electron.protocol);
  const pendingUrls: string[] = [];
  let deliver: (url: string) => void = (url) => void pendingUrls.push(url);
  let showPopover: () => void = () => {};
  const locked = setupDeepLinks({
    app,
    argv,
    platform,
    defaultApp: Boolean((process as { defaultApp?: boolean }).defaultApp),
    execPath: process.execPath,
    appPath: argv[1],
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
    // Logs live with the rest of the app's data, rotated by size; the logger redacts before anything is written.
    const { sink } = createRotatingFileSink({ dir: join(app.getPath('userData'), 'logs') });
    const logger = createLogger(sink, { level: env.TFS_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
    logger.info('starting', {
      version: app.getVersion(),
      electron: process.versions.electron ?? null,
      platform,
    });

    const store = new DataStore((options.storeBackend ?? createElectronStoreBackend)(), logger);
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

    // The popover and where it comes from.
    const devUrl = options.devRendererUrl;
    const origin = devUrl ? originOf(devUrl) : APP_ORIGIN;
    // In development the Vite dev server serves the page (its hot reload needs inline styles, so no CSP there).
    if (!devUrl) serveApp(electron.protocol, join(options.appDir, 'renderer'));
    const popover = new PopoverWindow({
      createWindow: (windowOptions) => new electron.BrowserWindow(windowOptions),
      screen: electron.screen,
      preloadPath: join(options.appDir, 'preload/index.cjs'),
      url: devUrl ?? APP_URL,
      isOwnUrl: (url) => (devUrl ? originOf(url) === origin : isAppUrl(url)),
      platform,
      dark: electron.nativeTheme.shouldUseDarkColors,
      devTools: !app.isPackaged,
      onBroken: (reason) => logger.warn(reason),
    });

    // Hotkeys act on the group the user chose, else the playing one.
    const hotkeys = new Hotkeys(
      electron.globalShortcut,
      (action) => {
        const group = targetGroup(controller.snapshot(), controller.settings);
        if (!group) return;
        const step = controller.settings.hotkeyVolumeStep;
        const run =
          action === 'playPause'
            ? controller.playback(group.id, 'togglePlayPause')
            : action === 'next'
              ? controller.playback(group.id, 'skipToNextTrack')
              : action === 'previous'
                ? controller.playback(group.id, 'skipToPreviousTrack')
                : controller.adjustGroupVolume(group.id, action === 'volumeUp' ? step : -step);
        run.catch((error: unknown) => logger.info('hotkey action failed', { action, error }));
      },
      platform,
      () => (platform === 'darwin' ? electron.systemPreferences.isTrustedAccessibilityClient(false) : true),
    );

    const loginWhere = { platform, env, execPath: process.execPath };
    let appliedHotkeys = '';
    const shellActions: ShellActions = {
      hidePopover: () => popover.hide(),
      openLink: (url) => openExternalSafely(electron.shell, url),
      copyText: (text) => {
        electron.clipboard.writeText(text);
        return true;
      },
      hotkeys: () => hotkeys.status(),
      applySettings: (settings) => {
        const wanted = JSON.stringify(settings.hotkeys);
        if (wanted !== appliedHotkeys) {
          appliedHotkeys = wanted;
          hotkeys.apply(settings);
        }
        if (settings.launchAtLogin !== launchAtLoginEnabled(app, loginWhere)) {
          try {
            setLaunchAtLogin(settings.launchAtLogin, app, loginWhere);
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
    });
    popover.onHidden(() => core.setPopoverVisible(false));

    const notifier = new TrackNotifier({
      createNotification: (content) => new electron.Notification(content as never),
      loadArt: async (url) => {
        const bytes = await fetchArt(url);
        return bytes ? electron.nativeImage.createFromBuffer(bytes) : null;
      },
      settings: () => controller.settings,
      popoverVisible: () => popover.isVisible(),
      onClick: () => open('main'),
    });

    const tray = new AppTrayHandle(electron, options.resourcesDir, platform, {
      togglePopover: (bounds) => popover.toggle(bounds),
      open,
      playPause: () => {
        const group = targetGroup(controller.snapshot(), controller.settings);
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
      const group = targetGroup(snapshot, controller.settings);
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
    appliedHotkeys = JSON.stringify(controller.settings.hotkeys);
    hotkeys.apply(controller.settings);
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
      hotkeys.dispose();
      notifier.dispose();
      updater?.dispose();
      wiring?.dispose?.();
      core.dispose();
      controller.stop();
      tray.destroy();
      logger.info('quit');
    });

    return { core, controller, popover, tray: tray.tray, hotkeys, logger, updater, quit: () => app.quit() };
  });
}

function Notification_isSupported(electron: ElectronModules): boolean {
  return electron.Notification.isSupported();
}

/** Builds the tray from Electron's classes; keeps the icon's bounds at hand for positioning the popover. */
class AppTrayHandle {
  readonly tray: AppTray;
  private electronTray: Electron.Tray | null = null;

  constructor(
    electron: ElectronModules,
    resourcesDir: string,
    platform: NodeJS.Platform,
    actions: ConstructorParameters<typeof AppTray>[1],
  ) {
    this.tray = new AppTray(
      {
        createTray: (iconPath) => {
          const image = electron.nativeImage.createFromPath(iconPath);
          if (platform === 'darwin') image.setTemplateImage(true);
          this.electronTray = new electron.Tray(image);
          return this.electronTray as never;
        },
        buildMenu: (template) => electron.Menu.buildFromTemplate(template),
        platform,
        resourcesDir,
      },
      actions,
    );
  }

  bounds(): Electron.Rectangle | null {
    return this.electronTray?.getBounds() ?? null;
  }

  update(...args: Parameters<AppTray['update']>): void {
    this.tray.update(...args);
  }

  destroy(): void {
    this.tray.destroy();
  }
}
