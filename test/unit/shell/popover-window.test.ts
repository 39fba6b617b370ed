import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PopoverWindow, popoverWebPreferences } from '../../../main/shell/popover-window';
import { BrowserWindow, resetElectronFake, screen } from '../../fakes/electron';
import { fakeSession } from '../../fakes/session';

let now = 1_000;
function popover(platform: NodeJS.Platform = 'darwin', onBroken?: (reason: string) => void) {
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
    platform,
    dark: false,
    devTools: false,
    now: () => now,
    ...(onBroken ? { onBroken } : {}),
  });
  return { p, created };
}

const TRAY = { x: 1800, y: 1045, width: 24, height: 30 };

describe('PopoverWindow', () => {
  beforeEach(() => {
    resetElectronFake();
    now = 1_000;
  });

  it('is frameless, off the taskbar, hidden until ready, and locked down', () => {
    const { p, created } = popover();
    p.create();
    const options = created[0]!.options;
    expect(options).toMatchObject({
      show: false,
      frame: false,
      skipTaskbar: true,
      resizable: false,
      type: 'panel',
    });
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

  it('waits for ready-to-show, then shows next to the tray', () => {
    const { p, created } = popover('win32');
    p.toggle(TRAY);
    const window = created[0]!;
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    expect(window.getBounds()).toMatchObject({ x: 1556, y: 476 });
  });

  it('hides on blur and toggles; Escape is left to the page', () => {
    const { p, created } = popover();
    p.create();
    const window = created[0]!;
    window.emit('ready-to-show');
    p.toggle(TRAY);
    expect(p.isVisible()).toBe(true);
    now += 1_000;
    window.blur();
    expect(p.isVisible()).toBe(false);

    now += 1_000;
    p.toggle(TRAY);
    // Main does not intercept keys: the page knows whether Escape closes something inside first.
    expect(window.webContents.listenerCount('before-input-event')).toBe(0);
    p.toggle(TRAY);
    expect(p.isVisible()).toBe(false);
  });

  it('a page that fails to load or a renderer that dies is replaced at the next show', () => {
    const broken: string[] = [];
    const { p, created } = popover('linux', (reason) => broken.push(reason));
    p.create();
    created[0]!.webContents.emit('did-fail-load');
    expect(created[0]!.destroyed).toBe(true);
    p.show(TRAY);
    expect(created).toHaveLength(2);
    created[1]!.emit('ready-to-show');
    expect(created[1]!.visible).toBe(true);
    created[1]!.webContents.emit('render-process-gone');
    expect(created[1]!.destroyed).toBe(true);
    expect(p.isVisible()).toBe(false);
    expect(broken).toEqual(['the popover page did not load', 'the popover renderer went away']);
  });

  it('a tray click that blurred the popover away does not reopen it', () => {
    const { p, created } = popover();
    p.create();
    created[0]!.emit('ready-to-show');
    p.toggle(TRAY);
    now += 1_000;
    created[0]!.blur(); // the click on the tray icon blurs first…
    now += 50;
    p.toggle(TRAY); // …then arrives as a tray click
    expect(p.isVisible()).toBe(false);
  });

  it('ignores the blur that comes with showing it, then takes the focus back; can show without focus', async () => {
    vi.useFakeTimers();
    try {
      const { p, created } = popover('linux');
      p.create();
      created[0]!.emit('ready-to-show');
      p.show(null, { focus: false });
      expect(created[0]!.visible).toBe(true);
      expect(created[0]!.focused).toBe(false);
      created[0]!.blur();
      expect(p.isVisible()).toBe(true);
      await vi.advanceTimersByTimeAsync(200);
      expect(created[0]!.focused).toBe(true);
      // Now a click elsewhere blurs it and it closes.
      now += 1_000;
      created[0]!.blur();
      expect(p.isVisible()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('denies new windows and navigation away from the popover, and every permission', () => {
    const { p, created } = popover();
    p.create();
    const contents = created[0]!.webContents;
    expect(contents.tryOpenWindow('https://example.org')).toBe('deny');
    const navigation = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.emit('will-navigate', navigation, 'https://example.org/');
    expect(navigation.prevented).toBe(true);
    const own = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.emit('will-navigate', own, 'app://popover/index.html');
    expect(own.prevented).toBe(false);
    const webview = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    const session = (contents as unknown as { session: ReturnType<typeof fakeSession> }).session;
    expect(session.askPermission('media')).toBe(false);
    expect(session.checkPermission('notifications')).toBe(false);
  });
});
