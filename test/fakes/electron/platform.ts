/**
 * The desktop the fake pretends to run on. Each profile is a whole environment, not a flag: the platform
 * `process.platform` would say, the variables a login session of that kind sets, and (checked by the fake's
 * classes through the helpers below) the behaviours Electron 45 documents for it. Every behaviour that differs is
 * modelled where it happens, next to the doc page or issue that says so.
 *
 * - `darwin`: macOS, an unsigned development build unless a test sets `app.isPackaged`.
 * - `win32`: Windows 10/11.
 * - `linux-x11`: GNOME/KDE on Xorg (or XWayland), tray through StatusNotifierItem/AppIndicator.
 * - `linux-wayland`: GNOME/KDE on Wayland with Electron ≥ 38 running natively (`--ozone-platform` defaults to
 *   `auto`: https://github.com/electron/electron/blob/main/docs/breaking-changes.md, "Planned Breaking API
 *   Changes (38.0)").
 */
export const PROFILES = ['darwin', 'win32', 'linux-x11', 'linux-wayland'] as const;
export type ProfileName = (typeof PROFILES)[number];

let current: ProfileName = 'linux-x11';

export function profile(): ProfileName {
  return current;
}

export function setProfile(name: ProfileName): void {
  current = name;
}

export function platformOf(name: ProfileName = current): NodeJS.Platform {
  return name === 'darwin' ? 'darwin' : name === 'win32' ? 'win32' : 'linux';
}

/** What the login session puts in the environment (the shell reads these to know where it runs). */
export function sessionEnv(name: ProfileName = current): NodeJS.ProcessEnv {
  switch (name) {
    case 'linux-x11':
      return { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0', XDG_CURRENT_DESKTOP: 'GNOME' };
    case 'linux-wayland':
      return {
        XDG_SESSION_TYPE: 'wayland',
        WAYLAND_DISPLAY: 'wayland-0',
        DISPLAY: ':0',
        XDG_CURRENT_DESKTOP: 'GNOME',
      };
    default:
      return {};
  }
}

export const isMac = (): boolean => current === 'darwin';
export const isWindows = (): boolean => current === 'win32';
export const isLinux = (): boolean => current === 'linux-x11' || current === 'linux-wayland';
export const isWayland = (): boolean => current === 'linux-wayland';
