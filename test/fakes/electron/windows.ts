/**
 * BrowserWindow and its web contents. Pages load on their own (a microtask after `loadURL`), then fire what
 * Electron fires on this desktop — which on Wayland is not `ready-to-show`. Position, focus and stacking follow
 * what each platform's window system allows.
 */
import { EventEmitter } from 'node:events';
import { app } from './app';
import { roleForAccelerator } from './menu';
import { isLinux, isMac, isWayland, isWindows } from './platform';
import { record, type Rectangle } from './record';
import { screen } from './services';
import { fakeSession } from '../session';

let nextWebContentsId = 1;

export class FakeWebFrameMain {
  constructor(
    public url: string,
    public readonly routingId = 1,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly mainFrame: FakeWebFrameMain;
  session = fakeSession();
  destroyed = false;
  reloads = 0;
  pastes = 0;
  private windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;

  constructor(url = '') {
    super();
    this.mainFrame = new FakeWebFrameMain(url);
  }
  send(channel: string, ...args: unknown[]): void {
    record('webContents', 'send', [channel, ...args]);
    this.sent.push({ channel, args });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    record('webContents', 'setWindowOpenHandler', []);
    this.windowOpenHandler = handler;
  }
  /** Test helper: what the page would get from `window.open(url)`. */
  tryOpenWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }
  reload(): void {
    record('webContents', 'reload', []);
    this.reloads += 1;
  }
  paste(): void {
    record('webContents', 'paste', []);
    this.pastes += 1;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /**
   * Test helper: a frame failed to load. Electron reports subframes too, with `isMainFrame` as the last argument
   * (https://www.electronjs.org/docs/latest/api/web-contents#event-did-fail-load).
   */
  failLoad(isMainFrame: boolean): void {
    this.emit('did-fail-load', {}, -105, 'ERR_NAME_NOT_RESOLVED', 'https://example.invalid/', isMainFrame);
  }
}

/** What a key press in a focused window does through the application menu. */
export type ShortcutOutcome = 'closed' | 'reloaded' | 'quit' | 'pasted' | null;

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  /** Test switch: pages wait for `finishLoad()` instead of loading on their own. */
  static holdLoads = false;

  readonly webContents: FakeWebContents;
  visible = false;
  focused = false;
  destroyed = false;
  bounds: Rectangle;
  loadedUrl: string | null = null;
  backgroundColor: string | null;
  alwaysOnTop: boolean;
  /** Wayland: times the desktop flashed our icon instead of giving us the focus. */
  attentionRequests = 0;
  private pendingLoad: (() => void) | null = null;
  private readyToShowOwed = false;
  private shownOnce = false;

  constructor(public readonly options: Record<string, unknown> = {}) {
    super();
    record('BrowserWindow', 'constructor', [options]);
    this.webContents = new FakeWebContents();
    this.bounds = {
      x: 0,
      y: 0,
      width: typeof options.width === 'number' ? options.width : 800,
      height: typeof options.height === 'number' ? options.height : 600,
    };
    this.backgroundColor = typeof options.backgroundColor === 'string' ? options.backgroundColor : null;
    // "alwaysOnTop … Not supported on Wayland (Linux)" (structures/base-window-options.md).
    this.alwaysOnTop = options.alwaysOnTop === true && !isWayland();
    BrowserWindow.instances.push(this);
  }

  loadURL(url: string): Promise<void> {
    record('BrowserWindow', 'loadURL', [url]);
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return new Promise((done) => {
      this.pendingLoad = done;
      if (!BrowserWindow.holdLoads) queueMicrotask(() => this.finishLoad());
    });
  }
  async loadFile(path: string): Promise<void> {
    await this.loadURL(`file://${path}`);
  }
  /**
   * The page finished loading and painted. `ready-to-show` comes only for a window not yet shown
   * (https://www.electronjs.org/docs/latest/api/browser-window#using-the-ready-to-show-event) — and on Wayland a
   * hidden window never paints, so it does not come until something shows the window
   * (https://github.com/electron/electron/issues/48859, open; diagnosis in
   * https://github.com/pingdotgg/t3code/issues/2216).
   */
  finishLoad(): void {
    const done = this.pendingLoad;
    if (!done || this.destroyed) return;
    this.pendingLoad = null;
    this.webContents.emit('did-finish-load');
    if (!this.shownOnce) {
      if (isWayland()) this.readyToShowOwed = true;
      else this.emit('ready-to-show');
    }
    done();
  }

