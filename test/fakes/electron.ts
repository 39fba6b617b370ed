/**
 * A stand-in for the `electron` module, for tests on a machine where the Electron binary cannot run. It implements
 * what the shell uses, records every call in `calls`, and behaves as Electron 45 documents it does on the desktop
 * chosen with `resetElectronFake(profile)` — `darwin`, `win32`, `linux-x11` or `linux-wayland` (see
 * electron/platform.ts). A fake kinder than the real thing hides bugs, so refusals and platform gaps are modelled
 * where the docs or the issue tracker describe them, each with its source next to it.
 *
 * vitest aliases `electron` to this file (vitest.config.ts), so a stray import in a test never downloads Electron.
 */
import { app, resetApp } from './electron/app';
import { createNet } from './net';
import { contextBridge, ipcMain, ipcRenderer, resetIpc } from './electron/ipc';
import { Menu } from './electron/menu';
import { setProfile, type ProfileName } from './electron/platform';
import { calls } from './electron/record';
import {
  autoUpdater,
  clipboard,
  globalShortcut,
  nativeTheme,
  Notification,
  powerMonitor,
  protocol,
  resetServices,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
} from './electron/services';
import { nativeImage, Tray } from './electron/tray';
import { BrowserWindow } from './electron/windows';

export * from './electron/app';
export * from './electron/ipc';
export * from './electron/menu';
export * from './electron/platform';
export * from './electron/record';
export * from './electron/services';
export * from './electron/tray';
export * from './electron/windows';

/** See test/fakes/net.ts. */
export const net = createNet(() => app.isReady());

/** Puts every fake back to its first state on the given desktop; call in `beforeEach`. */
export function resetElectronFake(name: ProfileName = 'linux-x11'): void {
  setProfile(name);
  calls.length = 0;
  resetApp();
  resetIpc();
  resetServices();
  BrowserWindow.instances.length = 0;
  BrowserWindow.holdLoads = false;
  Tray.instances.length = 0;
}

/** Lets queued page loads and notification events run (they happen a microtask later, as in Electron). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export default {
  app,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  ipcMain,
  ipcRenderer,
  contextBridge,
  safeStorage,
  globalShortcut,
  Notification,
  shell,
  clipboard,
  nativeTheme,
  screen,
  protocol,
  session,
  powerMonitor,
  systemPreferences,
  net,
  autoUpdater,
};
