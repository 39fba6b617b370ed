/** The tray built from Electron's own classes (main/shell/tray.ts has what it shows and does). */
import type * as Electron from 'electron';
import type { ElectronModules } from './app';
import { AppTray } from './tray';

/** Builds the tray from Electron's classes; keeps the icon's bounds at hand for positioning the popover. */
export class AppTrayHandle {
  readonly tray: AppTray;
  private electronTray: Electron.Tray | null = null;

  constructor(
    electron: Pick<ElectronModules, 'nativeImage' | 'Tray' | 'Menu'>,
    resourcesDir: string,
    platform: NodeJS.Platform,
    actions: ConstructorParameters<typeof AppTray>[1],
  ) {
    this.tray = new AppTray(
      {
        createTray: (iconPath) => {
          const image = electron.nativeImage.createFromPath(iconPath);
          if (platform === 'darwin') image.setTemplateImage(true);
          this.electronTray = new electron.Tray(image);
          return this.electronTray as never;
        },
        buildMenu: (template) => electron.Menu.buildFromTemplate(template),
        platform,
        resourcesDir,
      },
      actions,
    );
  }

  bounds(): Electron.Rectangle | null {
    return this.electronTray?.getBounds() ?? null;
  }

  update(...args: Parameters<AppTray['update']>): void {
    this.tray.update(...args);
  }

  destroy(): void {
    this.tray.destroy();
  }
}
