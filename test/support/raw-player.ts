/**
 * A TLS websocket "player" that does only what a test tells it to: no automatic replies, no pongs unless asked.
 * For what the simulator is too polite to do (silence, arbitrary frames) and for fuzzing.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createAuthority, issuePlayerCertificate } from '../simulator/certs';

export interface RawPlayer {
  url: string;
  headers: Record<string, string | string[] | undefined>[];
  frames: string[];
  server: Server;
  wss: WebSocketServer;
  sockets(): WebSocket[];
  /** Sends to every connected client. */
  broadcast(data: string | Buffer): void;
  close(): Promise<void>;
}

export async function startRawPlayer(options: { autoPong?: boolean } = {}): Promise<RawPlayer> {
  const authority = await createAuthority();
  const cert = await issuePlayerCertificate(authority, 'RINCON_RAW000000001400.sonos.local');
  const server = createServer({ cert: cert.cert, key: cert.key });
  const wss = new WebSocketServer({
    server,
    autoPong: options.autoPong ?? false,
    maxPayload: 16 * 1024 * 1024,
    handleProtocols: (protocols) => [...protocols][0] ?? false,
  });
  const headers: RawPlayer['headers'] = [];
  const frames: string[] = [];
  wss.on('connection', (ws, req) => {
    headers.push(req.headers);
    ws.on('message', (data) => frames.push(data.toString()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `wss://127.0.0.1:${port}/websocket/api`,
    headers,
    frames,
    server,
    wss,
    sockets: () => [...wss.clients],
    broadcast(data) {
      for (const client of wss.clients) client.send(data);
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
