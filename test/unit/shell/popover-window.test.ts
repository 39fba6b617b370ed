import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PopoverWindow, popoverWebPreferences } from '../../../main/shell/popover-window';
import {
  BrowserWindow,
  callsTo,
  isWayland,
  nativeTheme,
  platformOf,
  PROFILES,
  resetElectronFake,
  screen,
  settle,
  Tray,
  type ProfileName,
} from '../../fakes/electron';
import { fakeSession } from '../../fakes/session';

let now = 1_000;
function popover(profile: ProfileName, onBroken?: (reason: string) => void) {
  const created: BrowserWindow[] = [];
  const p = new PopoverWindow({
    createWindow: (options) => {
      const window = new BrowserWindow(options);
      Object.assign(window.webContents, { session: fakeSession() });
      created.push(window);
      return window as never;
    },
    screen: screen as never,
    preloadPath: '/app/out/preload/index.cjs',
    url: 'app://popover/index.html',
    isOwnUrl: (url) => url.startsWith('app://popover/'),
    platform: platformOf(profile),
    wayland: isWayland(),
    dark: () => nativeTheme.shouldUseDarkColors,
    devTools: false,
    now: () => now,
    ...(onBroken ? { onBroken } : {}),
  });
  return { p, created };
}

/** Where a Windows taskbar or a macOS menu bar has the icon (Linux reports no bounds). */
const TRAY = { x: 1800, y: 1045, width: 24, height: 30 };

