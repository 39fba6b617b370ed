/**
 * The browser bridge: serves the built popover and carries the IPC contract over a websocket, so the real core
 * and the real popover run together in a browser (`npm run demo`). It binds to 127.0.0.1 only; the websocket
 * needs the random token from the URL, our own Origin and our own Host header (no other page, and no DNS
 * rebinding, can drive the speakers). Requests go through the same router, with the same validation, as IPC.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppCore } from '../core/app-core';
import { AppError } from '../core/errors';
import { encodeEvent } from '../core/ipc/router';
import type { Logger } from '../core/logger';
import { popoverCsp } from '../core/security/csp';
import { createStaticHandler } from './static-files';

export const BRIDGE_PATH = '/bridge';
const MAX_MESSAGE_BYTES = 64 * 1024;
/** Requests of one page being handled at once; the popover has a handful at most (a drag is coalesced). */
export const MAX_IN_FLIGHT = 32;
/**
 * Answers and events waiting to be sent to one page. A page that stops reading would otherwise grow the demo
 * without end (a security review saw 153 → 325 MB); past this it is closed, and a reload connects again.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface BridgeServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface BridgeOptions {
  core: AppCore;
  rendererDir: string;
  logger: Logger;
  port?: number;
  token?: string;
  /** Album art under `/art/` (the core's art proxy). */
  art?: ((path: string) => Promise<{ type: string; body: Buffer } | null>) | null;
}

/** Client → server: `{type: 'invoke', id, channel, payload}`. Server → client: results and events. */
export type BridgeMessage =
  { type: 'result'; id: number; result: unknown } | { type: 'event'; event: string; payload: unknown };

function pathOf(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function startBridgeServer(options: BridgeOptions): Promise<BridgeServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { core, logger } = options;
  const serveStatic = createStaticHandler(
    options.rendererDir,
    popoverCsp({ bridge: true }),
    options.art ?? null,
  );
  const server: Server = createServer((req, res) => {
    // The page asks here why its socket is gone: 204 while its token is good, 403 when it is not (the demo was
    // restarted and has a new one). Nothing else is told.
    if (pathOf(req.url) === BRIDGE_PATH) {
      const refusal = allowed(req, { origin: false });
      res.writeHead(refusal ? 403 : 204, { 'Cache-Control': 'no-store' }).end();
      return;
    }
    serveStatic(req, res).catch((error: unknown) => {
      logger.warn('bridge: a page request failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const allowed = (req: IncomingMessage, check: { origin: boolean } = { origin: true }): string | null => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return 'malformed address';
    }
    if (url.pathname !== BRIDGE_PATH) return 'wrong path';
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return 'bad token';
    if (req.headers.host !== `127.0.0.1:${port}`) return 'foreign host';
    // A same-origin GET carries no Origin header; the websocket always does.
    if (check.origin && req.headers.origin !== origin) return 'foreign origin';
    return null;
  };

  server.on('upgrade', (req, socket, head) => {
    const refusal = allowed(req);
    if (refusal) {
      logger.warn('bridge refused a connection', { reason: refusal });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  // A page connected to the bridge is the demo's popover on screen; the core polls cloud households meanwhile.
  let pages = 0;
  const attach = (ws: WebSocket): void => {
    pages += 1;
    if (pages === 1) core.setPopoverVisible(true);
    let inFlight = 0;
    let saidBusy = false;
    const send = (message: BridgeMessage): void => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(message));
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        logger.warn('bridge closed a page that stopped reading', { buffered: ws.bufferedAmount });
        ws.terminate();
      }
    };
    const unsubscribe = core.subscribe((event, payload) => {
      const encoded = encodeEvent(event, payload, logger);
      if (encoded) send({ type: 'event', event: encoded.event, payload: encoded.payload });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      const { type, id, channel, payload } = (message ?? {}) as Record<string, unknown>;
      if (type !== 'invoke' || typeof id !== 'number' || !Number.isSafeInteger(id)) return;
      if (inFlight >= MAX_IN_FLIGHT) {
        if (!saidBusy) logger.warn('bridge: too many requests at once from a page', { inFlight });
        saidBusy = true;
        const busy = new AppError('unexpected', 'Too many requests at once; try again.', { retryable: true });
        send({ type: 'result', id, result: { ok: false, error: busy.toPayload() } });
        return;
      }
      inFlight += 1;
      void core.router
        .handle(channel, payload)
        .then((result) => send({ type: 'result', id, result }))
        .finally(() => (inFlight -= 1));
    });
    ws.on('close', () => {
      unsubscribe();
      pages -= 1;
      if (pages === 0) core.setPopoverVisible(false);
    });
    ws.on('error', () => ws.terminate());
  };

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
