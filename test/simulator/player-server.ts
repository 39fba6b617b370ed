/**
 * One simulated player on the wire: a TLS server on 127.0.0.1 serving `wss://…/websocket/api` and
 * `GET /api/v1/players/local/info`, with a real player's handshake rules (API key, subprotocol, 403 on Origin), its
 * per-socket subscriptions, and the faults tests need (offline, reboot, dropped sockets, garbage, a new certificate).
 * Like a real player it also serves album art itself: over https on that port, and over plain http on a second one
 * (a real player's :1400).
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { serveArt } from './art';
import type { PlayerCertificate } from './certs';
import type { ChangeSink } from './event-hub';
import { garbage, type GarbageKind } from './garbage';
import { currentBody, eventScope, subscriptionOf } from './player-events';
import {
  coordinatorChangedBody,
  eventHeader,
  groupsBody,
  localInfoBody,
  type Frame,
  type FrameContext,
  type JsonObject,
  type Namespace,
  type Scope,
} from './frames';
import type { HoldBackQueues } from './hold-back';
import { TimerSet } from './timers';
import type { HouseholdChange, SimPlayer } from './household';
import {
  decodeFrame,
  execute,
  syntaxError,
  validate,
  type DecodedFrame,
  type Execution,
  type LocalRequest,
  type Subscription,
} from './local-commands';

/** The public, documented key every Control API client sends on the LAN. */
export const SONOS_API_KEY = '123e4567-e89b-12d3-a456-426655440000';
export const SONOS_SUBPROTOCOL = 'v1.api.smartspeaker.audio';

/** Subscriptions that end with their group (the rest are the household's or a player's). */
const GROUP_SCOPED = new Set<Namespace>(['groupVolume', 'playback', 'playbackMetadata']);

export { GARBAGE_KINDS, type GarbageKind } from './garbage';

/** Told synchronously the moment a frame reaches the player, before any queueing (the benchmark's timestamp). */
export interface ReceivedCommand {
  playerId: string;
  namespace: string;
  command: string;
  header: JsonObject;
  body: JsonObject;
  receivedAt: number;
  /**
   * Commands on the same target (group, player, household) that this socket has sent and the player has not yet
   * answered, this one included: 1 means the client waited for every answer before sending again.
   */
  inFlightOnTarget: number;
}

/** An event frame leaving a player: its header's `namespace` and `type`, and `performance.now()` as it was written. */
export interface SentEvent {
  playerId: string;
  namespace: string;
  type: string;
  sentAt: number;
}

export interface PlayerServerSettings {
  latencyMs(): number;
  eventDelayMs(): number;
  applyDelayMs(): number;
  localAuth(): boolean;
}

export interface PlayerServerDeps {
  player: SimPlayer;
  frames: FrameContext;
  queues: HoldBackQueues;
  settings: PlayerServerSettings;
  certificate: PlayerCertificate;
  hold<T>(fn: () => T): { result: T; flush: () => void };
  onCommand(command: ReceivedCommand): void;
  /** Told synchronously as an event frame is written to a socket (the benchmark's "player's event" moment). */
  onEvent(event: SentEvent): void;
  log(message: string): void;
}

interface Connection {
  ws: WebSocket;
  subscriptions: Map<string, Subscription>;
  /** When the last frame queued for this socket goes out; later frames never overtake it. */
  lastDue: number;
  /** Received and not yet answered, by target. */
  outstanding: Map<string, number>;
}

