/** ipcMain, ipcRenderer and contextBridge: handlers are called as the renderer's `invoke` would call them. */
import { EventEmitter } from 'node:events';
import { record } from './record';
import type { FakeWebContents, FakeWebFrameMain } from './windows';

export interface FakeIpcMainInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeWebFrameMain | null;
}

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: FakeIpcMainInvokeEvent, ...args: unknown[]) => unknown>();

  handle(channel: string, handler: (event: FakeIpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    record('ipcMain', 'handle', [channel]);
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    record('ipcMain', 'removeHandler', [channel]);
    this.handlers.delete(channel);
  }
  /** Test helper: what `ipcRenderer.invoke` from `sender` would get. */
  async invoke(sender: FakeWebContents, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: sender.mainFrame }, ...args);
  }
}

class FakeIpcRenderer extends EventEmitter {
  invokeImpl: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => undefined;
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    record('ipcRenderer', 'invoke', [channel, ...args]);
    return this.invokeImpl(channel, ...args);
  }
}

export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    record('contextBridge', 'exposeInMainWorld', [key]);
    contextBridge.exposed[key] = api;
  },
};

export function resetIpc(): void {
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invokeImpl = async () => undefined;
  contextBridge.exposed = {};
}
