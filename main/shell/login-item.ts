/**
 * Launch at login. macOS and Windows have an OS API (`app.setLoginItemSettings`); Linux desktops follow the XDG
 * autostart spec: a `.desktop` file in `~/.config/autostart`. The app started at login gets `--hidden` and never
 * shows or focuses its popover.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE = 'io.github.trayforsonos.desktop';

/** Electron's login item API as we use it (the fake in tests fits it too). */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  /** Windows answers for the exact command line registered: pass the same `args`. */
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean };
}

export interface LoginItemEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  execPath: string;
}

export function autostartPath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', AUTOSTART_FILE);
}

/** An AppImage runs from a temporary mount; autostart must point at the AppImage file itself. */
export function desktopEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["\\`$])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tray for Sonos',
    'Comment=Control your Sonos speakers from the system tray',
    `Exec=${quoted} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function setLaunchAtLogin(enabled: boolean, app: LoginItemApp, where: LoginItemEnv): void {
  if (where.platform === 'linux') {
    const path = autostartPath(where.env);
    if (enabled) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, desktopEntry(where.env.APPIMAGE || where.execPath), { mode: 0o644 });
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
  return where.platform === 'linux'
    ? existsSync(autostartPath(where.env))
    : app.getLoginItemSettings(where.platform === 'win32' ? { args: [HIDDEN_ARG] } : undefined).openAtLogin;
}

/** Started by the OS at login: stay quiet in the tray. */
export function startedAtLogin(argv: string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_ARG);
}
