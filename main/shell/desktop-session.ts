/**
 * Which window system the app runs on, which decides what the shell can do: on a native Wayland session windows
 * cannot be placed or focused by the app, hidden windows never report `ready-to-show`, and global shortcuts go
 * through the desktop's portal (see test/fakes/electron/ for each behaviour and its source).
 */
export type DisplayServer = 'wayland' | 'x11';

/** The switch that makes Electron use XWayland on a Wayland session. */
export const XWAYLAND_SWITCH = '--ozone-platform=x11';

/**
 * Since Electron 38 `--ozone-platform` defaults to `auto`: native Wayland "when launched in a Wayland session (when
 * XDG_SESSION_TYPE=wayland)", unless started with `--ozone-platform=x11`
 * (https://www.electronjs.org/docs/latest/breaking-changes#removed-electron_ozone_platform_hint-environment-variable).
 */
export function displayServer(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
): DisplayServer | null {
  if (platform !== 'linux') return null;
  const ozone = [...argv]
    .reverse()
    .find((arg) => arg.startsWith('--ozone-platform='))
    ?.split('=')[1];
  if (ozone === 'x11') return 'x11';
  if (ozone === 'wayland') return 'wayland';
  return env.XDG_SESSION_TYPE === 'wayland' || (env.WAYLAND_DISPLAY && !env.DISPLAY) ? 'wayland' : 'x11';
}

export interface CommandLineLike {
  appendSwitch(name: string, value?: string): void;
  getSwitchValue(name: string): string;
}

/**
 * Natively on Wayland, global shortcuts work only through the GlobalShortcuts portal, which Electron uses when this
 * feature is on (https://www.electronjs.org/docs/latest/api/global-shortcut). Must run before `ready`.
 */
export function enablePortalShortcuts(commandLine: CommandLineLike): void {
  const features = commandLine
    .getSwitchValue('enable-features')
    .split(',')
    .filter((f) => f !== '');
  if (!features.includes('GlobalShortcutsPortal')) features.push('GlobalShortcutsPortal');
  commandLine.appendSwitch('enable-features', features.join(','));
}
