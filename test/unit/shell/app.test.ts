/**
 * The whole Electron app, composed by `startShell` against the fake `electron` module — under each desktop profile
 * the fake knows (macOS, Windows, Linux on X11 and on Wayland), since what works differs between them.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShellStatus } from '../../../main/contract/model';
import { TRANSPORT } from '../../../main/contract/transport';
import type { AccountService } from '../../../main/core/account/account-service';
import type { MprisOptions } from '../../../main/core/mpris/mpris-service';
import { MPRIS_NAME } from '../../../main/core/mpris/mpris-state';
import { memoryBackend, type DocumentBackend } from '../../../main/core/store/data-store';
import { startShell, type ElectronModules, type ShellOptions } from '../../../main/shell/app';
import { DESKTOP_FILE } from '../../../main/shell/appimage-entry';
import { APP_SCHEME } from '../../../main/shell/deep-links';
import { AUTOSTART_FILE } from '../../../main/shell/login-item';
import * as fake from '../../fakes/electron';
import { sampleAccountState } from '../../support/samples';

const electron = fake as unknown as ElectronModules;
const MEDIA = ['MediaPlayPause', 'MediaNextTrack', 'MediaPreviousTrack'];

function fakeAccount(): AccountService & { urls: string[] } {
  const urls: string[] = [];
  const state = sampleAccountState();
  return {
    urls,
    state: () => state,
    onChange: () => () => {},
    configure: async () => state,
    signIn: async () => state,
    cancelSignIn: async () => state,
    submitCallback: async (url) => {
      urls.push(url);
      return state;
    },
    signOut: async () => state,
    setInsecureStorage: async () => state,
  };
}

interface Setup {
  env: NodeJS.ProcessEnv;
  mpris: { started: MprisOptions[]; stopped: number };
  visibility: boolean[];
  backend: DocumentBackend;
}
let setup: Setup;

function options(extra: Partial<ShellOptions> = {}): ShellOptions {
  return {
    appDir: '/opt/tray-for-sonos/resources/app/out',
    resourcesDir: '/opt/tray-for-sonos/resources/tray',
    argv: ['/opt/tray-for-sonos'],
    platform: fake.platformOf(),
    env: setup.env,
    storeBackend: () => setup.backend,
    discoverySources: () => [],
    createAccount: null,
    startMpris: async (mprisOptions) => {
      setup.mpris.started.push(mprisOptions);
      return { name: MPRIS_NAME, stop: async () => void (setup.mpris.stopped += 1) };
    },
    ...extra,
  };
}

async function start(
  extra: Partial<ShellOptions> = {},
  account: ReturnType<typeof fakeAccount> | null = null,
) {
  const running = startShell(electron, {
    ...options(extra),
    ...(account
      ? { createAccount: () => ({ account, setPopoverVisible: (visible) => setup.visibility.push(visible) }) }
      : {}),
  });
  expect(running).not.toBeNull();
  fake.app.markReady();
  const shell = await running!;
  await fake.settle();
  return shell!;
}

function popoverWindow(): fake.BrowserWindow {
  return fake.BrowserWindow.instances.at(-1)!;
}

function invoke(channel: string, payload?: unknown): Promise<unknown> {
  return fake.ipcMain.invoke(popoverWindow().webContents, TRANSPORT.invoke, channel, payload);
}

function eventsSent(name: string): unknown[] {
  return popoverWindow()
    .webContents.sent.map((m) => m.args[0] as { event: string; payload: unknown })
    .filter((e) => e.event === name)
    .map((e) => e.payload);
}

function freshSetup(profile: fake.ProfileName): void {
  fake.resetElectronFake(profile);
  fake.app.paths.userData = mkdtempSync(join(tmpdir(), 'tfs-data-'));
  const home = mkdtempSync(join(tmpdir(), 'tfs-home-'));
  // The Electron process and the app see the same environment, as they would.
  setup = {
    env: {
      ...fake.sessionEnv(profile),
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_DATA_DIRS: join(home, 'system-share'),
    },
    mpris: { started: [], stopped: 0 },
    visibility: [],
    backend: memoryBackend(),
  };
  fake.app.env = setup.env;
}

describe.each(fake.PROFILES)('startShell on %s', (profile) => {
  beforeEach(() => freshSetup(profile));
  const linux = fake.platformOf(profile) === 'linux';

  it('registers the app scheme and the single-instance lock before ready', () => {
    startShell(electron, options());
    expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(fake.callsTo('app', 'requestSingleInstanceLock')).toHaveLength(1);
    expect(fake.callsTo('app', 'setAsDefaultProtocolClient')[0]!.args[0]).toBe(APP_SCHEME);
    expect(fake.app.listenerCount('open-url')).toBe(1);
    // Wayland: global shortcuts need the portal, switched on before `ready`.
    expect(fake.app.commandLine.getSwitchValue('enable-features').includes('GlobalShortcutsPortal')).toBe(
      fake.isWayland(),
    );
  });

  it('returns null and quits when another instance runs', () => {
    fake.app.singleInstanceLock = false;
    expect(startShell(electron, options())).toBeNull();
    expect(fake.callsTo('app', 'quit')).toHaveLength(1);
  });

  it('wires tray, popover, IPC, media keys and the app protocol; the first run shows the popover', async () => {
    const shell = await start();
    expect(fake.Tray.instances).toHaveLength(1);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(fake.ipcMain.handlers.has(TRANSPORT.invoke)).toBe(true);
    // Media keys: global shortcuts on macOS and Windows, the desktop's MPRIS on Linux.
    for (const key of MEDIA) expect(fake.globalShortcut.isRegistered(key)).toBe(!linux);
    expect(setup.mpris.started).toHaveLength(linux ? 1 : 0);
    // First run: the popover opens once its page is ready — on Wayland too — so the user sees where the app lives.
    const window = popoverWindow();
    expect(window.loadedUrl).toBe('app://popover/index.html');
    expect(window.visible).toBe(true);

    await expect(invoke('settings:get')).resolves.toMatchObject({ ok: true, value: { hotkeyVolumeStep: 5 } });
    const stranger = new fake.FakeWebContents('app://popover/index.html');
    await expect(
      fake.ipcMain.invoke(stranger, TRANSPORT.invoke, 'settings:get', undefined),
    ).resolves.toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });

    // Settings the shell applies: the old shortcut is withdrawn (on Wayland only unregisterAll can), the new one set.
    await invoke('settings:update', { hotkeys: { volumeUp: 'F15' } });
    expect(fake.globalShortcut.isRegistered('F15')).toBe(true);
    expect(fake.globalShortcut.isRegistered('Alt+Shift+Up')).toBe(false);

    shell.core.emit('popover:navigate', { view: 'settings' });
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: TRANSPORT.event,
      args: [{ event: 'popover:navigate', payload: { view: 'settings' } }],
    });

    fake.app.quit();
    await shell.mediaKeys.settled();
    expect(fake.globalShortcut.registered.size).toBe(0);
    expect(setup.mpris.stopped).toBe(linux ? 1 : 0);
  });

  it('logs to the user data folder', async () => {
    await start();
    const log = readFileSync(join(fake.app.paths.userData!, 'logs', 'tray-for-sonos.log'), 'utf8');
    expect(log).toMatch(/INFO starting/);
  });

  it('a view asked for before the popover is up arrives once it is shown (tray menu, sign-in link)', async () => {
    await start({ argv: ['/opt/tray-for-sonos', '--hidden'] });
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    // Linux hosts show the attached menu; macOS and Windows pop it up on right-click.
    const menu = linux ? fake.Tray.instances[0]!.contextMenu! : menuOnRightClick();
    menu.item('Settings…')!.click!();
    expect(popoverWindow().webContents.sent).toEqual([]);
    await fake.settle();
    expect(popoverWindow().visible).toBe(true);
    const events = popoverWindow().webContents.sent.map((m) => (m.args[0] as { event: string }).event);
    expect(events.filter((e) => e.startsWith('popover:'))).toEqual(['popover:shown', 'popover:navigate']);
    expect(eventsSent('popover:navigate')).toEqual([{ view: 'settings' }]);
  });

  it('opening the running app again shows the popover (macOS activate, a second launch elsewhere)', async () => {
    await start({ argv: ['/opt/tray-for-sonos', '--hidden'] });
    if (profile === 'darwin') fake.app.emit('activate');
    else fake.app.emit('second-instance', {}, ['/opt/tray-for-sonos']);
    await fake.settle();
    expect(popoverWindow().visible).toBe(true);
  });

  it('stays hidden when started at login', async () => {
    await start({ argv: ['/opt/tray-for-sonos', '--hidden'] });
    expect(fake.BrowserWindow.instances.some((w) => w.visible)).toBe(false);
  });

  it('hands callback URLs from argv, open-url and second instances to the account', async () => {
    const account = fakeAccount();
    const url = `${APP_SCHEME}://oauth/callback?code=made-up&state=s`;
    await start({ argv: ['/opt/tray-for-sonos', url] }, account);
    fake.app.emit('open-url', { preventDefault() {} }, `${url}2`);
    fake.app.emit('second-instance', {}, ['/opt/tray-for-sonos', `${url}3`]);
    await vi.waitFor(() => expect(account.urls).toEqual([url, `${url}2`, `${url}3`]));
  });

  it('tells the account when the popover opens and closes (cloud polling runs only then)', async () => {
    await start({}, fakeAccount());
    popoverWindow().hide();
    expect(setup.visibility).toEqual([true, false]);
  });

  it('sends a hidden popover no household patches, and a snapshot when it shows again', async () => {
    const shell = await start();
    const window = fake.BrowserWindow.instances[0]!;
    window.emit('ready-to-show');
    const events = () => window.webContents.sent.map((m) => (m.args[0] as { event: string }).event);
    window.hide();
    window.webContents.sent.length = 0;
    shell.controller.model.ensureHousehold('Sonos_Hidden.Household');
    shell.controller.model.setDiscovery('idle');
    await new Promise((resolve) => setImmediate(resolve));
    expect(events()).toEqual([]);
    shell.popover.show(null, { focus: true });
    expect(events()).toContain('household:snapshot');
    expect(events()).not.toContain('household:patch');
    const snapshot = window.webContents.sent
      .map((m) => m.args[0] as { event: string; payload: { households: object } })
      .find((m) => m.event === 'household:snapshot')!.payload;
    expect(Object.keys(snapshot.households)).toEqual(['Sonos_Hidden.Household']);
  });

  it('wires the real Sonos account by default, its secrets sealed with safeStorage', async () => {
    const { createAccount: _none, ...withDefaultAccount } = options();
    const running = startShell(electron, withDefaultAccount);
    fake.app.markReady();
    await running;
    await fake.settle();
    const state = await invoke('account:getState');
    expect(state).toMatchObject({
      ok: true,
      value: { status: 'signedOut', storage: 'encrypted', canEncrypt: true },
    });
    fake.app.quit();
  });

  it('no application menu shortcut reaches the popover (Ctrl+W, Ctrl+R, Ctrl+Q); macOS keeps Cmd+V for pasting', async () => {
    await start();
    const window = popoverWindow();
    window.userClicksInside();
    if (fake.isWayland()) expect(window.focused).toBe(true);
    for (const keys of ['CommandOrControl+W', 'CommandOrControl+R', 'CommandOrControl+Q'])
      expect(window.pressShortcut(keys), keys).toBeNull();
    expect(window.destroyed).toBe(false);
    expect(fake.callsTo('app', 'quit')).toEqual([]);
    expect(window.pressShortcut('CommandOrControl+V')).toBe('pasted');
  });

  it('loads the dev server page only when not packaged (ELECTRON_RENDERER_URL)', async () => {
    setup.env.ELECTRON_RENDERER_URL = 'http://127.0.0.1:5173/';
    fake.app.isPackaged = true;
    await start();
    expect(popoverWindow().loadedUrl).toBe('app://popover/index.html');
    freshSetup(profile);
    setup.env.ELECTRON_RENDERER_URL = 'http://127.0.0.1:5173/';
    await start();
    expect(popoverWindow().loadedUrl).toBe('http://127.0.0.1:5173/');
  });

  it('the popover background follows the system theme', async () => {
    await start();
    const window = popoverWindow();
    expect(window.backgroundColor).toBe('#f3f3f5');
    fake.nativeTheme.setDark(true);
    expect(window.backgroundColor).toBe('#1c1c1f');
  });

  it('tells the popover what works here: media keys, MPRIS, the sign-in scheme', async () => {
    await start();
    const reply = (await invoke('app:getStatus')) as { ok: true; value: ShellStatus };
    expect(reply.ok).toBe(true);
    const status = reply.value;
    expect(status).toMatchObject({
      window: true,
      platform: fake.platformOf(profile),
      displayServer: linux ? (fake.isWayland() ? 'wayland' : 'x11') : null,
      mediaKeys: linux ? 'mpris' : 'shortcuts',
      mpris: linux ? MPRIS_NAME : null,
    });
    // A development build: macOS and Linux (no installed desktop entry) refuse the scheme, and say why.
    expect(status.signInScheme!.registered).toBe(profile === 'win32');
    if (profile !== 'win32') expect(status.signInScheme!.reason).toMatch(/\S/);

    // Diagnostics tell a registered shortcut from one a Wayland desktop was only asked for.
    const report = (await invoke('diagnostics:copyReport')) as { ok: true; value: { text: string } };
    expect(report.value.text).toContain(
      `volumeUp: Alt+Shift+Up ${fake.isWayland() ? 'requested from the desktop' : 'registered'}`,
    );

    // The Media keys setting off frees them for other players.
    await invoke('settings:update', { mediaKeys: false });
    await fake.settle();
    for (const key of MEDIA) expect(fake.globalShortcut.isRegistered(key)).toBe(false);
    if (linux) expect(setup.mpris.stopped).toBe(1);
    expect(eventsSent('app:status').at(-1)).toMatchObject({ mediaKeys: 'off', mpris: null });
  });

  it('a quick second click on the tray closes the popover the first opened (double-click on macOS and Windows)', async () => {
    await start({ argv: ['/opt/tray-for-sonos', '--hidden'] });
    const tray = fake.Tray.instances[0]!;
    tray.bounds = { x: 1800, y: 1045, width: 24, height: 30 };
    if (linux) return; // no clicks reach the app there: the menu has Open, the popover a close button
    tray.userClick(10_000);
    await fake.settle();
    expect(popoverWindow().visible).toBe(true);
    tray.userClick(10_200);
    expect(popoverWindow().visible).toBe(false);
  });
});

function menuOnRightClick(): fake.Menu {
  fake.Tray.instances[0]!.userRightClick();
  return fake.callsTo('Tray', 'popUpContextMenu').at(-1)!.args[0] as fake.Menu;
}

describe('startShell on macOS', () => {
  beforeEach(() => freshSetup('darwin'));

  it('started at login (the OS says so once ready): no popover, even on the first run', async () => {
    fake.app.openedAtLoginByOs = true;
    await start();
    expect(fake.BrowserWindow.instances.some((w) => w.visible)).toBe(false);
  });

  it('without the Accessibility permission: media keys wait, Settings can ask macOS, and they work once allowed', async () => {
    fake.systemPreferences.trustedAccessibility = false;
    fake.app.isPackaged = true;
    await start();
    for (const key of MEDIA) expect(fake.globalShortcut.isRegistered(key)).toBe(false);
    expect(await invoke('app:getStatus')).toMatchObject({
      ok: true,
      value: { mediaKeys: 'needs-permission' },
    });

    // The Settings button: macOS shows its prompt; the user allows the app in System Settings later.
    await expect(invoke('app:requestAccessibility')).resolves.toMatchObject({
      ok: true,
      value: { mediaKeys: 'needs-permission' },
    });
    expect(fake.systemPreferences.accessibilityPrompts).toBe(1);
    fake.systemPreferences.trustedAccessibility = true;
    // Next time the popover opens, the keys are registered and the popover told.
    popoverWindow().hide();
    fake.app.emit('activate');
    await fake.settle();
    for (const key of MEDIA) expect(fake.globalShortcut.isRegistered(key)).toBe(true);
    expect(eventsSent('app:status').at(-1)).toMatchObject({ mediaKeys: 'shortcuts' });
  });
});

describe('startShell on Windows', () => {
  beforeEach(() => freshSetup('win32'));

  it('respects a user who disabled the app in Task Manager', async () => {
    fake.app.setLoginItemSettings({ openAtLogin: true, args: ['--hidden'] });
    fake.app.disableInTaskManager();
    await start();
    await expect(invoke('settings:get')).resolves.toMatchObject({
      ok: true,
      value: { launchAtLogin: false },
    });
    const before = fake.callsTo('app', 'setLoginItemSettings').length;
    await invoke('settings:update', { hotkeyVolumeStep: 7 });
    expect(fake.callsTo('app', 'setLoginItemSettings')).toHaveLength(before);
  });

  it('in development (`electron .`) registers the scheme with the absolute app path', async () => {
    await start({
      argv: ['C:\\src\\node_modules\\electron\\dist\\electron.exe', '.'],
      defaultApp: true,
      cwd: 'C:\\src',
    });
    expect(fake.app.protocolCommandWorks(APP_SCHEME)).toBe(true);
  });
});

describe('startShell on Linux', () => {
  it('an AppImage writes its own desktop entry with the scheme, so the sign-in scheme can be registered', async () => {
    freshSetup('linux-x11');
    setup.env.APPIMAGE = '/home/me/Apps/Tray for Sonos.AppImage';
    await start();
    const entry = readFileSync(join(setup.env.XDG_DATA_HOME!, 'applications', DESKTOP_FILE), 'utf8');
    expect(entry).toContain('MimeType=x-scheme-handler/io.github.trayforsonos;');
    expect(entry).toContain('Exec="/home/me/Apps/Tray for Sonos.AppImage" %U');
    expect(DESKTOP_FILE).toBe(fake.app.desktopName);
    expect(await invoke('app:getStatus')).toMatchObject({
      ok: true,
      value: { signInScheme: { registered: true } },
    });
  });

  it('Wayland: the XWayland setting restarts the app with --ozone-platform=x11 and goes into the autostart entry', async () => {
    freshSetup('linux-wayland');
    await start();
    await invoke('settings:update', { launchAtLogin: true, xwayland: true });
    const autostart = readFileSync(join(setup.env.XDG_CONFIG_HOME!, 'autostart', AUTOSTART_FILE), 'utf8');
    expect(autostart).toContain('--hidden --ozone-platform=x11');
    // The next start (the menu's entry has no switch) restarts itself under XWayland.
    const backend = setup.backend;
    freshSetup('linux-wayland');
    setup.backend = backend;
    const running = startShell(electron, options());
    fake.app.markReady();
    expect(await running).toBeNull();
    expect(fake.callsTo('app', 'relaunch')[0]!.args[0]).toEqual({ args: ['--ozone-platform=x11'] });
    expect(fake.callsTo('app', 'exit')).toHaveLength(1);
    expect(existsSync(join(setup.env.XDG_CONFIG_HOME!, 'autostart'))).toBe(false);
  });
});
