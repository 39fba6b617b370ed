import type { EventChannel, EventPayloadOf } from '../contract/ipc';
import { TRANSPORT } from '../contract/transport';
import { AppError } from '../core/errors';
import { encodeEvent, type IpcRouter, type RouterLogger } from '../core/ipc/router';

/**
 * The parts of Electron's IPC objects this module reads, so tests can pass the fake; the shell passes the real
 * `ipcMain` and `webContents`, which the compiler checks against these shapes.
 */
interface FrameLike {
  readonly url: string;
}
interface SenderLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
}
type InvokeEvent = { sender: SenderLike; senderFrame: FrameLike | null };
interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface SenderPolicy {
  /** The web contents of our popover, or null while it does not exist. */
  popover(): SenderLike | null;
  /** Origins the popover may be loaded from (`app://popover`, or the dev server in development). */
  origins: readonly string[];
}

/** `scheme://host`; WHATWG's `URL.origin` is "null" for custom schemes like our `app://`, so build it ourselves. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Only the popover's own top frame, showing our own page, may talk to main: not another window, not an iframe,
 * not a page the popover was somehow navigated to.
 */
export function isTrustedSender(event: InvokeEvent, policy: SenderPolicy): boolean {
  const popover = policy.popover();
  const frame = event.senderFrame;
  if (!popover || !frame) return false;
  if (event.sender.id !== popover.id) return false;
  if (frame !== popover.mainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && policy.origins.includes(origin);
}

/** Registers the one invoke channel; every contract request passes the sender check, then the router. */
export function registerIpc(
  ipcMain: IpcMainLike,
  router: IpcRouter,
  policy: SenderPolicy,
  logger?: RouterLogger,
): () => void {
  ipcMain.handle(TRANSPORT.invoke, async (event, channel, payload) => {
    if (!isTrustedSender(event, policy)) {
      logger?.warn('ipc: refused a foreign sender', { url: event.senderFrame?.url ?? null });
      return {
        ok: false,
        error: new AppError('forbidden-sender', 'This window may not control Tray for Sonos.').toPayload(),
      };
    }
    return router.handle(channel, payload);
  });
  return () => ipcMain.removeHandler(TRANSPORT.invoke);
}

/** Sends a contract event to the popover if it exists; invalid events are dropped by `encodeEvent`. */
export function sendEvent<E extends EventChannel>(
  target: EventTarget | null,
  event: E,
  payload: EventPayloadOf<E>,
  logger?: RouterLogger,
): boolean {
  if (!target || target.isDestroyed()) return false;
  const message = encodeEvent(event, payload, logger);
  if (!message) return false;
  target.send(TRANSPORT.event, message);
  return true;
}
