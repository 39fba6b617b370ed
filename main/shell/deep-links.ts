/**
 * OAuth callbacks reach the app as `io.github.trayforsonos://oauth/callback?…` by three doors: macOS `open-url`
 * (which can fire before `ready`, so it is registered first), a second instance started by the OS with the URL in
 * its argv (Windows, Linux), and the first instance's own argv when the URL starts the app. All three go to one
 * handler; the single-instance lock makes the second instance hand over and quit.
 */
import { win32 } from 'node:path';
import { CALLBACK_SCHEME, findCallbackUrl } from '../core/account/callback';

export const APP_SCHEME = CALLBACK_SCHEME;

/** Whether the OS will hand sign-in addresses to this app, and if not, why (Settings shows it). */
export interface SchemeRegistration {
  registered: boolean;
  reason: string | null;
}

export interface DeepLinkApp {
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  requestSingleInstanceLock(): boolean;
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  quit(): void;
}

export interface DeepLinkOptions {
  app: DeepLinkApp;
  argv: readonly string[];
  platform: NodeJS.Platform;
  /** `process.defaultApp`: started as `electron .` in development. */
  defaultApp: boolean;
  execPath: string;
  /** The app script path in development (`process.argv[1]`, often just `.`). */
  appPath: string | undefined;
  /** The folder a relative app path is relative to (`process.cwd()`). */
  cwd?: string;
  onUrl(url: string): void;
  /** Another launch of the app (with or without a URL): show ourselves. */
  onSecondInstance(): void;
}

/** Why the OS said no, in the user's terms; signing in still works by pasting the address. */
function refusal(platform: NodeJS.Platform): string {
  if (platform === 'darwin')
    return 'macOS lets only an installed copy of Tray for Sonos open io.github.trayforsonos:// addresses, and this one is not (a development build).';
  if (platform === 'linux')
    return 'Your desktop has no entry for Tray for Sonos (io.github.trayforsonos.desktop), so it cannot open io.github.trayforsonos:// addresses with it. Installing the .deb package, or starting the AppImage, adds one.';
  return 'Windows did not record Tray for Sonos as the app for io.github.trayforsonos:// addresses.';
}

/**
 * `locked` is false when another instance already runs (this one hands over and quits). Call before `ready`.
 */
export function setupDeepLinks(options: DeepLinkOptions): { locked: boolean; scheme: SchemeRegistration } {
  const { app } = options;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { locked: false, scheme: { registered: false, reason: null } };
  }
  // In development Windows must be told how to start us: electron.exe plus the app path — absolute, as the OS
  // starts it from another folder (https://www.electronjs.org/docs/latest/tutorial/launch-app-from-url-in-another-app).
  const devArgs =
    options.defaultApp && options.appPath && options.platform === 'win32'
      ? { path: options.execPath, args: [win32.resolve(options.cwd ?? process.cwd(), options.appPath)] }
      : null;
  const registered = devArgs
    ? app.setAsDefaultProtocolClient(APP_SCHEME, devArgs.path, devArgs.args)
    : app.setAsDefaultProtocolClient(APP_SCHEME);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    options.onUrl(url);
  });
  app.on('second-instance', (_event, argv) => {
    const url = findCallbackUrl(argv);
    if (url) options.onUrl(url);
    options.onSecondInstance();
  });
  const coldStart = findCallbackUrl(options.argv);
  if (coldStart) options.onUrl(coldStart);
  return { locked: true, scheme: { registered, reason: registered ? null : refusal(options.platform) } };
}
