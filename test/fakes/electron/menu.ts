/**
 * Menus: the tray's context menu, and the application menu whose accelerators reach every focused window — which
 * is why a frameless popover still closes on Ctrl+W unless the app replaces Electron's default menu.
 */
import { isMac, isWindows } from './platform';
import { record } from './record';

export interface FakeMenuItem {
  label?: string;
  type?: string;
  role?: string;
  accelerator?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: FakeMenuItem[];
}

export class Menu {
  /** 'unset' until `ready`, then Electron's default menu unless the app set one (or null). */
  static application: Menu | null | 'unset' = 'unset';

  constructor(public readonly items: FakeMenuItem[]) {}
  static buildFromTemplate(template: FakeMenuItem[]): Menu {
    record('Menu', 'buildFromTemplate', [template]);
    return new Menu(template);
  }
  static setApplicationMenu(menu: Menu | null): void {
    record('Menu', 'setApplicationMenu', [menu]);
    Menu.application = menu;
  }
  static getApplicationMenu(): Menu | null {
    return Menu.application === 'unset' ? null : Menu.application;
  }
  /**
   * Called at `ready`: an app that set no menu gets Electron's default one — File, Edit, View, Window (and the app
   * menu on macOS) — https://github.com/electron/electron/blob/main/lib/browser/default-menu.ts and "Passing null
   * will suppress the default menu", https://www.electronjs.org/docs/latest/api/menu#menusetapplicationmenumenu
   */
  static installDefaultIfUnset(): void {
    if (Menu.application !== 'unset') return;
    Menu.application = new Menu([
      ...(isMac() ? [{ role: 'appMenu' }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]);
  }
  /** Test helper. */
  item(label: string): FakeMenuItem | undefined {
    return this.items.find((item) => item.label === label);
  }
}

/**
 * What each role expands to and its accelerator on this platform, as Electron defines them:
 * https://github.com/electron/electron/blob/main/lib/browser/api/menu-item-roles.ts (`quit` has no accelerator
 * on Windows; File holds Close on macOS and Quit elsewhere; Window holds Close except on macOS).
 */
function expandRole(role: string): FakeMenuItem[] {
  switch (role.toLowerCase()) {
    case 'appmenu':
      return [{ role: 'hide' }, { role: 'quit' }];
    case 'filemenu':
      return [isMac() ? { role: 'close' } : { role: 'quit' }];
    case 'editmenu':
      return ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'].map((r) => ({ role: r }));
    case 'viewmenu':
      return [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }];
    case 'windowmenu':
      return [{ role: 'minimize' }, ...(isMac() ? [] : [{ role: 'close' }])];
    default:
      return [];
  }
}

const ROLE_ACCELERATORS: Record<string, () => string | undefined> = {
  close: () => 'CommandOrControl+W',
  quit: () => (isWindows() ? undefined : 'CommandOrControl+Q'),
  reload: () => 'CommandOrControl+R',
  paste: () => 'CommandOrControl+V',
};

function normalize(accelerator: string): string {
  return accelerator
    .split('+')
    .map((key) => (/^(cmdorctrl|commandorcontrol)$/i.test(key) ? 'mod' : key.toLowerCase()))
    .sort()
    .join('+');
}

/** The role the application menu binds to this key combination, if any. */
export function roleForAccelerator(accelerator: string): string | null {
  const menu = Menu.getApplicationMenu();
  if (!menu) return null;
  const wanted = normalize(accelerator);
  const visit = (items: FakeMenuItem[]): string | null => {
    for (const item of items) {
      const role = item.role?.toLowerCase();
      const children = item.submenu ?? (role ? expandRole(role) : []);
      const own = item.accelerator ?? (role ? ROLE_ACCELERATORS[role]?.() : undefined);
      if (role && own && normalize(own) === wanted) return role;
      const found = visit(children);
      if (found) return found;
    }
    return null;
  };
  return visit(menu.items);
}
