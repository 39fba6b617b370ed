/**
 * The fake `electron` itself: each desktop profile behaves as the sources cited in test/fakes/electron/ say. The
 * shell's tests lean on these behaviours, so a fake that drifts kinder would fail here first.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  app,
  BrowserWindow,
  globalShortcut,
  Menu,
  Notification,
  PROFILES,
  resetElectronFake,
  screen,
  settle,
  systemPreferences,
  Tray,
  type ProfileName,
} from '../../fakes/electron';

const wayland = (p: ProfileName) => p === 'linux-wayland';
const linux = (p: ProfileName) => p === 'linux-x11' || p === 'linux-wayland';

describe.each(PROFILES)('the fake electron on %s', (profile) => {
  beforeEach(() => resetElectronFake(profile));

  it('a hidden window reports ready-to-show once loaded, except on Wayland (until it is shown)', async () => {
    const window = new BrowserWindow({ show: false });
    const events: string[] = [];
    window.on('ready-to-show', () => events.push('ready-to-show'));
    window.webContents.on('did-finish-load', () => events.push('did-finish-load'));
    await window.loadURL('app://popover/index.html');
    expect(events).toEqual(wayland(profile) ? ['did-finish-load'] : ['did-finish-load', 'ready-to-show']);
    window.show();
    expect(events.at(-1)).toBe('ready-to-show');
  });

  it('places, raises and focuses windows only where the window system lets an app', async () => {
    const window = new BrowserWindow({ alwaysOnTop: true, skipTaskbar: true });
    window.setPosition(100, 200);
    expect(window.getBounds()).toMatchObject(wayland(profile) ? { x: 0, y: 0 } : { x: 100, y: 200 });
    expect(window.alwaysOnTop).toBe(!wayland(profile));
    expect(window.inTaskbar).toBe(linux(profile));
    window.showInactive();
    expect(window.visible).toBe(!wayland(profile));
    window.show();
    expect(window.focused).toBe(!wayland(profile));
    screen.cursor = { x: 5, y: 6 };
    expect(screen.getCursorScreenPoint()).toEqual(wayland(profile) ? { x: 0, y: 0 } : { x: 5, y: 6 });
  });

  it('the tray reports bounds and clicks only on macOS and Windows; a quick second click is a double-click', () => {
    const tray = new Tray('icon');
    tray.bounds = { x: 10, y: 0, width: 20, height: 20 };
    const events: string[] = [];
    for (const name of ['click', 'double-click']) tray.on(name, () => events.push(name));
    tray.userClick(1_000);
    tray.userClick(1_200);
    tray.userClick(5_000);
    expect(tray.getBounds().width).toBe(linux(profile) ? 0 : 20);
    expect(events).toEqual(linux(profile) ? [] : ['click', 'double-click', 'click']);
  });

  it('global shortcuts: only after ready; media keys need trust on macOS; Wayland needs the portal and keeps bindings', () => {
    expect(() => globalShortcut.register('F1', () => {})).toThrow();
    app.markReady();
    systemPreferences.trustedAccessibility = false;
    const plain = globalShortcut.register('F1', () => {});
    const media = globalShortcut.register('MediaPlayPause', () => {});
    expect(plain).toBe(!wayland(profile));
    expect(media).toBe(profile !== 'darwin' && !wayland(profile));
    if (wayland(profile)) {
      app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');
      globalShortcut.taken.add('F2');
      expect(globalShortcut.register('F2', () => {})).toBe(true); // answered before the portal decides
      globalShortcut.unregister('F2');
      expect(globalShortcut.isRegistered('F2')).toBe(true);
      globalShortcut.unregisterAll();
      expect(globalShortcut.isRegistered('F2')).toBe(false);
    }
    expect(systemPreferences.isTrustedAccessibilityClient === undefined).toBe(profile !== 'darwin');
  });

  it('notifications: unsigned macOS builds fail; the same id replaces (macOS, Windows); close is unreliable on Windows', async () => {
    const failed: string[] = [];
    const first = new Notification({ id: 'track', title: 'One' });
    first.on('failed', () => failed.push('one'));
    first.show();
    await settle();
    if (profile === 'darwin') {
      expect(failed).toEqual(['one']);
      app.isPackaged = true;
    }
    const a = new Notification({ id: 'track', title: 'A' });
    a.show();
    new Notification({ id: 'track', title: 'B' }).show();
    const titles = Notification.center.map((n) => n.options.title);
    if (linux(profile)) expect(titles.slice(-2)).toEqual(['A', 'B']);
    else expect(titles).toEqual(['B']);
    const shown = Notification.center.length;
    Notification.center.at(-1)!.close();
    expect(Notification.center).toHaveLength(profile === 'win32' ? shown : shown - 1);
  });

  it('the default menu (installed at ready) closes, reloads and quits from a focused window', () => {
    app.markReady();
    const window = new BrowserWindow();
    window.show();
    window.userClicksInside();
    expect(window.pressShortcut('CommandOrControl+R')).toBe('reloaded');
    expect(window.pressShortcut('CommandOrControl+Q')).toBe(profile === 'win32' ? null : 'quit');
    expect(window.pressShortcut('CommandOrControl+W')).toBe('closed');
    Menu.setApplicationMenu(null);
    const other = new BrowserWindow();
    other.show();
    other.userClicksInside();
    expect(other.pressShortcut('CommandOrControl+W')).toBeNull();
    expect(other.pressShortcut('CommandOrControl+V')).toBe(profile === 'darwin' ? null : 'pasted');
  });

  it('the sign-in scheme: macOS only for a packaged app, Linux only with the desktop entry installed', () => {
    const home = mkdtempSync(join(tmpdir(), 'tfs-fake-'));
    app.env = { XDG_DATA_HOME: home, XDG_DATA_DIRS: join(home, 'none') };
    const before = app.setAsDefaultProtocolClient('io.github.trayforsonos');
    expect(before).toBe(profile === 'win32');
    mkdirSync(join(home, 'applications'));
    writeFileSync(join(home, 'applications', app.desktopName), '[Desktop Entry]\n');
    app.isPackaged = true;
    expect(app.setAsDefaultProtocolClient('io.github.trayforsonos')).toBe(true);
  });

  it('wasOpenedAtLogin (macOS) is known only from ready on', () => {
    app.openedAtLoginByOs = true;
    expect(app.getLoginItemSettings().wasOpenedAtLogin).toBe(false);
    app.markReady();
    expect(app.getLoginItemSettings().wasOpenedAtLogin).toBe(profile === 'darwin');
  });
});
