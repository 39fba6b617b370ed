/**
 * Launch at login. macOS and Windows have an OS API (`app.setLoginItemSettings`); Linux desktops follow the XDG
 * autostart spec: a `.desktop` file in `~/.config/autostart`. The app started at login gets `--hidden` and never
 * shows or focuses its popover. The OS is the truth: a user who switched the app off in Windows' Task Manager has
 * it off here too.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { XWAYLAND_SWITCH } from './desktop-session';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE = 'io.github.trayforsonos.desktop';

/** Electron's login item API as we use it (the fake in tests fits it too). */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  /** Windows answers for the exact command line registered: pass the same `args`. */
  getLoginItemSettings(options?: { args?: string[] }): {
    openAtLogin: boolean;
    /** Windows: false when the Run key is there but switched off in Task Manager (openAtLogin stays true). */
    executableWillLaunchAtLogin?: boolean;
  };
}

export interface AutostartOptions {
  /** Linux: start under XWayland (the Settings choice). */
  xwayland?: boolean;
}

export interface LoginItemEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  execPath: string;
}

export function autostartPath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', AUTOSTART_FILE);
}

/** A path for a desktop entry's Exec line, quoted as the Desktop Entry spec asks. */
export function execQuote(path: string): string {
  return `"${path.replace(/(["\\`$])/g, '\\$1')}"`;
}

/** An AppImage runs from a temporary mount; autostart must point at the AppImage file itself. */
export function desktopEntry(executable: string, options: AutostartOptions = {}): string {
  const args = [HIDDEN_ARG, ...(options.xwayland ? [XWAYLAND_SWITCH] : [])];
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tray for Sonos',
    'Comment=Control your Sonos speakers from the system tray',
    `Exec=${execQuote(executable)} ${args.join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function setLaunchAtLogin(
  enabled: boolean,
  app: LoginItemApp,
  where: LoginItemEnv,
  options: AutostartOptions = {},
): void {
  if (where.platform === 'linux') {
    const path = autostartPath(where.env);
    if (enabled) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, desktopEntry(where.env.APPIMAGE || where.execPath, options), { mode: 0o644 });
    } else {
      rmSync(path, { force: true });
    }
    return;
  }
  // Windows starts us with --hidden; macOS tells us through `wasOpenedAtLogin` instead.
  app.setLoginItemSettings(
    where.platform === 'win32' ? { openAtLogin: enabled, args: [HIDDEN_ARG] } : { openAtLogin: enabled },
  );
}

export function launchAtLoginEnabled(app: LoginItemApp, where: LoginItemEnv): boolean {
  if (where.platform === 'linux') return existsSync(autostartPath(where.env));
  if (where.platform !== 'win32') return app.getLoginItemSettings().openAtLogin;
  // Task Manager's "Disabled" keeps the Run key (openAtLogin stays true) and only marks it not approved
  // (https://github.com/electron/electron/issues/20122): the app will not start, so it is off.
  const settings = app.getLoginItemSettings({ args: [HIDDEN_ARG] });
  return settings.openAtLogin && settings.executableWillLaunchAtLogin !== false;
}

/** Started by the OS at login: stay quiet in the tray. */
export function startedAtLogin(argv: string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_ARG);
}
