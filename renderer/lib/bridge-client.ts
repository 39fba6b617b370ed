/**
 * `window.tray` for the browser demo: the same contract as the preload, carried over the bridge's websocket, and
 * the state of that link for the page to show. Requests wait briefly for the socket and otherwise fail with a
 * typed error (never silently); when the socket drops the client asks the bridge why (`GET /bridge?token=…`:
 * 204 yes, 403 this page's token is not the demo's, no answer the demo is gone), reconnects with backoff unless
 * the token was refused, and asks for a fresh snapshot once it is back so the popover never shows stale state.
 */
import type { EventChannel, EventPayloadOf, IpcResult, TrayApi } from '../../main/contract/ipc';

type Listener = (payload: unknown) => void;

/** Why the page is not connected: what the user can do differs for each. */
export type LostReason = 'token' | 'stopped' | 'dropped';

export type LinkState =
  { status: 'connecting' } | { status: 'open' } | { status: 'lost'; reason: LostReason };

export interface BridgeLink {
  state(): LinkState;
  on(listener: (state: LinkState) => void): () => void;
  /** Try again now (the user pressed Retry). */
  retry(): void;
}

const LOST: IpcResult<never> = {
  ok: false,
  error: {
    code: 'unreachable',
    message: 'Not connected to Tray for Sonos.',
    retryable: true,
    details: null,
  },
};

/** How long a request waits for a socket that is (re)connecting before it fails. */
const REQUEST_WAIT_MS = 4_000;
/** How long the first connection may take before the page says it is not connected. */
const FIRST_CONNECT_MS = 5_000;

export function connectBridge(
  location: Pick<Location, 'search' | 'host' | 'protocol'>,
): { tray: TrayApi; link: BridgeLink } | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const query = `token=${encodeURIComponent(token)}`;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge?${query}`;
  const pending = new Map<number, (result: IpcResult<unknown>) => void>();
  const listeners = new Map<string, Set<Listener>>();
  const linkListeners = new Set<(state: LinkState) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let state: LinkState = { status: 'connecting' };
  let retryMs = 250;
  let everOpened = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let firstTimer: ReturnType<typeof setTimeout> | null = null;
  /** Requests waiting for the socket to open; they fail when the link is lost. */
  const waiting = new Set<(open: boolean) => void>();

  const setState = (next: LinkState): void => {
    if (JSON.stringify(next) === JSON.stringify(state)) return;
    state = next;
    if (next.status !== 'connecting') for (const wake of [...waiting]) wake(next.status === 'open');
    for (const listener of [...linkListeners]) listener(next);
  };

  const dispatch = (event: string, payload: unknown): void => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  /** Asks the bridge whether this page's token is still good, to say why the socket is gone. */
  const diagnose = async (): Promise<LostReason> => {
    try {
      const answer = await fetch(`/bridge?${query}`, { cache: 'no-store' });
      return answer.status === 403 ? 'token' : 'dropped';
    } catch {
      return 'stopped';
    }
  };

  const scheduleReconnect = (): void => {
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5_000);
  };

  const lose = async (): Promise<void> => {
    const reason = await diagnose();
    if (socket?.readyState === WebSocket.OPEN) return;
    setState({ status: 'lost', reason });
    // A refused token stays refused: trying again would only repeat the refusal. Retry still asks.
    if (reason !== 'token') scheduleReconnect();
  };

  function connect(): void {
    reconnectTimer = null;
    const ws = new WebSocket(url);
    const old = socket;
    socket = ws;
    // A retry while an attempt is still on its way: the newer one is the one that counts.
    if (old && old.readyState !== WebSocket.CLOSED) old.close();
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      retryMs = 250;
      if (firstTimer) clearTimeout(firstTimer);
      const reconnected = everOpened;
      everOpened = true;
      setState({ status: 'open' });
      if (reconnected) {
        void api.invoke('household:getSnapshot').then((result) => {
          if (result.ok) dispatch('household:snapshot', result.value);
        });
      }
    });
    ws.addEventListener('message', (message: MessageEvent<string>) => {
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
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      for (const resolve of pending.values()) resolve(LOST);
      pending.clear();
      void lose();
    });
  }

  /** The open socket, waiting a little for one that is on its way; null when there is none. */
  const openSocket = async (): Promise<WebSocket | null> => {
    if (state.status === 'open' && socket?.readyState === WebSocket.OPEN) return socket;
    if (state.status === 'lost') return null;
    const opened = await new Promise<boolean>((resolve) => {
      const done = (open: boolean): void => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve(open);
      };
      const timer = setTimeout(() => done(false), REQUEST_WAIT_MS);
      waiting.add(done);
    });
    return opened && socket?.readyState === WebSocket.OPEN ? socket : null;
  };

  const api: TrayApi = {
    invoke: (async (channel: string, payload?: unknown) => {
      const ws = await openSocket();
      if (!ws) return LOST;
      return new Promise<IpcResult<unknown>>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
      });
    }) as TrayApi['invoke'],
    on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => {
        set.delete(listener as Listener);
      };
    },
  };

  const link: BridgeLink = {
    state: () => state,
    on(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
    retry() {
      if (state.status === 'open') return;
      retryMs = 250;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      setState({ status: 'connecting' });
      connect();
    },
  };

  connect();
  // A page whose socket neither opens nor fails (a server that accepts and never answers) is not left spinning.
  firstTimer = setTimeout(() => {
    if (state.status === 'connecting' && !everOpened) void lose();
  }, FIRST_CONNECT_MS);
  return { tray: api, link };
}
