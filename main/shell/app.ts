import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { hardenContents, hardenSession } from './hardening';

/**
 * The first shape of the shell: one hardened popover window showing the renderer. The tray, IPC wiring, protocol
 * handler, hotkeys and notifications are added by the shell issue.
 */
export function startShell(): void {
  app.on('window-all-closed', () => {
    // A tray app keeps running without windows.
  });

  void app.whenReady().then(async () => {
    const window = new BrowserWindow({
      width: 360,
      height: 560,
      show: false,
      frame: false,
      resizable: false,
      skipTaskbar: true,
      webPreferences: {
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    const devUrl = process.env.ELECTRON_RENDERER_URL;
    hardenSession(window.webContents.session);
    hardenContents(window.webContents, (url) => url.startsWith(devUrl ?? 'file://'));
    window.once('ready-to-show', () => window.show());
    if (devUrl) await window.loadURL(devUrl);
    else await window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  });
}
