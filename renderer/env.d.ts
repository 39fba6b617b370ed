import type { TrayApi } from '../main/contract/ipc';

declare global {
  interface Window {
    /** The IPC contract, exposed by the preload in the app or by the websocket bridge in the demo. */
    tray?: TrayApi;
  }
}

export {};
