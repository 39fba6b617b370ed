/**
 * A deliberately plain websocket client for testing the simulator: `ws` with the API key and subprotocol, trusting
 * the simulator's CA (hostname checks are skipped only because player certificates never name 127.0.0.1, exactly as
 * on hardware). It is not the app's client; it only sends `[header, body]`, matches replies by cmdId and keeps events.
 */
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import {
  SONOS_API_KEY,
  SONOS_SUBPROTOCOL,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../simulator';

export type Header = Record<string, unknown>;
export type Body = Record<string, unknown>;
export type Frame = [Header, Body];

/** Fast timings unless a test asks for hardware-like ones. */
export function startFastSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ holdBackMs: 0, applyDelayMs: 0, seed: 42, ...options });
}

export interface SendOptions {
  groupId?: string;
  playerId?: string;
  householdId?: string | null;
  cmdId?: string | null;
  body?: Body;
}

/**
 * Node's tls wants `Error | undefined` from this hook (@types/ws says boolean). Player certificates never name
 * 127.0.0.1, like hardware, so the chain is verified against the CA and only the name check is skipped.
 */
export const skipNameCheck = (() => undefined) as unknown as NonNullable<
  WebSocket.ClientOptions['checkServerIdentity']
>;

let nextCmdId = 1;

export class TestSocket {
  /** Every message as received (strings for text, Buffers for binary). */
  readonly raw: (string | Buffer)[] = [];
  /** Every message that parsed as a `[header, body]` frame. */
  readonly frames: Frame[] = [];
  private waiters: { test: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  private rawWaiters: {
    test: (data: string | Buffer) => boolean;
    resolve: (data: string | Buffer) => void;
  }[] = [];
  readonly closed: Promise<number>;
  /** The fingerprint of the certificate the player presented in this handshake. */
  peerFingerprint256 = '';

  private constructor(
    readonly ws: WebSocket,
    readonly sim: Simulator,
  ) {
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('upgrade', (res) => {
      this.peerFingerprint256 = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
    });
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? Buffer.from(data as Buffer) : data.toString();
      this.raw.push(message);
      this.rawWaiters = this.rawWaiters.filter((w) => (w.test(message) ? (w.resolve(message), false) : true));
      if (typeof message !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        return;
      }
      if (!Array.isArray(parsed) || parsed.length !== 2) return;
      const frame = parsed as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
  }

  static async open(
    sim: Simulator,
    player: number | string = 1,
    extra: WebSocket.ClientOptions = {},
  ): Promise<TestSocket> {
    const target =
      typeof player === 'number' ? sim.players[player - 1] : sim.players.find((p) => p.id === player);
    if (!target) throw new Error(`no player ${String(player)}`);
    const ws = new WebSocket(target.wss, SONOS_SUBPROTOCOL, {
      headers: { 'X-Sonos-Api-Key': SONOS_API_KEY },
      ca: sim.caPem ?? target.certPem,
      checkServerIdentity: skipNameCheck,
      ...extra,
    });
    const socket = new TestSocket(ws, sim);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  get playerId(): string {
    const port = Number(new URL(this.ws.url).port);
    const player = this.sim.players.find((p) => p.port === port);
    if (!player) throw new Error('socket of unknown player');
    return player.id;
  }

  /** Sends a command and resolves with the frame that answers its cmdId. */
  request(namespace: string, command: string, options: SendOptions = {}): Promise<Frame> {
    const cmdId = options.cmdId ?? `c${nextCmdId++}`;
    const reply = this.waitFor((frame) => frame[0]['cmdId'] === cmdId, `reply to ${namespace}/${command}`);
    this.sendFrame(namespace, command, { ...options, cmdId });
    return reply;
  }

  sendFrame(namespace: string, command: string, options: SendOptions = {}): void {
    const header: Header = { namespace, command };
    if (options.householdId !== null) header['householdId'] = options.householdId ?? this.sim.householdId;
    if (options.groupId !== undefined) header['groupId'] = options.groupId;
    if (options.playerId !== undefined) header['playerId'] = options.playerId;
    if (options.cmdId !== null && options.cmdId !== undefined) header['cmdId'] = options.cmdId;
    this.ws.send(JSON.stringify([header, options.body ?? {}]));
  }

  /** Subscribes and resolves with [ack, snapshot event]. */
  async subscribe(namespace: string, options: SendOptions = {}): Promise<[Frame, Frame]> {
    const name = namespace.replace(/:1$/, '');
    const start = this.frames.length;
    const ack = await this.request(namespace, 'subscribe', options);
    if (ack[0]['success'] !== true) throw new Error(`subscribe failed: ${JSON.stringify(ack)}`);
    const snapshot = await this.waitFor(
      (f, i) => i >= start && f[0]['namespace'] === `${name}:1` && typeof f[0]['name'] === 'string',
      `${name} snapshot`,
    );
    return [ack, snapshot];
  }

  /** Resolves with the first frame (already received or future) that passes `test`. */
  waitFor(test: (frame: Frame, index: number) => boolean, what = 'frame', timeoutMs = 5000): Promise<Frame> {
    const found = this.frames.find((f, i) => test(f, i));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; got ${this.frames.length} frames`));
      }, timeoutMs);
      const waiter = {
        test: (frame: Frame) => test(frame, this.frames.length - 1),
        resolve: (frame: Frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The next event of a namespace/type arriving after this call (or after `since` frames). */
  nextEvent(type: string, since = this.frames.length, timeoutMs = 5000): Promise<Frame> {
    return this.waitFor(
      (f, i) => i >= since && f[0]['type'] === type && 'name' in f[0],
      `${type} event`,
      timeoutMs,
    );
  }

  events(type?: string): Frame[] {
    return this.frames.filter((f) => 'name' in f[0] && (type === undefined || f[0]['type'] === type));
  }

  waitForRaw(test: (data: string | Buffer) => boolean, timeoutMs = 5000): Promise<string | Buffer> {
    const found = this.raw.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for raw message')), timeoutMs);
      this.rawWaiters.push({
        test,
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data);
        },
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Opens a websocket with exactly these settings and reports the HTTP status of a refused handshake (or 101). */
export function handshakeStatus(
  url: string,
  protocols: string[],
  options: WebSocket.ClientOptions,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** GET over the player's TLS port (trusting the simulator CA), resolving with status and parsed JSON body. */
export function httpsGetJson(
  sim: Simulator,
  player: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const target = sim.players[player - 1];
  if (!target) throw new Error(`no player ${player}`);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        path,
        method: 'GET',
        headers,
        ca: sim.caPem ?? target.certPem,
        checkServerIdentity: () => undefined,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
