/**
 * A scripted `window.tray` for states the demo cannot reach on demand (no speakers yet, nothing found, account
 * states that need a real Sonos sign-in). It implements the contract's `TrayApi` in the page: replies come from
 * a table the test sets, every request is recorded, and the test can send events. The real popover bundle runs
 * unchanged, served with the real CSP.
 */
import type { Page } from '@playwright/test';
import type {
  EventChannel,
  EventPayloadOf,
  InvokeChannel,
  IpcResult,
  TrayApi,
} from '../../main/contract/ipc';

/** A reply, or `'pending'` for a request that never answers (a loading state). */
export type StubReply = IpcResult<unknown> | 'pending';
export type StubReplies = Partial<Record<InvokeChannel, StubReply>>;

export interface StubControl {
  replies: StubReplies;
  calls: { channel: string; payload: unknown }[];
  emit(event: string, payload: unknown): void;
  listeners(event: string): number;
}

declare global {
  interface Window {
    tray?: TrayApi;
    __stub?: StubControl;
  }
}

export async function installStubTray(page: Page, replies: StubReplies): Promise<void> {
  await page.addInitScript((initial: StubReplies) => {
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    const stub: StubControl = {
      replies: initial,
      calls: [],
      emit(event, payload) {
        for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
      },
      listeners: (event) => listeners.get(event)?.size ?? 0,
    };
    const invoke = (channel: string, payload?: unknown): Promise<unknown> => {
      stub.calls.push({ channel, payload });
      const reply = stub.replies[channel as InvokeChannel] ?? { ok: true, value: null };
      // A structured copy, as IPC would make: the popover must not share objects with the "main process".
      return reply === 'pending' ? new Promise(() => {}) : Promise.resolve(structuredClone(reply));
    };
    window.__stub = stub;
    window.tray = {
      invoke: invoke as TrayApi['invoke'],
      on(event, listener) {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener as (payload: unknown) => void);
        return () => void set.delete(listener as (payload: unknown) => void);
      },
    };
  }, replies);
}

/** Sends a contract event to the popover, as main would. */
export async function emit<E extends EventChannel>(
  page: Page,
  event: E,
  payload: EventPayloadOf<E>,
): Promise<void> {
  await page.evaluate(([name, value]) => window.__stub!.emit(name, value), [event, payload] as const);
}

export async function setReply(page: Page, channel: InvokeChannel, reply: StubReply): Promise<void> {
  await page.evaluate(([name, value]) => (window.__stub!.replies[name] = value), [channel, reply] as const);
}

export async function calls(
  page: Page,
  channel?: InvokeChannel,
): Promise<{ channel: string; payload: unknown }[]> {
  const all = await page.evaluate(() => window.__stub!.calls);
  return channel ? all.filter((c) => c.channel === channel) : all;
}

export async function listenerCount(page: Page, event: EventChannel): Promise<number> {
  return page.evaluate((name) => window.__stub!.listeners(name), event);
}

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}
