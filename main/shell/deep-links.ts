/**
 * OAuth callbacks reach the app as `io.github.trayforsonos://oauth/callback?…` by three doors: macOS `open-url`
 * (which can fire before `ready`, so it is registered first), a second instance started by the OS with the URL in
 * its argv (Windows, Linux), and the first instance's own argv when the URL starts the app. All three go to one
 * handler; the single-instance lock makes the second instance hand over and quit.
 */
import { CALLBACK_SCHEME, findCallbackUrl } from '../core/account/callback';

export const APP_SCHEME = CALLBACK_SCHEME;

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
  /** The app script path in development (`process.argv[1]`). */
  appPath: string | undefined;
  onUrl(url: string): void;
  /** Another launch of the app (with or without a URL): show ourselves. */
  onSecondInstance(): void;
}

/**
 * Returns false when another instance already runs (this one hands over and quits). Call before `ready`.
 */
export function setupDeepLinks(options: DeepLinkOptions): boolean {
  const { app } = options;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // In development Windows must be told how to start us: electron.exe plus the app path.
  const devArgs =
    options.defaultApp && options.appPath && options.platform === 'win32'
      ? { path: options.execPath, args: [options.appPath] }
      : null;
  if (devArgs) app.setAsDefaultProtocolClient(APP_SCHEME, devArgs.path, devArgs.args);
  else app.setAsDefaultProtocolClient(APP_SCHEME);
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
  return true;
}
