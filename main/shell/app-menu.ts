/**
 * The application menu. Electron installs a default one (File, Edit, View, Window) when an app sets none, and its
 * accelerators reach every focused window, the frameless popover too: Ctrl+W would close it for good, Ctrl+R reload
 * it, Ctrl+Q quit (https://www.electronjs.org/docs/latest/api/menu#menusetapplicationmenumenu, default-menu.ts). So
 * Windows and Linux get no menu at all. On macOS text editing keys travel through the menu, so the app keeps just
 * an Edit menu there — Cmd+V must paste the sign-in address (the app shows no menu bar).
 */
import type * as Electron from 'electron';

export function applicationMenuTemplate(
  platform: NodeJS.Platform,
): Electron.MenuItemConstructorOptions[] | null {
  return platform === 'darwin' ? [{ role: 'editMenu' }] : null;
}

/** After `ready` (Electron puts its default menu in place at `ready` unless one was set). */
export function installApplicationMenu(
  menu: Pick<typeof Electron.Menu, 'buildFromTemplate' | 'setApplicationMenu'>,
  platform: NodeJS.Platform,
): void {
  const template = applicationMenuTemplate(platform);
  menu.setApplicationMenu(template ? menu.buildFromTemplate(template) : null);
}
