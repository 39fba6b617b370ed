/** OS services: global shortcuts, notifications, accessibility trust, the keychain, screens and the theme. */
import { EventEmitter } from 'node:events';
import { app } from './app';
import { isLinux, isMac, isWayland, isWindows } from './platform';
import { record, type Rectangle } from './record';
import { fakeSession } from '../session';

// ---------------------------------------------------------------------------------------------------------------
// globalShortcut

const MEDIA_KEYS = new Set(['MediaPlayPause', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop']);

function portalEnabled(): boolean {
  return app.commandLine.getSwitchValue('enable-features').split(',').includes('GlobalShortcutsPortal');
}

export const globalShortcut = {
  registered: new Map<string, () => void>(),
  /** Accelerators another app holds: registering them fails (returns false). */
  taken: new Set<string>(),
  /** Wayland: whether the user accepted the desktop's "allow shortcuts" dialog (keys fire only then). */
  portalConsent: true,
  register(accelerator: string, callback: () => void): boolean {
    record('globalShortcut', 'register', [accelerator]);
    // "This module cannot be used before the ready event of the app module is emitted" (global-shortcut.md).
    if (!app.isReady()) throw new Error('globalShortcut cannot be used before the app is ready');
    if (isWayland()) {
      // Natively on Wayland only the GlobalShortcuts portal binds keys, and only with its feature switch
      // (global-shortcut.md). Through it, register() answers true as soon as the request is sent, whatever the
      // portal later decides (https://github.com/electron/electron/issues/52218).
      if (!portalEnabled()) return false;
      globalShortcut.registered.set(accelerator, callback);
      return true;
    }
    // macOS: media keys "will not be registered successfully … unless the app has been authorized as a trusted
    // accessibility client" (global-shortcut.md, register()).
    if (isMac() && MEDIA_KEYS.has(accelerator) && !systemPreferences.trustedAccessibility) return false;
    // "When the accelerator is already taken by other applications, this call will silently fail."
    if (globalShortcut.taken.has(accelerator) || globalShortcut.registered.has(accelerator)) return false;
    globalShortcut.registered.set(accelerator, callback);
    return true;
  },
  /**
   * Wayland portal bindings cannot be withdrawn one by one: Chromium's portal listener implements
   * StopListeningForAccelerator as a no-op (ui/base/accelerators/global_accelerator_listener/
   * global_accelerator_listener_linux.cc); only dropping the whole session (unregisterAll) clears them.
   */
  unregister(accelerator: string): void {
    record('globalShortcut', 'unregister', [accelerator]);
    if (isWayland()) return;
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
    if (isWayland() && !globalShortcut.portalConsent) return;
    globalShortcut.registered.get(accelerator)?.();
  },
};

// ---------------------------------------------------------------------------------------------------------------
// systemPreferences

export const systemPreferences = {
  trustedAccessibility: true,
  /** How often the app asked macOS to show its "allow accessibility" prompt. */
  accessibilityPrompts: 0,
  /** macOS only: the method does not exist elsewhere (system-preferences.md, "macOS"). */
  get isTrustedAccessibilityClient(): ((prompt: boolean) => boolean) | undefined {
    if (!isMac()) return undefined;
    return (prompt: boolean) => {
      record('systemPreferences', 'isTrustedAccessibilityClient', [prompt]);
      if (prompt) systemPreferences.accessibilityPrompts += 1;
      return systemPreferences.trustedAccessibility;
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Notification

export class Notification extends EventEmitter {
  static readonly instances: Notification[] = [];
  static supported = true;
  /** What is on screen or in the notification centre now, oldest first. */
  static readonly center: Notification[] = [];
  shown = false;
  closeCalls = 0;

  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(public readonly options: Record<string, unknown> = {}) {
    super();
    record('Notification', 'constructor', [options]);
    Notification.instances.push(this);
  }
  get id(): string | null {
    return typeof this.options.id === 'string' && this.options.id ? this.options.id : null;
  }
  show(): void {
    record('Notification', 'show', []);
    this.shown = true;
    // "Unsigned binaries will emit a failed event when notifications are called" (notification.md, macOS).
    if (isMac() && !app.isPackaged) {
      queueMicrotask(() => this.emit('failed', {}, 'Notifications are not allowed for this application'));
      return;
    }
    // `id` is macOS and Windows only: the request identifier / toast Tag, so a new notification with the same id
    // replaces the one shown (notification.md, new Notification(options)).
    const id = this.id;
    if (id && !isLinux()) {
      const previous = Notification.center.findIndex((n) => n.id === id);
      if (previous >= 0) Notification.center.splice(previous, 1);
    }
    Notification.center.push(this);
  }
  /**
   * Linux and macOS take it away and say `close`. On Windows it is not guaranteed: a toast already moved to the
   * Action Center may stay, and `close` "is not guaranteed to be emitted in all cases" (notification.md) — the
   * fake takes that worst case.
   */
  close(): void {
    record('Notification', 'close', []);
    this.closeCalls += 1;
    if (isWindows()) return;
    this.dismiss();
  }
  /** Test helper: the user clicked the notification. */
  click(): void {
    this.emit('click');
  }
  /** Test helper: the notification went away (the user, a timeout). */
  dismiss(): void {
    const index = Notification.center.indexOf(this);
    if (index < 0) return;
    Notification.center.splice(index, 1);
    this.emit('close', {});
  }
}

// ---------------------------------------------------------------------------------------------------------------
// safeStorage, shell, clipboard, theme, screen, protocol, session, power

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
  /** Test helper: the user switched the system between light and dark ('updated', native-theme.md). */
  setDark(dark: boolean): void {
    nativeTheme.shouldUseDarkColors = dark;
    nativeTheme.emit('updated');
  },
});

export interface FakeDisplay {
  id: number;
  bounds: Rectangle;
  workArea: Rectangle;
  scaleFactor: number;
}

export function defaultDisplays(): FakeDisplay[] {
  return [
    {
      id: 1,
      bounds: { x: 0, y: 0, width: 1920, height: 1080 },
      workArea: { x: 0, y: 0, width: 1920, height: 1040 },
      scaleFactor: 1,
    },
  ];
}

export const screen: {
  cursor: { x: number; y: number };
  displays: FakeDisplay[];
  getCursorScreenPoint(): { x: number; y: number };
  getDisplayNearestPoint(point: { x: number; y: number }): FakeDisplay;
  getDisplayMatching(rect: Rectangle): FakeDisplay;
} = {
  cursor: { x: 0, y: 0 },
  displays: defaultDisplays(),
  /** "Not supported on Wayland (Linux)" (screen.md): the fake answers the origin there. */
  getCursorScreenPoint() {
    return isWayland() ? { x: 0, y: 0 } : { ...screen.cursor };
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

export function resetServices(): void {
  globalShortcut.registered.clear();
  globalShortcut.taken.clear();
  globalShortcut.portalConsent = true;
  systemPreferences.trustedAccessibility = true;
  systemPreferences.accessibilityPrompts = 0;
  Notification.instances.length = 0;
  Notification.center.length = 0;
  Notification.supported = true;
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  clipboard.text = '';
  nativeTheme.shouldUseDarkColors = false;
  nativeTheme.removeAllListeners();
  screen.cursor = { x: 0, y: 0 };
  screen.displays = defaultDisplays();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  session.defaultSession = fakeSession();
  partitions.clear();
  powerMonitor.removeAllListeners();
  powerMonitor.onBattery = false;
  autoUpdater.removeAllListeners();
}
