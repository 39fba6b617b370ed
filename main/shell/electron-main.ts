/**
 * The Electron main process: hands the real electron module to the shell. (main/index.ts only imports this.)
 */
import * as electron from 'electron';
import electronUpdater from 'electron-updater';
import { join } from 'node:path';
import { startShell } from './app';

// Bundled into out/main/index.js: the app's folders are relative to it.
const appDir = join(import.meta.dirname, '..');
void startShell(electron, {
  appDir,
  resourcesDir: electron.app.isPackaged
    ? join(process.resourcesPath, 'tray')
    : join(appDir, '../resources/tray'),
  // ELECTRON_RENDERER_URL (electron-vite's dev server) is read by startShell, and only when not packaged.
  // electron-updater picks the updater for this install (NSIS, Squirrel.Mac, AppImage, deb, rpm) on first use.
  updates: {
    createUpdater: () => electronUpdater.autoUpdater,
    resourcesPath: electron.app.isPackaged ? process.resourcesPath : null,
  },
})?.catch((error: unknown) => {
  console.error('Tray for Sonos failed to start', error);
  electron.app.exit(1);
});
