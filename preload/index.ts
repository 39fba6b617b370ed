/**
 * Exposes exactly the IPC contract to the sandboxed popover as `window.tray`: `invoke(channel, payload)` and
 * `on(event, listener)` returning an unsubscribe. No raw `ipcRenderer` and no Electron objects cross the bridge;
 * main validates every request and checks that it comes from this popover.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api';

contextBridge.exposeInMainWorld('tray', createPreloadApi(ipcRenderer));