describe.each(PROFILES)('PopoverWindow on %s', (profile) => {
  beforeEach(() => {
    resetElectronFake(profile);
    now = 1_000;
  });

  it('is frameless, hidden until ready, and locked down', () => {
    const { p, created } = popover(profile);
    p.create();
    const options = created[0]!.options;
    expect(options).toMatchObject({ show: false, frame: false, skipTaskbar: true, resizable: false });
    if (profile === 'darwin') expect(options.type).toBe('panel');
    expect(options.webPreferences).toEqual(popoverWebPreferences('/app/out/preload/index.cjs', false));
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(created[0]!.loadedUrl).toBe('app://popover/index.html');
  });

  it('shows once its page is ready — on Wayland too, where ready-to-show never comes for a hidden window', async () => {
    const { p, created } = popover(profile);
    p.toggle(TRAY);
    expect(created[0]!.visible).toBe(false);
    await settle();
    expect(created[0]!.visible).toBe(true);
    expect(p.isVisible()).toBe(true);
  });

  it('shows after a while even when neither ready-to-show nor the page load ever comes', async () => {
    vi.useFakeTimers();
    try {
      BrowserWindow.holdLoads = true;
      const { p, created } = popover(profile);
      p.show(TRAY);
      await vi.advanceTimersByTimeAsync(2_900);
      expect(created[0]!.visible).toBe(false);
      await vi.advanceTimersByTimeAsync(200);
      expect(created[0]!.visible).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a click elsewhere closes it where the desktop tells it; the tray and Escape/close button always do', async () => {
    const { p, created } = popover(profile);
    p.show(TRAY);
    await settle();
    const window = created[0]!;
    now += 1_000;
    window.userClicksElsewhere();
    // Wayland gave the popover no focus, so no blur comes: it stays until the user closes it.
    expect(p.isVisible()).toBe(isWayland());
    if (p.isVisible()) p.toggle(TRAY);
    expect(p.isVisible()).toBe(false);
    now += 1_000;
    p.toggle(TRAY);
    expect(p.isVisible()).toBe(true);
    // The page's close button and Escape both ask main to hide (the `popover:hide` channel).
    p.hide();
    expect(p.isVisible()).toBe(false);
    // Main does not intercept keys: the page knows whether Escape closes something inside first.
    expect(window.webContents.listenerCount('before-input-event')).toBe(0);
  });

  it('never asks Wayland for the focus (it would only flash the icon); elsewhere takes it back after the tray click', async () => {
    vi.useFakeTimers();
    try {
      const { p, created } = popover(profile);
      p.show(null);
      await vi.advanceTimersByTimeAsync(0);
      const window = created[0]!;
      expect(window.visible).toBe(true);
      // The tray click itself takes the focus on some desktops right after showing. (On Wayland the popover has
      // focus only if the user clicked into it.)
      window.userClicksInside();
      window.userClicksElsewhere();
      expect(p.isVisible()).toBe(true);
      await vi.advanceTimersByTimeAsync(200);
      expect(window.attentionRequests).toBe(0);
      expect(window.focused).toBe(!isWayland());
    } finally {
      vi.useRealTimers();
    }
  });

  it('is placed with setBounds at its own size (no drift with fractional scaling), and not at all on Wayland', async () => {
    screen.displays = screen.displays.map((d) => ({ ...d, scaleFactor: 1.25 }));
    screen.cursor = { x: 1500, y: 20 };
    const tray = new Tray('icon');
    tray.bounds = TRAY;
    const { p, created } = popover(profile);
    for (let i = 0; i < 3; i++) {
      p.show(tray.getBounds());
      await settle();
      p.hide();
      now += 1_000;
    }
    const window = created[0]!;
    expect(window.getBounds()).toMatchObject({ width: 360, height: 560 });
    if (isWayland()) {
      expect(callsTo('BrowserWindow', 'setBounds')).toEqual([]);
      expect(callsTo('BrowserWindow', 'setPosition')).toEqual([]);
    } else if (platformOf(profile) === 'linux') {
      // No tray bounds on Linux: it opens at the pointer.
      expect(window.getBounds()).toMatchObject({ x: 1320, y: 24 });
    } else {
      expect(window.getBounds()).toMatchObject({ x: 1556, y: 476 });
    }
  });

  it('a failing main page or a dying renderer is replaced at the next show; a failing subframe is not', async () => {
    const broken: string[] = [];
    const { p, created } = popover(profile, (reason) => broken.push(reason));
    p.create();
    created[0]!.webContents.failLoad(false);
    expect(created[0]!.destroyed).toBe(false);
    created[0]!.webContents.failLoad(true);
    expect(created[0]!.destroyed).toBe(true);
    p.show(TRAY);
    expect(created).toHaveLength(2);
    await settle();
    expect(created[1]!.visible).toBe(true);
    created[1]!.webContents.emit('render-process-gone');
    expect(created[1]!.destroyed).toBe(true);
    expect(p.isVisible()).toBe(false);
    expect(broken).toEqual(['the popover page did not load', 'the popover renderer went away']);
  });

  it('follows the system between light and dark, also for a window made later', async () => {
    const { p, created } = popover(profile);
    p.create();
    expect(created[0]!.backgroundColor).toBe('#f3f3f5');
    nativeTheme.setDark(true);
    p.themeChanged();
    expect(created[0]!.backgroundColor).toBe('#1c1c1f');
    created[0]!.destroy();
    p.create();
    expect(created[1]!.options.backgroundColor).toBe('#1c1c1f');
  });
});

describe('PopoverWindow where the desktop sends blur (macOS, Windows, X11)', () => {
  afterEach(() => vi.useRealTimers());

  for (const profile of ['darwin', 'win32', 'linux-x11'] as const) {
    it(`${profile}: a tray click that blurred the popover away does not reopen it`, async () => {
      resetElectronFake(profile);
      now = 1_000;
      const { p, created } = popover(profile);
      p.show(TRAY);
      await settle();
      now += 1_000;
      created[0]!.userClicksElsewhere(); // the click on the tray icon blurs first…
      now += 50;
      p.toggle(TRAY); // …then arrives as a tray click
      expect(p.isVisible()).toBe(false);
    });
  }
});

describe('PopoverWindow hardening', () => {
  it('denies new windows and navigation away from the popover, and every permission', () => {
    resetElectronFake('linux-x11');
    const { p, created } = popover('linux-x11');
    p.create();
    const contents = created[0]!.webContents;
    expect(contents.tryOpenWindow('https://example.org')).toBe('deny');
    const event = () => ({
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    });
    const away = event();
    contents.emit('will-navigate', away, 'https://example.org/');
    expect(away.prevented).toBe(true);
    const own = event();
    contents.emit('will-navigate', own, 'app://popover/index.html');
    expect(own.prevented).toBe(false);
    const webview = event();
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    const session = (contents as unknown as { session: ReturnType<typeof fakeSession> }).session;
    expect(session.askPermission('media')).toBe(false);
    expect(session.checkPermission('notifications')).toBe(false);
  });
});
