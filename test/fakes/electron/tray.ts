/** The tray icon and images: what a click on it delivers depends on the desktop. */
import { EventEmitter } from 'node:events';
import type { Menu } from './menu';
import { isLinux } from './platform';
import { record, type Rectangle } from './record';

/** How close a second click must follow the first to be a double click (the OS setting; 500 ms by default). */
export const DOUBLE_CLICK_MS = 500;

export class Tray extends EventEmitter {
  static readonly instances: Tray[] = [];
  tooltip = '';
  contextMenu: Menu | null = null;
  /** Where the icon is on screen (what macOS and Windows report). */
  bounds: Rectangle = { x: 0, y: 0, width: 0, height: 0 };
  image: unknown;
  /** Times the desktop opened our context menu itself (Linux tray hosts do that on any click). */
  menuShownByHost = 0;
  private lastClickAt = -Infinity;

  constructor(image: unknown) {
    super();
    record('Tray', 'constructor', [image]);
    this.image = image;
    Tray.instances.push(this);
  }
  setToolTip(text: string): void {
    record('Tray', 'setToolTip', [text]);
    this.tooltip = text;
  }
  setContextMenu(menu: Menu | null): void {
    record('Tray', 'setContextMenu', [menu]);
    this.contextMenu = menu;
  }
  popUpContextMenu(menu?: Menu): void {
    record('Tray', 'popUpContextMenu', [menu]);
  }
  /** "getBounds() macOS Windows": a Linux tray (StatusNotifierItem) has no position to report (tray.md). */
  getBounds(): Rectangle {
    return isLinux() ? { x: 0, y: 0, width: 0, height: 0 } : { ...this.bounds };
  }
  setImage(image: unknown): void {
    record('Tray', 'setImage', [image]);
    this.image = image;
  }
  destroy(): void {
    record('Tray', 'destroy', []);
  }

  /**
   * Test helper: a left click at time `now` (ms). On macOS and Windows a click that follows the previous one within
   * the double-click time arrives as `double-click`, not `click` ('double-click' macOS Windows, tray.md). On Linux
   * "the StatusNotifierItem spec does not specify which action would cause an activation" and AppIndicator hosts
   * show the menu instead (tray.md, Platform Considerations): the fake delivers no click there at all.
   */
  userClick(now: number): void {
    if (isLinux()) {
      if (this.contextMenu) this.menuShownByHost += 1;
      return;
    }
    const bounds = this.getBounds();
    const double = now - this.lastClickAt <= DOUBLE_CLICK_MS;
    this.lastClickAt = double ? -Infinity : now;
    this.emit(double ? 'double-click' : 'click', {}, bounds);
  }
  /** Test helper: a right click ('right-click' macOS Windows; on Linux the host shows the attached menu). */
  userRightClick(): void {
    if (isLinux()) {
      if (this.contextMenu) this.menuShownByHost += 1;
      return;
    }
    this.emit('right-click', {}, this.getBounds());
  }
}

export const nativeImage = {
  createFromPath(path: string): { path: string; setTemplateImage(flag: boolean): void; isEmpty(): boolean } {
    record('nativeImage', 'createFromPath', [path]);
    return {
      path,
      setTemplateImage: (flag) => record('nativeImage', 'setTemplateImage', [flag]),
      isEmpty: () => false,
    };
  },
  createFromBuffer(buffer: Buffer): { size: number; isEmpty(): boolean } {
    record('nativeImage', 'createFromBuffer', [buffer.length]);
    return { size: buffer.length, isEmpty: () => buffer.length === 0 };
  },
};
