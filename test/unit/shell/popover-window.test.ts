import { beforeEach, describe, expect, it } from 'vitest';
import { PopoverWindow, popoverWebPreferences } from '../../../main/shell/popover-window';
import { BrowserWindow, resetElectronFake, screen } from '../../fakes/electron';
import { fakeSession } from '../../fakes/session';

let now = 1_000;
function popover(platform: NodeJS.Platform = 'darwin') {
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

  it('hides on blur and on Escape, and toggles', () => {
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
    const prevented: boolean[] = [];
    window.webContents.emit(
      'before-input-event',
      { preventDefault: () => prevented.push(true) },
      { type: 'keyDown', key: 'Escape' },
    );
    expect(p.isVisible()).toBe(false);
    expect(prevented).toEqual([true]);

    now += 1_000;
    p.toggle(TRAY);
    p.toggle(TRAY);
    expect(p.isVisible()).toBe(false);
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

  it('ignores the blur that comes with showing it, and can show without taking focus', () => {
    const { p, created } = popover('linux');
    p.create();
    created[0]!.emit('ready-to-show');
    p.show(null, { focus: false });
    expect(created[0]!.visible).toBe(true);
    expect(created[0]!.focused).toBe(false);
    created[0]!.blur();
    expect(p.isVisible()).toBe(true);
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
