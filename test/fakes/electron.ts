/**
 * A small stand-in for the `electron` module, for tests on a machine where the Electron binary cannot run. It
 * implements only what the shell uses, records every call in `calls`, and lets a test steer answers (the storage
 * backend, whether a shortcut registers, the tray's bounds …). Shapes follow Electron's own types where they meet.
 *
 * vitest aliases `electron` to this file (vitest.config.ts), so a stray import in a test never downloads Electron.
 */
import { EventEmitter } from 'node:events';
import { createNet } from './net';
import { fakeSession } from './session';

export interface Call {
  target: string;
  method: string;
  args: unknown[];
}

export const calls: Call[] = [];

function record(target: string, method: string, args: unknown[]): void {
  calls.push({ target, method, args });
}

export function callsTo(target: string, method?: string): Call[] {
  return calls.filter((call) => call.target === target && (method === undefined || call.method === method));
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

// ---------------------------------------------------------------------------------------------------------------
// app

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Tray for Sonos';
  readyState = false;
  singleInstanceLock = true;
  paths: Record<string, string> = {
    userData: '/tmp/tray-for-sonos-test',
    logs: '/tmp/tray-for-sonos-test/logs',
  };
  loginItem = { openAtLogin: false, openAsHidden: false, wasOpenedAtLogin: false };
  defaultProtocolClients: string[] = [];
  readonly dock = {
    hidden: false,
    hide: (): void => {
      record('app.dock', 'hide', []);
      this.dock.hidden = true;
    },
  };

  /** What `getVersion()` answers (package.json's version in the real app). */
  version = '0.0.0-test';
  getVersion(): string {
    return this.version;
  }
  /** `app.getAppPath()`: the app's folder (resources/app.asar when packaged). */
  appPath = '/tmp/tray-for-sonos-test/app';
  getAppPath(): string {
    return this.appPath;
  }
  relaunch(options?: unknown): void {
    record('app', 'relaunch', [options]);
  }
  getName(): string {
    return this.name;
  }
  getPath(name: string): string {
    record('app', 'getPath', [name]);
    return this.paths[name] ?? `/tmp/tray-for-sonos-test/${name}`;
  }
  /** app.md: call before `ready`; `userData` also keys the single-instance lock. */
  setPath(name: string, path: string): void {
    record('app', 'setPath', [name, path]);
    this.paths[name] = path;
  }
  isReady(): boolean {
    return this.readyState;
  }
  whenReady(): Promise<void> {
    record('app', 'whenReady', []);
    return this.readyState
      ? Promise.resolve()
      : new Promise((resolve) => this.once('ready', () => resolve()));
  }
  /** Test helper: fire `ready` as Electron would. */
  markReady(): void {
    this.readyState = true;
    this.emit('ready');
  }
  requestSingleInstanceLock(): boolean {
    record('app', 'requestSingleInstanceLock', []);
    return this.singleInstanceLock;
  }
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean {
    record('app', 'setAsDefaultProtocolClient', [protocol, path, args]);
    this.defaultProtocolClients.push(protocol);
    return true;
  }
  /** Registered login items by their command-line arguments, as Windows keeps them (one per command line). */
  loginItems = new Map<string, boolean>();
  setLoginItemSettings(settings: Record<string, unknown>): void {
    record('app', 'setLoginItemSettings', [settings]);
    const key = JSON.stringify(settings.args ?? []);
    if (typeof settings.openAtLogin === 'boolean') {
      this.loginItems.set(key, settings.openAtLogin);
      this.loginItem.openAtLogin = settings.openAtLogin;
    }
  }
  /** Like Electron on Windows: asked without the registered `args`, it does not find the item. */
  getLoginItemSettings(options: { args?: string[] } = {}): typeof this.loginItem {
    record('app', 'getLoginItemSettings', [options]);
    const key = JSON.stringify(options.args ?? []);
    return { ...this.loginItem, openAtLogin: this.loginItems.get(key) ?? false };
  }
  setAppUserModelId(id: string): void {
    record('app', 'setAppUserModelId', [id]);
  }
  /**
   * Electron's order (app.md): `before-quit`, then — once windows closed and nobody called `preventDefault` —
   * `will-quit`, then `quit` with the exit code. electron-updater installs a downloaded update in `quit`.
   */
  quit(): void {
    record('app', 'quit', []);
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', event);
    if (event.defaultPrevented) return;
    this.emit('quit', event, 0);
  }
  exit(code?: number): void {
    record('app', 'exit', [code]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// windows

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
  isDestroyed(): boolean {
    return false;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents: FakeWebContents;
  visible = false;
  focused = false;
  destroyed = false;
  bounds: Rectangle;
  loadedUrl: string | null = null;

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
    BrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    record('BrowserWindow', 'loadURL', [url]);
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
  }
  async loadFile(path: string): Promise<void> {
    await this.loadURL(`file://${path}`);
  }
  show(): void {
    record('BrowserWindow', 'show', []);
    this.visible = true;
    this.focused = true;
    this.emit('show');
    this.emit('focus');
  }
  showInactive(): void {
    record('BrowserWindow', 'showInactive', []);
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    record('BrowserWindow', 'hide', []);
    this.visible = false;
    this.focused = false;
    this.emit('hide');
  }
  focus(): void {
    record('BrowserWindow', 'focus', []);
    this.focused = true;
    this.emit('focus');
  }
  /** Test helper: the user clicked elsewhere. */
  blur(): void {
    this.focused = false;
    this.emit('blur');
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
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  getBounds(): Rectangle {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rectangle>): void {
    record('BrowserWindow', 'setBounds', [bounds]);
    this.bounds = { ...this.bounds, ...bounds };
  }
  setPosition(x: number, y: number): void {
    record('BrowserWindow', 'setPosition', [x, y]);
    this.bounds = { ...this.bounds, x, y };
  }
  setAlwaysOnTop(flag: boolean, level?: string): void {
    record('BrowserWindow', 'setAlwaysOnTop', [flag, level]);
  }
  setVisibleOnAllWorkspaces(flag: boolean): void {
    record('BrowserWindow', 'setVisibleOnAllWorkspaces', [flag]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// tray and menus

export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  tooltip = '';
  contextMenu: Menu | null = null;
  bounds: Rectangle = { x: 0, y: 0, width: 0, height: 0 };
  image: unknown;

  constructor(image: unknown) {
    super();
    record('Tray', 'constructor', [image]);
    this.image = image;
    Tray.instances.push(this);
  }
  setToolTip(text: string): void {
    record('Tray', 'setToolTip', [text]);
    this.tooltip = text;
  }
  setContextMenu(menu: Menu | null): void {
    record('Tray', 'setContextMenu', [menu]);
    this.contextMenu = menu;
  }
  popUpContextMenu(menu?: Menu): void {
    record('Tray', 'popUpContextMenu', [menu]);
  }
  getBounds(): Rectangle {
    return { ...this.bounds };
  }
  setImage(image: unknown): void {
    record('Tray', 'setImage', [image]);
    this.image = image;
  }
  destroy(): void {
    record('Tray', 'destroy', []);
  }
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  role?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: FakeMenuItem[];
}

export class Menu {
  constructor(public readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(template: FakeMenuItem[]): Menu {
    record('Menu', 'buildFromTemplate', [template]);
    return new Menu(template);
  }
  /** Test helper. */
  item(label: string): FakeMenuItem | undefined {
    return this.items.find((item) => item.label === label);
  }
}

export const nativeImage = {
  createFromPath(path: string): { path: string; setTemplateImage(flag: boolean): void; isEmpty(): boolean } {
    record('nativeImage', 'createFromPath', [path]);
    return {
      path,
      setTemplateImage: (flag) => record('nativeImage', 'setTemplateImage', [flag]),
      isEmpty: () => false,
    };
  },
  createFromBuffer(buffer: Buffer): { size: number; isEmpty(): boolean } {
    record('nativeImage', 'createFromBuffer', [buffer.length]);
    return { size: buffer.length, isEmpty: () => buffer.length === 0 };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// IPC

export interface FakeIpcMainInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeWebFrameMain | null;
}

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: FakeIpcMainInvokeEvent, ...args: unknown[]) => unknown>();

  handle(channel: string, handler: (event: FakeIpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    record('ipcMain', 'handle', [channel]);
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    record('ipcMain', 'removeHandler', [channel]);
    this.handlers.delete(channel);
  }
  /** Test helper: what `ipcRenderer.invoke` from `sender` would get. */
  async invoke(sender: FakeWebContents, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: sender.mainFrame }, ...args);
  }
}

class FakeIpcRenderer extends EventEmitter {
  invokeImpl: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => undefined;
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    record('ipcRenderer', 'invoke', [channel, ...args]);
    return this.invokeImpl(channel, ...args);
  }
}

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    record('contextBridge', 'exposeInMainWorld', [key]);
    contextBridge.exposed[key] = api;
  },
};

// ---------------------------------------------------------------------------------------------------------------
// OS services

export type StorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as StorageBackend,
  isEncryptionAvailable(): boolean {
    record('safeStorage', 'isEncryptionAvailable', []);
    return safeStorage.available;
  },
  /** Reversible but not plaintext, so a test can tell an encrypted file from a plain one. */
  encryptString(text: string): Buffer {
    record('safeStorage', 'encryptString', ['<redacted>']);
    if (!safeStorage.available) throw new Error('Encryption is not available.');
    return Buffer.from(`fake-enc:${Buffer.from(text, 'utf8').toString('base64')}`, 'utf8');
  },
  decryptString(buffer: Buffer): string {
    record('safeStorage', 'decryptString', []);
    const text = buffer.toString('utf8');
    if (!text.startsWith('fake-enc:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice('fake-enc:'.length), 'base64').toString('utf8');
  },
  getSelectedStorageBackend(): StorageBackend {
    record('safeStorage', 'getSelectedStorageBackend', []);
    return safeStorage.backend;
  },
};

export const globalShortcut = {
  registered: new Map<string, () => void>(),
  /** Accelerators another app holds: registering them fails as it does in Electron (returns false). */
  taken: new Set<string>(),
  register(accelerator: string, callback: () => void): boolean {
    record('globalShortcut', 'register', [accelerator]);
    if (globalShortcut.taken.has(accelerator) || globalShortcut.registered.has(accelerator)) return false;
    globalShortcut.registered.set(accelerator, callback);
    return true;
  },
  unregister(accelerator: string): void {
    record('globalShortcut', 'unregister', [accelerator]);
    globalShortcut.registered.delete(accelerator);
  },
  unregisterAll(): void {
    record('globalShortcut', 'unregisterAll', []);
    globalShortcut.registered.clear();
  },
  isRegistered(accelerator: string): boolean {
    return globalShortcut.registered.has(accelerator);
  },
  /** Test helper: the user pressed the keys. */
  press(accelerator: string): void {
    globalShortcut.registered.get(accelerator)?.();
  },
};

export class Notification extends EventEmitter {
  static readonly instances: Notification[] = [];
  static supported = true;
  shown = false;

  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(public readonly options: Record<string, unknown> = {}) {
    super();
    record('Notification', 'constructor', [options]);
    Notification.instances.push(this);
  }
  show(): void {
    record('Notification', 'show', []);
    this.shown = true;
  }
  close(): void {
    record('Notification', 'close', []);
  }
}

export const shell = {
  async openExternal(url: string): Promise<void> {
    record('shell', 'openExternal', [url]);
  },
};

export const clipboard = {
  text: '',
  writeText(text: string): void {
    record('clipboard', 'writeText', [text.length]);
    clipboard.text = text;
  },
};

export const nativeTheme = Object.assign(new EventEmitter(), {
  shouldUseDarkColors: false,
  themeSource: 'system' as 'system' | 'light' | 'dark',
});

export interface FakeDisplay {
  id: number;
  bounds: Rectangle;
  workArea: Rectangle;
  scaleFactor: number;
}

export const screen: {
  cursor: { x: number; y: number };
  displays: FakeDisplay[];
  getCursorScreenPoint(): { x: number; y: number };
  getDisplayNearestPoint(point: { x: number; y: number }): FakeDisplay;
  getDisplayMatching(rect: Rectangle): FakeDisplay;
} = {
  cursor: { x: 0, y: 0 },
  displays: [
    {
      id: 1,
      bounds: { x: 0, y: 0, width: 1920, height: 1080 },
      workArea: { x: 0, y: 0, width: 1920, height: 1040 },
      scaleFactor: 1,
    },
  ],
  getCursorScreenPoint() {
    return { ...screen.cursor };
  },
  getDisplayNearestPoint(point) {
    const inside = screen.displays.find(
      (d) =>
        point.x >= d.bounds.x &&
        point.x < d.bounds.x + d.bounds.width &&
        point.y >= d.bounds.y &&
        point.y < d.bounds.y + d.bounds.height,
    );
    return inside ?? screen.displays[0]!;
  },
  getDisplayMatching(rect) {
    return screen.getDisplayNearestPoint({ x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 });
  },
};

export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void {
    record('protocol', 'registerSchemesAsPrivileged', [schemes]);
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    record('protocol', 'handle', [scheme]);
    protocol.handlers.set(scheme, handler);
  },
};

const partitions = new Map<string, ReturnType<typeof fakeSession> & { partition: string }>();
export const session = {
  defaultSession: fakeSession(),
  /** session.md: the same partition gives back the same Session. */
  fromPartition(partition: string, options: { cache?: boolean } = {}) {
    record('session', 'fromPartition', [partition, options]);
    let found = partitions.get(partition);
    if (!found) {
      found = Object.assign(fakeSession(), { partition });
      partitions.set(partition, found);
    }
    return found;
  },
};

/** See test/fakes/net.ts. */
export const net = createNet(() => app.isReady());

/**
 * Electron's own autoUpdater (Squirrel). electron-updater only emits `before-quit-for-update` on it before it
 * quits to install on Windows and Linux; on macOS it drives it, which these tests do not.
 */
export const autoUpdater = new EventEmitter();

/**
 * power-monitor.md: `isOnBatteryPower()` on every platform; `on-ac` on macOS and Windows, `on-battery` on macOS
 * only. There is no battery-saver (Low Power Mode / Energy Saver) state in Electron 45's API.
 */
export const powerMonitor = Object.assign(new EventEmitter(), {
  onBattery: false,
  isOnBatteryPower(): boolean {
    return powerMonitor.onBattery;
  },
});

export const systemPreferences = {
  trustedAccessibility: true,
  isTrustedAccessibilityClient(prompt: boolean): boolean {
    record('systemPreferences', 'isTrustedAccessibilityClient', [prompt]);
    return systemPreferences.trustedAccessibility;
  },
};

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

/** Puts every fake back to its first state; call in `beforeEach`. */
export function resetElectronFake(): void {
  calls.length = 0;
  app.removeAllListeners();
  app.readyState = false;
  app.isPackaged = false;
  app.singleInstanceLock = true;
  app.loginItem = { openAtLogin: false, openAsHidden: false, wasOpenedAtLogin: false };
  app.loginItems = new Map();
  app.defaultProtocolClients = [];
  app.dock.hidden = false;
  BrowserWindow.instances.length = 0;
  Tray.instances.length = 0;
  Notification.instances.length = 0;
  Notification.supported = true;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invokeImpl = async () => undefined;
  contextBridge.exposed = {};
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  globalShortcut.registered.clear();
  globalShortcut.taken.clear();
  clipboard.text = '';
  nativeTheme.shouldUseDarkColors = false;
  nativeTheme.removeAllListeners();
  screen.cursor = { x: 0, y: 0 };
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  session.defaultSession = fakeSession();
  partitions.clear();
  powerMonitor.removeAllListeners();
  powerMonitor.onBattery = false;
  autoUpdater.removeAllListeners();
  app.version = '0.0.0-test';
  systemPreferences.trustedAccessibility = true;
}

export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  ipcMain,
  ipcRenderer,
  contextBridge,
  safeStorage,
  globalShortcut,
  Notification,
  shell,
  clipboard,
  nativeTheme,
  screen,
  protocol,
  session,
  powerMonitor,
  systemPreferences,
  net,
  autoUpdater,
};
