/**
 * The popover: a frameless, hidden-until-ready window beside the tray icon that closes when it loses focus, on
 * Escape (the page handles it: it knows whether Escape belongs to something inside first) and with its own close
 * button. Its web contents are locked down (sandbox, context isolation, no Node, only our preload) and hardened (no
 * new windows, no navigation away, no webviews, no permissions). A page that fails to load or a renderer that dies
 * is thrown away, and the next show starts a fresh one.
 *
 * On a native Wayland session the app may not place or focus its windows, and a hidden window never paints, so
 * `ready-to-show` never comes (electron/electron#48859): there the popover shows once its page has loaded, is left
 * where the desktop puts it, and closes by its button, Escape or the tray menu rather than by losing the focus.
 */
import { hardenContents, hardenSession, type HardenableContents, type HardenableSession } from './hardening';
import { popoverPosition, type Point, type Rect } from './popover-position';

export const POPOVER_SIZE = { width: 360, height: 560 } as const;

/** The page's own background (`--bg` in renderer/app.css), so the window never flashes another colour. */
export function popoverBackground(dark: boolean): string {
  return dark ? '#1c1c1f' : '#f3f3f5';
}

/** What we use of a BrowserWindow; the real class and the test fake both fit. */
export interface WindowLike {
  readonly webContents: HardenableContents & {
    session: HardenableSession;
    on(
      event: 'render-process-gone' | 'did-fail-load' | 'did-finish-load',
      listener: (...args: unknown[]) => void,
    ): unknown;
  };
  loadURL(url: string): Promise<void>;
  show(): void;
  showInactive(): void;
  hide(): void;
  focus(): void;
  isVisible(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
  destroy(): void;
  setBounds(bounds: Rect): void;
  setBackgroundColor(color: string): void;
  getBounds(): Rect;
  on(event: 'blur' | 'ready-to-show' | 'closed' | 'hide', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export interface DisplayLike {
  bounds: Rect;
  workArea: Rect;
}

export interface PopoverDeps<W extends WindowLike = WindowLike> {
  createWindow(options: Record<string, unknown>): W;
  screen: {
    getCursorScreenPoint(): Point;
    getDisplayNearestPoint(point: Point): DisplayLike;
    getDisplayMatching(rect: Rect): DisplayLike;
  };
  preloadPath: string;
  url: string;
  isOwnUrl(url: string): boolean;
  platform: NodeJS.Platform;
  /** A native Wayland session (see desktop-session.ts). */
  wayland?: boolean;
  /** Whether the system is in dark mode now (asked for each new window and on `themeChanged`). */
  dark: () => boolean;
  devTools: boolean;
  /** Blur right after showing is the tray click itself on some desktops; ignore it this long (ms). */
  blurGraceMs?: number;
  /** Show anyway when neither `ready-to-show` nor the page's load has come this long after creating (ms). */
  readyFallbackMs?: number;
  /** Told when the page failed to load or its renderer went away (for the log). */
  onBroken?: (reason: string) => void;
  now?: () => number;
}

/** The web preferences every popover gets; a test checks them, electronegativity checks the build. */
export function popoverWebPreferences(preloadPath: string, devTools: boolean): Record<string, unknown> {
  return {
    // The preload exposes only the typed contract (preload/api.ts), nothing of Node or Electron.
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    disableBlinkFeatures: 'Auxclick',
    devTools,
  };
}

export class PopoverWindow<W extends WindowLike = WindowLike> {
  private window: W | null = null;
  private ready = false;
  private pendingShow: { tray: Rect | null; focus: boolean } | null = null;
  private shownAt = 0;
  private hiddenByBlurAt = -Infinity;
  private readonly shownListeners = new Set<() => void>();
  private readonly hiddenListeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(private readonly deps: PopoverDeps<W>) {
    this.now = deps.now ?? Date.now;
  }

  /** The popover's web contents while the window exists (for IPC sender checks and events). */
  webContents(): W['webContents'] | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents : null;
  }

  isVisible(): boolean {
    return !!this.window && !this.window.isDestroyed() && this.window.isVisible();
  }

  onShown(listener: () => void): () => void {
    this.shownListeners.add(listener);
    return () => this.shownListeners.delete(listener);
  }

  onHidden(listener: () => void): () => void {
    this.hiddenListeners.add(listener);
    return () => this.hiddenListeners.delete(listener);
  }

  /** Creates the hidden window and loads the popover; idempotent. */
  create(): W {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const window = this.deps.createWindow({
      ...POPOVER_SIZE,
      show: false,
      frame: false,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      hiddenInMissionControl: true,
      title: 'Tray for Sonos',
      backgroundColor: popoverBackground(this.deps.dark()),
      ...(this.deps.platform === 'darwin' ? { type: 'panel' } : {}),
      webPreferences: popoverWebPreferences(this.deps.preloadPath, this.deps.devTools),
    });
    this.window = window;
    this.ready = false;
    hardenSession(window.webContents.session);
    hardenContents(window.webContents, this.deps.isOwnUrl);
    // A dead renderer or a page that did not load would leave a blank window: let the next show make a new one.
    const broken = (reason: string): void => {
      this.deps.onBroken?.(reason);
      if (!window.isDestroyed()) window.destroy();
    };
    window.webContents.on('render-process-gone', () => broken('the popover renderer went away'));
    // Subframes report their failures here too (the last argument says which); only our own page matters.
    window.webContents.on('did-fail-load', (...args: unknown[]) => {
      if (args[4] === true) broken('the popover page did not load');
    });
    let fallback: NodeJS.Timeout | null = null;
    const markReady = (): void => {
      if (fallback) clearTimeout(fallback);
      fallback = null;
      if (this.window !== window || window.isDestroyed() || this.ready) return;
      this.ready = true;
      const pending = this.pendingShow;
      this.pendingShow = null;
      if (pending) this.show(pending.tray, { focus: pending.focus });
    };
    window.once('ready-to-show', markReady);
    // Linux: a hidden window on Wayland never paints, so `ready-to-show` never comes (electron/electron#48859);
    // a loaded page is ready enough. (Elsewhere the load comes before the first paint, and would flash.)
    if (this.deps.platform === 'linux') window.webContents.on('did-finish-load', markReady);
    // Anywhere: if neither comes, show what there is rather than nothing at all.
    fallback = setTimeout(markReady, this.deps.readyFallbackMs ?? 3_000);
    fallback.unref?.();
    window.on('blur', () => {
      const grace = this.deps.blurGraceMs ?? 150;
      if (this.now() - this.shownAt < grace) {
        // Wayland lets no app take the focus; asking only flashes the icon. The close button is there instead.
        if (this.deps.wayland) return;
        // Some desktops take the focus back for the tray click itself. Reclaim it once that has passed, or the
        // next click elsewhere would send no blur and the popover would stay open.
        const timer = setTimeout(() => {
          if (!window.isDestroyed() && window.isVisible() && !window.isFocused()) window.focus();
        }, grace);
        timer.unref?.();
        return;
      }
      if (this.isVisible()) {
        this.hiddenByBlurAt = this.now();
        this.hide();
      }
    });
    window.on('hide', () => {
      for (const listener of this.hiddenListeners) listener();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
      for (const listener of this.hiddenListeners) listener();
    });
    window.loadURL(this.deps.url).catch(() => broken('the popover page did not load'));
    return window;
  }

  /** A tray click: show if hidden, hide if shown — and a click that just blurred it away stays closed. */
  toggle(tray: Rect | null): void {
    if (this.isVisible()) {
      this.hide();
      return;
    }
    if (this.now() - this.hiddenByBlurAt < 300) return;
    this.show(tray, { focus: true });
  }

  show(tray: Rect | null, options: { focus: boolean } = { focus: true }): void {
    const window = this.create();
    if (!this.ready) {
      this.pendingShow = { tray, focus: options.focus };
      return;
    }
    // Wayland does not let an app place its windows (nor read the pointer): the desktop puts it where it puts new
    // windows, usually the middle of the screen, which is as good a place as any the app could guess.
    if (!this.deps.wayland) {
      const cursor = this.deps.screen.getCursorScreenPoint();
      const trayRect = tray ?? { x: 0, y: 0, width: 0, height: 0 };
      const display =
        trayRect.width > 0 && trayRect.height > 0
          ? this.deps.screen.getDisplayMatching(trayRect)
          : this.deps.screen.getDisplayNearestPoint(cursor);
      const position = popoverPosition({ tray: trayRect, window: POPOVER_SIZE, display, cursor });
      // With fractional scaling, setPosition also grows the window a pixel each time (electron/electron#9477);
      // setBounds with the size does not.
      window.setBounds({ ...position, ...POPOVER_SIZE });
    }
    this.shownAt = this.now();
    if (this.deps.wayland) {
      // showInactive does nothing there, and focus() only flashes the icon: show() is all there is.
      window.show();
    } else if (options.focus) {
      window.show();
      window.focus();
    } else {
      window.showInactive();
    }
    for (const listener of this.shownListeners) listener();
  }

  /** The system switched between light and dark: the window behind the page follows. */
  themeChanged(): void {
    if (this.window && !this.window.isDestroyed())
      this.window.setBackgroundColor(popoverBackground(this.deps.dark()));
  }

  hide(): void {
    if (this.window && !this.window.isDestroyed() && this.window.isVisible()) this.window.hide();
  }
}