export class PlayerServer implements ChangeSink {
  private readonly player: SimPlayer;
  private readonly frames: FrameContext;
  private readonly server: Server;
  /** Plain http album art, like a real player's port 1400. */
  private readonly artServer: HttpServer;
  private artPortValue = 0;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly rawSockets = new Set<Socket>();
  private readonly timers = new TimerSet();
  private certificateValue: PlayerCertificate;
  private portValue = 0;
  private bindHost = '127.0.0.1';
  private listening = false;
  private stopped = false;
  private extraReplyDelayMs = 0;
  /** Reboots waiting to come back; `stop` releases them so nobody awaits forever. */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly deps: PlayerServerDeps) {
    this.player = deps.player;
    this.frames = deps.frames;
    this.certificateValue = deps.certificate;
    this.server = createServer({ key: deps.certificate.key, cert: deps.certificate.cert });
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(SONOS_SUBPROTOCOL) ? SONOS_SUBPROTOCOL : false),
    });
    this.server.on('connection', (socket: Socket) => {
      this.rawSockets.add(socket);
      socket.on('close', () => this.rawSockets.delete(socket));
    });
    // A client that hangs up mid-handshake must not crash the simulator.
    this.server.on('tlsClientError', () => undefined);
    this.server.on('request', (req, res) => this.handleRequest(req, res));
    this.artServer = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'GET' || !serveArt(url, res, false)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    this.artServer.on('connection', (socket: Socket) => {
      this.rawSockets.add(socket);
      socket.on('close', () => this.rawSockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket, head));
  }

  get port(): number {
    return this.portValue;
  }

  /** The port of the plain http album art (0 until the player first listens). */
  get artPort(): number {
    return this.artPortValue;
  }

  get online(): boolean {
    return this.listening;
  }

  get certificate(): PlayerCertificate {
    return this.certificateValue;
  }

  get openSockets(): number {
    return [...this.connections].filter((c) => c.ws.readyState === WebSocket.OPEN).length;
  }

  /**
   * Listens on `port` (0: a random free port the first time; afterwards always the same one) at `host` (127.0.0.1
   * unless the virtual LAN gives the player an address of its own; afterwards always the same one).
   */
  async listen(port = this.portValue, host = this.bindHost): Promise<void> {
    if (this.listening || this.stopped) return;
    this.bindHost = host;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    if (address && typeof address === 'object') this.portValue = address.port;
    await new Promise<void>((resolve, reject) => {
      this.artServer.once('error', reject);
      this.artServer.listen(this.artPortValue, host, () => {
        this.artServer.off('error', reject);
        resolve();
      });
    });
    const artAddress = this.artServer.address();
    if (artAddress && typeof artAddress === 'object') this.artPortValue = artAddress.port;
    this.listening = true;
  }

  /** Stops listening and cuts every connection without a close frame, like a player that lost power. */
  async goOffline(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      new Promise<void>((resolve) => this.artServer.close(() => resolve())),
    ]);
    this.dropSockets();
    for (const socket of this.rawSockets) socket.destroy();
    await closed;
  }

  async goOnline(): Promise<void> {
    await this.listen(this.portValue);
  }

  /** Down for `downMs`, then back on the same port; subscriptions are gone with the old sockets. */
  async reboot(downMs: number): Promise<void> {
    await this.goOffline();
    await new Promise<void>((resolve) => {
      this.wakers.add(resolve);
      this.timers.after(downMs, () => {
        this.wakers.delete(resolve);
        resolve();
      });
    });
    await this.goOnline();
  }

  async rotateCertificate(certificate: PlayerCertificate): Promise<void> {
    this.certificateValue = certificate;
    this.server.setSecureContext({ key: certificate.key, cert: certificate.cert });
    const wasOnline = this.listening;
    await this.goOffline();
    if (wasOnline) await this.goOnline();
  }

  dropSockets(): void {
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
  }

  setExtraReplyDelay(ms: number): void {
    this.extraReplyDelayMs = ms;
  }

  sendGarbage(kind: GarbageKind): number {
    const payload = garbage(kind, this.frames);
    let sent = 0;
    for (const connection of this.connections) {
      if (connection.ws.readyState !== WebSocket.OPEN) continue;
      sent += 1;
      this.send(connection, payload, 'reply');
    }
    return sent;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.goOffline();
    this.stopped = true;
    this.timers.clear();
    for (const wake of this.wakers) wake();
    this.wakers.clear();
    this.wss.close();
  }

  /** Sends events for a household change to the sockets subscribed to what changed. */
  deliver(change: HouseholdChange): void {
    if (change.kind === 'groups') return this.groupsChanged(change.gone, change.moved);
    const { namespace, targetId } = subscriptionOf(this.frames, change);
    this.broadcast(namespace, targetId, () => currentBody(this.frames, namespace, targetId));
  }

  // ---- HTTP ----

  private handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const path = url.pathname;
    // Album art needs no API key: a controller's image view fetches it like any picture.
    if (req.method === 'GET' && serveArt(url, res, true)) return;
    const answer = (status: number, body: JsonObject) => {
      this.later(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, this.deps.settings.latencyMs() + this.extraReplyDelayMs);
    };
    if (req.headers['x-sonos-api-key'] !== SONOS_API_KEY) {
      // Exactly the captured body (local/rest.error_400_api_key.json); a wrong key is treated like a missing one.
      answer(400, {
        _objectType: 'globalError',
        errorCode: 'ERROR_API_KEY_VALIDATION_FAILED',
        reason: 'Invalid api key',
      });
      return;
    }
    if (req.method === 'GET' && path === '/api/v1/players/local/info') {
      answer(200, localInfoBody(this.frames, this.player));
      return;
    }
    answer(404, {
      _objectType: 'globalError',
      errorCode: 'ERROR_RESOURCE_NOT_FOUND',
      reason: `No resource ${path}`,
    });
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    if (path !== '/websocket/api') return refuse(404, 'Not Found');
    // Players refuse any handshake with an Origin header: browsers always send one.
    if (req.headers.origin !== undefined) return refuse(403, 'Forbidden');
    const key = req.headers['x-sonos-api-key'];
    if (key === undefined) return refuse(401, 'Unauthorized');
    if (key !== SONOS_API_KEY) return refuse(403, 'Forbidden');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(SONOS_SUBPROTOCOL)) return refuse(400, 'Bad Request');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  // ---- websocket ----

  private accept(ws: WebSocket): void {
    if (!this.listening) {
      ws.terminate();
      return;
    }
    const connection: Connection = { ws, subscriptions: new Map(), lastDue: 0, outstanding: new Map() };
    this.connections.add(connection);
    ws.on('message', (data: RawData, isBinary: boolean) => this.receive(connection, data, isBinary));
    ws.on('close', () => this.connections.delete(connection));
    ws.on('error', () => this.connections.delete(connection));
  }

  private receive(connection: Connection, data: RawData, _isBinary: boolean): void {
    const receivedAt = performance.now();
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    const decoded = decodeFrame(text);
    if (!decoded) {
      // Players answer bad syntax with a global error and keep the socket open.
      this.send(connection, syntaxError(this.frames), 'reply');
      return;
    }
    const context = {
      frames: this.frames,
      playerId: this.player.id,
      localAuth: this.deps.settings.localAuth(),
    };
    const inbound = validate(context, decoded);
    if (inbound.kind === 'immediate') {
      this.notify(decoded, receivedAt, 1);
      this.send(connection, inbound.frame, 'reply');
      return;
    }
    const request = inbound.request;
    const inFlight = (connection.outstanding.get(request.targetKey) ?? 0) + 1;
    connection.outstanding.set(request.targetKey, inFlight);
    this.notify(decoded, receivedAt, inFlight);
    this.deps.queues.enqueue(request.targetKey, request.mutating, () => this.run(connection, request));
  }

  private notify(decoded: DecodedFrame, receivedAt: number, inFlightOnTarget: number): void {
    const namespace = decoded.header['namespace'];
    const command = decoded.header['command'];
    this.deps.onCommand({
      playerId: this.player.id,
      namespace: typeof namespace === 'string' ? namespace : '',
      command: typeof command === 'string' ? command : '',
      header: decoded.header,
      body: decoded.body,
      receivedAt,
      inFlightOnTarget,
    });
  }

  private run(connection: Connection, request: LocalRequest): void {
    if (!this.connections.has(connection)) return;
    const left = (connection.outstanding.get(request.targetKey) ?? 1) - 1;
    if (left > 0) connection.outstanding.set(request.targetKey, left);
    else connection.outstanding.delete(request.targetKey);
    const context = {
      frames: this.frames,
      playerId: this.player.id,
      localAuth: this.deps.settings.localAuth(),
    };
    let held: { result: Execution; flush: () => void };
    try {
      held = this.deps.hold(() => execute(context, request));
    } catch (error) {
      this.deps.log(
        `player ${this.player.name}: ${request.namespace}/${request.command} failed: ${String(error)}`,
      );
      return;
    }
    const execution = held.result;
    this.send(connection, execution.reply, 'reply');
    held.flush();
    if (execution.subscribe) {
      const subscription = execution.subscribe;
      connection.subscriptions.set(subscriptionKey(subscription), subscription);
      const snapshot = this.snapshot(subscription);
      if (snapshot) this.send(connection, snapshot, 'event');
    }
    if (execution.unsubscribe) connection.subscriptions.delete(subscriptionKey(execution.unsubscribe));
    const apply = execution.apply;
    if (apply) {
      // A change applied after the ack may find its group regrouped away meanwhile; a player drops it silently.
      const run = (): void => {
        try {
          apply();
        } catch (error) {
          this.deps.log(`player ${this.player.name}: ${request.command} dropped: ${String(error)}`);
        }
      };
      const delay = execution.delayApply ? this.deps.settings.applyDelayMs() : 0;
      if (delay > 0) this.timers.after(delay, run);
      else run();
    }
  }

  private snapshot(subscription: Subscription): Frame | null {
    const { namespace, targetId } = subscription;
    const body = currentBody(this.frames, namespace, targetId);
    return body ? this.event(namespace, eventScope(namespace, targetId), body) : null;
  }

  private event(namespace: Namespace, scope: Scope, body: JsonObject): Frame {
    return [eventHeader(this.frames, namespace, scope), body];
  }

  private broadcast(namespace: Namespace, targetId: string, body: () => JsonObject | null): void {
    const key = subscriptionKey({ namespace, targetId });
    let frame: Frame | null = null;
    for (const connection of this.connections) {
      if (!connection.subscriptions.has(key)) continue;
      if (!frame) {
        const current = body();
        // The target went away before its event went out: nothing to tell.
        if (!current) return;
        frame = this.event(namespace, eventScope(namespace, targetId), current);
      }
      this.send(connection, frame, 'event');
    }
  }

  /**
   * Subscriptions to a group that moved or went away end with a `groupCoordinatorChanged` event (shape from the
   * captured 404 body; sending it as an event is from Sonos' docs), then `groups` subscribers get the new grouping.
   */
  private groupsChanged(gone: string[], moved: ReadonlyMap<string, string>): void {
    const household = this.frames.household;
    for (const connection of this.connections) {
      for (const [key, subscription] of connection.subscriptions) {
        const { namespace, targetId } = subscription;
        if (!GROUP_SCOPED.has(namespace)) continue;
        if (!gone.includes(targetId) && !moved.has(targetId) && household.group(targetId)) continue;
        connection.subscriptions.delete(key);
        const header = {
          ...eventHeader(this.frames, namespace, { groupId: targetId }),
          name: 'groupCoordinatorChanged',
          type: 'groupCoordinatorChanged',
        };
        this.send(
          connection,
          [header, coordinatorChangedBody(this.frames, household.lookupGroup(targetId))],
          'event',
        );
      }
    }
    this.broadcast('groups', household.householdId, () => groupsBody(this.frames, { rest: false }));
  }

  /** Queues a frame behind this socket's earlier ones, after the configured latency. */
  private send(connection: Connection, payload: Frame | string | Buffer, kind: 'reply' | 'event'): void {
    const message = Array.isArray(payload) ? JSON.stringify(payload) : payload;
    const delay =
      this.deps.settings.latencyMs() +
      this.extraReplyDelayMs +
      (kind === 'event' ? this.deps.settings.eventDelayMs() : 0);
    const now = performance.now();
    const due = Math.max(now + delay, connection.lastDue);
    connection.lastDue = due;
    const header = kind === 'event' && Array.isArray(payload) ? payload[0] : null;
    const write = () => {
      if (connection.ws.readyState !== WebSocket.OPEN) return;
      connection.ws.send(message);
      if (header) {
        this.deps.onEvent({
          playerId: this.player.id,
          namespace: String(header['namespace']),
          type: String(header['type']),
          sentAt: performance.now(),
        });
      }
    };
    if (due <= now) write();
    else this.timers.at(due, write);
  }

  private later(fn: () => void, delayMs: number): void {
    if (delayMs <= 0) fn();
    else this.timers.after(delayMs, fn);
  }
}

function subscriptionKey(subscription: Subscription): string {
  return `${subscription.namespace}|${subscription.targetId}`;
}
