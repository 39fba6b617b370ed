/** `app`: lifecycle, login items, the sign-in scheme, the command line, per platform. */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, win32 } from 'node:path';
import { Menu } from './menu';
import { isMac, isWindows, sessionEnv } from './platform';
import { record } from './record';

/**
 * Electron's Linux identity: `desktopName` from package.json, else a slug of the app's name
 * (https://www.electronjs.org/docs/latest/api/app#appsetdesktopnamename-linux).
 */
function packageDesktopName(): string {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as {
    desktopName?: string;
    productName?: string;
    name: string;
  };
  if (pkg.desktopName) return pkg.desktopName;
  return `${(pkg.productName ?? pkg.name).toLowerCase().replace(/\s+/g, '-')}.desktop`;
}

interface WindowsLoginItem {
  openAtLogin: boolean;
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'Tray for Sonos';
  readyState = false;
  singleInstanceLock = true;
  paths: Record<string, string> = {
    userData: '/tmp/tray-for-sonos-test',
    logs: '/tmp/tray-for-sonos-test/logs',
  };
  /** The Electron process's own environment (the OS services it calls read it, not the app's copy). */
  env: NodeJS.ProcessEnv = sessionEnv();
  desktopName = packageDesktopName();
  /** macOS: whether the OS launched us as a login item (it says so only once `ready` has fired, see below). */
  openedAtLoginByOs = false;
  macLoginItem = false;
  /** Windows: Run-key entries by their command-line arguments, and whether Task Manager lets them run. */
  windowsLoginItems = new Map<string, WindowsLoginItem>();
  startupApproved = true;
  defaultProtocolClients: string[] = [];
  /** Windows: the command line the registry would run for each scheme. */
  protocolCommands = new Map<string, { exe: string; args: string[] }>();
  readonly commandLine = {
    switches: new Map<string, string>(),
    appendSwitch: (name: string, value = ''): void => {
      record('app.commandLine', 'appendSwitch', [name, value]);
      this.commandLine.switches.set(name, value);
    },
    hasSwitch: (name: string): boolean => this.commandLine.switches.has(name),
    getSwitchValue: (name: string): string => this.commandLine.switches.get(name) ?? '',
  };
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
    return this.readyState ? Promise.resolve() : new Promise((done) => this.once('ready', () => done()));
  }
  /** Test helper: fire `ready` as Electron would — after installing the default menu if the app set none. */
  markReady(): void {
    Menu.installDefaultIfUnset();
    this.readyState = true;
    this.emit('ready');
  }
  requestSingleInstanceLock(): boolean {
    record('app', 'requestSingleInstanceLock', []);
    return this.singleInstanceLock;
  }
  setDesktopName(name: string): void {
    record('app', 'setDesktopName', [name]);
    this.desktopName = name;
  }

  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean {
    record('app', 'setAsDefaultProtocolClient', [protocol, path, args]);
    let ok: boolean;
    if (isMac()) {
      // Only schemes in the bundle's Info.plist can be claimed, and `electron .` runs inside Electron.app, whose
      // plist does not list ours ("you can only register protocols that have been added to your app's
      // info.plist", https://www.electronjs.org/docs/latest/api/app#appsetasdefaultprotocolclientprotocol-path-args;
      // LSSetDefaultHandlerForURLScheme in shell/browser/browser_mac.mm).
      ok = this.isPackaged;
    } else if (isWindows()) {
      // The registry gets `"<path>" <args> "%1"` whatever the arguments are (shell/browser/browser_win.cc,
      // GetProtocolLaunchPath): a relative app path is written as is, and breaks once the OS starts it from
      // another folder (https://www.electronjs.org/docs/latest/tutorial/launch-app-from-url-in-another-app).
      this.protocolCommands.set(protocol, { exe: path ?? '<this executable>', args: args ?? [] });
      ok = true;
    } else {
      // Linux: GIO sets the `.desktop` file named by CHROME_DESKTOP (desktopName) as the handler, and fails when no
      // such file is installed in the XDG data folders (SetDefaultWebClient, shell/browser/browser_linux.cc).
      ok = this.desktopEntryInstalled();
    }
    if (ok) this.defaultProtocolClients.push(protocol);
    return ok;
  }

  /** Windows: would the OS, starting the registered command from another folder, reach this app? */
  protocolCommandWorks(protocol: string): boolean {
    const command = this.protocolCommands.get(protocol);
    if (!command) return false;
    if (!this.isPackaged && command.args.length === 0) return false; // bare electron.exe opens Electron's own app
    return command.args.every((arg) => arg.startsWith('-') || win32.isAbsolute(arg));
  }

  private desktopEntryInstalled(): boolean {
    const home = this.env.XDG_DATA_HOME || join(this.env.HOME || homedir(), '.local/share');
    const dirs = [home, ...(this.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':')];
    return dirs.some((dir) => dir && existsSync(join(dir, 'applications', this.desktopName)));
  }

  setLoginItemSettings(settings: { openAtLogin?: boolean; args?: string[]; enabled?: boolean }): void {
    record('app', 'setLoginItemSettings', [settings]);
    if (isMac()) {
      if (typeof settings.openAtLogin === 'boolean') this.macLoginItem = settings.openAtLogin;
    } else if (isWindows()) {
      const key = JSON.stringify(settings.args ?? []);
      if (settings.openAtLogin) this.windowsLoginItems.set(key, { openAtLogin: true });
      else this.windowsLoginItems.delete(key);
      // `enabled` (default true) also writes the StartupApproved key Task Manager uses
      // (https://www.electronjs.org/docs/latest/api/app#appsetloginitemsettingssettings-macos-windows).
      if (settings.openAtLogin) this.startupApproved = settings.enabled ?? true;
    }
    // Linux: not implemented by Electron (the API is macOS and Windows only); nothing happens.
  }

  getLoginItemSettings(options: { args?: string[] } = {}): {
    openAtLogin: boolean;
    wasOpenedAtLogin: boolean;
    executableWillLaunchAtLogin: boolean;
  } {
    record('app', 'getLoginItemSettings', [options]);
    if (isMac()) {
      return {
        openAtLogin: this.macLoginItem,
        // Read from the launch Apple Event in applicationDidFinishLaunching, which is what fires `ready`
        // (shell/browser/mac/electron_application_delegate.mm): before `ready` it is still false.
        wasOpenedAtLogin: this.readyState && this.openedAtLoginByOs,
        executableWillLaunchAtLogin: false,
      };
    }
    if (isWindows()) {
      // Asked without the registered `args`, Windows does not find the item; Task Manager's "Disabled" leaves the
      // Run key (openAtLogin stays true) and only `executableWillLaunchAtLogin` says it will not start
      // (https://github.com/electron/electron/issues/20122, PR #24494).
      const key = JSON.stringify(options.args ?? []);
      return {
        openAtLogin: this.windowsLoginItems.get(key)?.openAtLogin ?? false,
        wasOpenedAtLogin: false,
        executableWillLaunchAtLogin: this.windowsLoginItems.size > 0 && this.startupApproved,
      };
    }
    return { openAtLogin: false, wasOpenedAtLogin: false, executableWillLaunchAtLogin: false };
  }
  /** Test helper: the user switched the app off in Task Manager → Startup apps. */
  disableInTaskManager(): void {
    this.startupApproved = false;
  }

  setAppUserModelId(id: string): void {
    record('app', 'setAppUserModelId', [id]);
  }
  relaunch(options?: { args?: string[]; execPath?: string }): void {
    record('app', 'relaunch', [options]);
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

export const app = new FakeApp();

export function resetApp(): void {
  app.removeAllListeners();
  app.readyState = false;
  app.isPackaged = false;
  app.singleInstanceLock = true;
  app.env = sessionEnv();
  app.desktopName = packageDesktopName();
  app.openedAtLoginByOs = false;
  app.macLoginItem = false;
  app.windowsLoginItems = new Map();
  app.startupApproved = true;
  app.defaultProtocolClients = [];
  app.protocolCommands = new Map();
  app.commandLine.switches.clear();
  app.dock.hidden = false;
  app.version = '0.0.0-test';
  Menu.application = 'unset';
}
