import type { IpcRendererEvent } from 'electron';
import type { EventChannel, TrayApi } from '../main/contract/ipc';
import { TRANSPORT } from '../main/contract/transport';

type EventMessage = { event: EventChannel; payload: unknown };

interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

function isEventMessage(value: unknown): value is EventMessage {
  return typeof value === 'object' && value !== null && typeof (value as EventMessage).event === 'string';
}

/** The contract as `window.tray`: requests ride the one invoke channel, events are filtered by name. */
export function createPreloadApi(renderer: IpcRendererLike): TrayApi {
  return {
    invoke: ((channel: string, payload?: unknown) =>
      renderer.invoke(TRANSPORT.invoke, channel, payload)) as TrayApi['invoke'],
    on(event, listener) {
      const forward = (_event: IpcRendererEvent, message: unknown): void => {
        if (isEventMessage(message) && message.event === event) {
          (listener as (payload: unknown) => void)(message.payload);
        }
      };
      renderer.on(TRANSPORT.event, forward);
      return () => {
        renderer.removeListener(TRANSPORT.event, forward);
      };
    },
  };
}