  show(): void {
    record('BrowserWindow', 'show', []);
    this.visible = true;
    this.shownOnce = true;
    this.emit('show');
    // Wayland: windows cannot be focused "without user input" (browser-window.md, Platform notices); the popover
    // opened from a tray menu may or may not get the focus, so the fake gives it none.
    if (!isWayland()) this.takeFocus();
    if (this.readyToShowOwed) {
      this.readyToShowOwed = false;
      this.emit('ready-to-show');
    }
  }
  /** "Not supported on Wayland (Linux)": nothing is shown (browser-window.md, win.showInactive()). */
  showInactive(): void {
    record('BrowserWindow', 'showInactive', []);
    if (isWayland()) return;
    this.visible = true;
    this.shownOnce = true;
    this.emit('show');
  }
  hide(): void {
    record('BrowserWindow', 'hide', []);
    this.visible = false;
    const hadFocus = this.focused;
    this.focused = false;
    if (hadFocus) this.emit('blur');
    this.emit('hide');
  }
  /** "On Wayland (Linux), the desktop environment may show a notification or flash the app icon" instead. */
  focus(): void {
    record('BrowserWindow', 'focus', []);
    if (isWayland()) {
      this.attentionRequests += 1;
      return;
    }
    if (this.visible) this.takeFocus();
  }
  private takeFocus(): void {
    if (this.focused) return;
    this.focused = true;
    this.emit('focus');
  }
  /** Test helper: the user clicked somewhere else. Only a window that had the focus can lose it. */
  userClicksElsewhere(): void {
    if (!this.focused) return;
    this.focused = false;
    this.emit('blur');
  }
  /** Test helper: the window got the focus from the user (a click into it). */
  userClicksInside(): void {
    if (this.visible) this.takeFocus();
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    record('BrowserWindow', 'close', []);
    this.emit('close', { preventDefault() {} });
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** "On Wayland, this method will return { x: 0, y: 0, ... }" (browser-window.md, win.getBounds()). */
  getBounds(): Rectangle {
    return isWayland() ? { ...this.bounds, x: 0, y: 0 } : { ...this.bounds };
  }
  /** Wayland: "has the same limitations as setSize and setPosition" — nothing moves or resizes. */
  setBounds(bounds: Partial<Rectangle>): void {
    record('BrowserWindow', 'setBounds', [bounds]);
    if (isWayland()) return;
    this.bounds = { ...this.bounds, ...bounds };
  }
  /**
   * Wayland: "Not supported". Windows and KDE with a fractional scale factor: every move also grows the window by a
   * pixel or so, as sizes are rounded up through physical pixels (https://github.com/electron/electron/issues/9477,
   * still seen in #27651; setBounds with the full size does not drift).
   */
  setPosition(x: number, y: number): void {
    record('BrowserWindow', 'setPosition', [x, y]);
    if (isWayland()) return;
    this.bounds = { ...this.bounds, x, y };
    const scale = screen.getDisplayMatching(this.bounds).scaleFactor;
    if ((isWindows() || isLinux()) && !Number.isInteger(scale)) {
      this.bounds.width += 1;
      this.bounds.height += 1;
    }
  }
  /** "Not supported on Wayland (Linux)" (browser-window.md, win.setAlwaysOnTop()). */
  setAlwaysOnTop(flag: boolean, level?: string): void {
    record('BrowserWindow', 'setAlwaysOnTop', [flag, level]);
    if (!isWayland()) this.alwaysOnTop = flag;
  }
  setVisibleOnAllWorkspaces(flag: boolean): void {
    record('BrowserWindow', 'setVisibleOnAllWorkspaces', [flag]);
  }
  setBackgroundColor(color: string): void {
    record('BrowserWindow', 'setBackgroundColor', [color]);
    this.backgroundColor = color;
  }
  /**
   * Whether the window shows a taskbar button. `skipTaskbar` is "macOS Windows" only; on Linux
   * NativeWindowViews::SetSkipTaskbar does nothing (shell/browser/native_window_views.cc).
   */
  get inTaskbar(): boolean {
    return isLinux() ? true : this.options.skipTaskbar !== true;
  }

  /**
   * Test helper: the user pressed a key combination while this window has the focus. Application menu
   * accelerators act on the focused window (Ctrl+W closes it, Ctrl+R reloads it, Ctrl+Q quits). Paste is native
   * text editing on Windows and Linux, but on macOS it reaches a page only through an Edit menu's paste item.
   */
  pressShortcut(accelerator: string): ShortcutOutcome {
    if (!this.focused || this.destroyed) return null;
    const role = roleForAccelerator(accelerator);
    const isPaste = /^(CommandOrControl|CmdOrCtrl)\+V$/i.test(accelerator);
    if (role === 'close') {
      this.close();
      return 'closed';
    }
    if (role === 'reload' || role === 'forcereload') {
      this.webContents.reload();
      return 'reloaded';
    }
    if (role === 'quit') {
      app.quit();
      return 'quit';
    }
    if (role === 'paste' || (isPaste && !isMac())) {
      this.webContents.paste();
      return 'pasted';
    }
    return null;
  }
}
