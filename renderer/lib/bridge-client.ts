/**
 * `window.tray` for the browser demo: the same contract as the preload, carried over the bridge's websocket.
 * Requests wait for the socket; if it drops they fail with a typed error and the client reconnects, then asks for
 * a fresh snapshot so the popover never shows stale state.
 */
import type { EventChannel, EventPayloadOf, IpcResult, TrayApi } from '../../main/contract/ipc';

type Listener = (payload: unknown) => void;

const LOST: IpcResult<never> = {
  ok: false,
  error: {
    code: 'unreachable',
    message: 'Lost the connection to Tray for Sonos.',
    retryable: true,
    details: null,
  },
};

export function connectBridge(location: Pick<Location, 'search' | 'host' | 'protocol'>): TrayApi | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (result: IpcResult<unknown>) => void>();
  const listeners = new Map<string, Set<Listener>>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<WebSocket>;
  let retryMs = 250;
  let everOpened = false;

  const dispatch = (event: string, payload: unknown): void => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  const connect = (): void => {
    socket = new WebSocket(url);
    opened = new Promise((resolve) => {
      socket.addEventListener('open', () => {
        retryMs = 250;
        const reconnected = everOpened;
        everOpened = true;
        resolve(socket);
        if (reconnected) {
          void api.invoke('household:getSnapshot').then((result) => {
            if (result.ok) dispatch('household:snapshot', result.value);
          });
        }
      });
    });
    socket.addEventListener('message', (message: MessageEvent<string>) => {
      let data: {
        type?: string;
        id?: number;
        result?: IpcResult<unknown>;
        event?: string;
        payload?: unknown;
      };
      try {
        data = JSON.parse(message.data) as typeof data;
      } catch {
        return;
      }
      if (data.type === 'result' && typeof data.id === 'number' && data.result) {
        pending.get(data.id)?.(data.result);
        pending.delete(data.id);
      } else if (data.type === 'event' && typeof data.event === 'string') {
        dispatch(data.event, data.payload);
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of pending.values()) resolve(LOST);
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    });
  };

  const api: TrayApi = {
    invoke: ((channel: string, payload?: unknown) =>
      opened.then(
        (ws) =>
          new Promise<IpcResult<unknown>>((resolve) => {
            const id = nextId++;
            pending.set(id, resolve);
            ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
          }),
      )) as TrayApi['invoke'],
    on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => {
        set.delete(listener as Listener);
      };
    },
  };
  connect();
  return api;
}
