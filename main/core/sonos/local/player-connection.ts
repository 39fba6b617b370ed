/**
 * One websocket to one player, kept alive for as long as we need the player: opened from Node without an Origin
 * header (players answer 403 to one), API key and subprotocol set, certificate checked by `TlsTrust` before any
 * command is sent, pinged to keep it open, reconnected with exponential backoff and jitter, and resubscribed after
 * every reconnect. Commands are matched to replies by `cmdId` and time out with a clear error.
 */
import { EventEmitter } from 'node:events';
import type { LookupFunction } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import WebSocket from 'ws';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { toNetworkError } from '../../net-errors';
import { SONOS_LOCAL_API_KEY, SONOS_WS_SUBPROTOCOL } from '../constants';
import {
  encodeCommand,
  MAX_FRAME_BYTES,
  parseFrame,
  type CommandTarget,
  type Header,
  type ParsedFrame,
} from './frames';
import type { TlsTrust } from './tls-trust';

export type LinkState = 'idle' | 'connecting' | 'open' | 'backoff' | 'stopped';

export interface Reply {
  ok: boolean;
  namespace: string;
  header: Header;
  body: Record<string, unknown>;
}

export interface Subscription {
  namespace: string;
  target: CommandTarget;
}

export interface PlayerConnectionOptions {
  url: string;
  playerId: string;
  trust: TlsTrust;
  logger: Logger;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  keepAliveMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** An open socket counts as healthy, and the backoff starts again from the beginning, after this long. */
  stableAfterMs?: number;
  random?: () => number;
  /** Name resolution for players known by host name (tests resolve without a DNS server). */
  lookup?: LookupFunction;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: AppError): void;
  timer: NodeJS.Timeout;
}

type Events = {
  state: [LinkState, AppError | null];
  frame: [ParsedFrame];
  open: [];
  /** The player accepted a subscription: it lets us control it locally. */
  accepted: [];
};

const subscriptionKey = (s: Subscription): string =>
  `${s.namespace}|${s.target.householdId}|${s.target.groupId ?? ''}|${s.target.playerId ?? ''}`;

export class PlayerConnection extends EventEmitter<Events> {
  readonly playerId: string;
  private url: string;
  private socket: WebSocket | null = null;
  private linkState: LinkState = 'idle';
  private error: AppError | null = null;
  private attempt = 0;
  /** When the current socket opened (ms since the epoch), until it closes. */
  private openedAt: number | null = null;
  private nextCmd = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly subscriptions = new Map<string, Subscription>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  private droppedFrames = 0;
  private readonly o: Required<
    Omit<PlayerConnectionOptions, 'url' | 'playerId' | 'trust' | 'logger' | 'lookup'>
  >;

  constructor(private readonly options: PlayerConnectionOptions) {
    super();
    this.playerId = options.playerId;
    this.url = options.url;
    this.o = {
      commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 8_000,
      keepAliveMs: options.keepAliveMs ?? 30_000,
      backoffInitialMs: options.backoffInitialMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      stableAfterMs: options.stableAfterMs ?? 10_000,
      random: options.random ?? Math.random,
    };
  }

  get state(): LinkState {
    return this.linkState;
  }
  get lastError(): AppError | null {
    return this.error;
  }
  get address(): string {
    return this.url;
  }
  get droppedFrameCount(): number {
    return this.droppedFrames;
  }

  start(): void {
    if (this.linkState === 'idle' || this.linkState === 'stopped') this.open();
  }

  /** A player moved to another address (DHCP): reconnect there. */
  setUrl(url: string): void {
    if (url === this.url) return;
    this.url = url;
    if (this.linkState !== 'idle' && this.linkState !== 'stopped') this.reconnectNow();
  }

  /** Skip the backoff wait (the user asked, the network came back, or a certificate was trusted). */
  reconnectNow(): void {
    if (this.linkState === 'stopped' || this.linkState === 'idle') return;
    this.attempt = 0;
    if (this.linkState === 'backoff') {
      this.clearReconnect();
      this.open();
    } else if (this.socket) {
      this.socket.terminate();
    }
  }

  stop(): void {
    this.clearReconnect();
    this.setState('stopped', null);
    this.teardown(
      new AppError('unreachable', 'The connection to this speaker was closed.', { retryable: true }),
    );
  }

  /** Desired subscriptions; sent now if open, and again after every reconnect. */
  subscribe(subscription: Subscription): void {
    const key = subscriptionKey(subscription);
    if (this.subscriptions.has(key)) return;
    this.subscriptions.set(key, subscription);
    if (this.linkState === 'open') void this.sendSubscribe(subscription, 'subscribe');
  }

  unsubscribe(subscription: Subscription): void {
    const key = subscriptionKey(subscription);
    if (!this.subscriptions.delete(key)) return;
    if (this.linkState === 'open') void this.sendSubscribe(subscription, 'unsubscribe');
  }

  /**
   * Drops every subscription matching `predicate`. `tell: false` forgets them without a word to the player, for
   * targets that no longer exist (the player has dropped those subscriptions itself).
   */
  unsubscribeWhere(predicate: (subscription: Subscription) => boolean, tell = true): void {
    for (const [key, subscription] of [...this.subscriptions]) {
      if (!predicate(subscription)) continue;
      if (tell) this.unsubscribe(subscription);
      else this.subscriptions.delete(key);
    }
  }

  hasSubscription(subscription: Subscription): boolean {
    return this.subscriptions.has(subscriptionKey(subscription));
  }

  /**
   * Sends a command and resolves with the reply, successful or not (`ok: false` carries the player's error or
   * `groupCoordinatorChanged` body). Rejects only when the player could not be asked: not connected, timed out.
   */
  send(
    namespace: string,
    command: string,
    target: CommandTarget,
    body: Record<string, unknown> = {},
  ): Promise<Reply> {
    // A socket that is still opening gets the command once it is open. Waiting for the socket and for the answer
    // each have the command time limit, so this can take up to twice as long.
    if (this.linkState === 'connecting') {
      return this.whenOpen().then(() => this.send(namespace, command, target, body));
    }
    const socket = this.socket;
    if (this.linkState !== 'open' || !socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(
        this.error ??
          new AppError('unreachable', 'This speaker is not connected right now.', {
            retryable: true,
            details: { technical: `${this.playerId} is ${this.linkState}` },
          }),
      );
    }
    const cmdId = String(this.nextCmd++);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cmdId);
        reject(
          new AppError('timeout', 'The speaker did not answer in time.', {
            retryable: true,
            maybeDelivered: true,
            details: {
              technical: `${namespace} ${command} to ${this.playerId}: no reply in ${this.o.commandTimeoutMs} ms`,
            },
          }),
        );
      }, this.o.commandTimeoutMs);
      timer.unref?.();
      this.pending.set(cmdId, { resolve, reject, timer });
      socket.send(encodeCommand(namespace, command, target, cmdId, body), (error) => {
        if (!error) return;
        const entry = this.pending.get(cmdId);
        if (!entry) return;
        clearTimeout(entry.timer);
        this.pending.delete(cmdId);
        entry.reject(
          new AppError('unreachable', 'The speaker connection failed while sending.', { retryable: true }),
        );
      });
    });
  }

  private whenOpen(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('state', onState);
        reject(
          new AppError('timeout', 'The speaker did not answer in time.', {
            retryable: true,
            details: { technical: `${this.playerId}: still connecting after ${this.o.commandTimeoutMs} ms` },
          }),
        );
      }, this.o.commandTimeoutMs);
      timer.unref?.();
      const onState = (state: LinkState, error: AppError | null): void => {
        if (state === 'connecting') return;
        clearTimeout(timer);
        this.off('state', onState);
        if (state === 'open') resolve();
        else
          reject(
            error ??
              new AppError('unreachable', 'This speaker is not connected right now.', {
                retryable: true,
                details: { technical: `${this.playerId} is ${state}` },
              }),
          );
      };
      this.on('state', onState);
    });
  }

  // -----------------------------------------------------------------------------------------------------------

  private open(): void {
    this.clearReconnect();
    this.setState('connecting', this.error);
    const { trust, logger } = this.options;
    const playerId = this.playerId;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url, SONOS_WS_SUBPROTOCOL, {
        headers: { 'X-Sonos-Api-Key': SONOS_LOCAL_API_KEY },
        handshakeTimeout: this.o.connectTimeoutMs,
        perMessageDeflate: false,
        maxPayload: MAX_FRAME_BYTES,
        followRedirects: false,
        createConnection: ((options: ConnectionOptions) => {
          const tls = tlsConnect({
            ...options,
            ...trust.connectOptions(),
            ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
          });
          tls.once('secureConnect', () => {
            try {
              trust.verifySocket(tls, playerId);
            } catch (error) {
              tls.destroy(error as Error);
            }
          });
          return tls;
        }) as never,
      });
    } catch (error) {
      this.fail(
        new AppError('unreachable', 'This speaker’s address is not valid.', {
          details: { technical: String(error) },
        }),
      );
      return;
    }
    this.socket = socket;
    let failure: AppError | null = null;

    socket.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      failure = new AppError(
        status === 401 || status === 403 ? 'refused' : 'unreachable',
        status === 401 || status === 403
          ? 'The speaker refused the connection.'
          : 'The speaker answered unexpectedly.',
        { retryable: true, details: { technical: `websocket upgrade answered HTTP ${status}` } },
      );
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      if (socket.protocol !== SONOS_WS_SUBPROTOCOL)
        logger.warn('player chose another subprotocol', { protocol: socket.protocol });
      // The backoff is not reset yet: a player that accepts and then drops every socket must not be hammered.
      this.openedAt = Date.now();
      this.error = null;
      this.setState('open', null);
      this.startKeepAlive();
      for (const subscription of this.subscriptions.values())
        void this.sendSubscribe(subscription, 'subscribe');
      this.emit('open');
    });
    socket.on('message', (data, isBinary) => {
      this.awaitingPong = false;
      if (isBinary) return this.drop('binary frame');
      this.onMessage(data.toString());
    });
    socket.on('pong', () => {
      this.awaitingPong = false;
    });
    socket.on('error', (error) => {
      failure ??= toNetworkError(error);
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopKeepAlive();
      const error =
        failure ??
        new AppError('unreachable', 'The connection to this speaker dropped.', {
          retryable: true,
          details: { technical: `websocket closed with code ${code}` },
        });
      this.teardown(error);
      if (this.linkState !== 'stopped') this.fail(error);
    });
  }

  private onMessage(text: string): void {
    const frame = parseFrame(text);
    if (!frame) return this.drop('malformed frame', text);
    if (frame.kind === 'reply' && frame.header.cmdId !== undefined) {
      const entry = this.pending.get(frame.header.cmdId);
      if (entry) {
        clearTimeout(entry.timer);
        this.pending.delete(frame.header.cmdId);
        entry.resolve({
          ok: frame.header.success !== false,
          namespace: frame.namespace,
          header: frame.header,
          body: frame.body,
        });
        return;
      }
    }
    this.emit('frame', frame);
  }

  private drop(reason: string, text?: string): void {
    this.droppedFrames += 1;
    // Log the first few and then every hundredth, so a babbling player cannot flood the log.
    if (this.droppedFrames <= 5 || this.droppedFrames % 100 === 0) {
      this.options.logger.warn('dropped a frame from a player', {
        playerId: this.playerId,
        reason,
        count: this.droppedFrames,
        sample: text?.slice(0, 120),
      });
    }
  }

  private async sendSubscribe(
    subscription: Subscription,
    command: 'subscribe' | 'unsubscribe',
  ): Promise<void> {
    try {
      const reply = await this.send(subscription.namespace, command, subscription.target);
      if (reply.ok && command === 'subscribe') this.emit('accepted');
      if (!reply.ok) {
        this.options.logger.warn(`${command} refused`, {
          playerId: this.playerId,
          namespace: subscription.namespace,
          target: subscription.target,
          body: reply.body,
        });
        // A refused subscription can mean the household forbids local control; let the network see why.
        if (command === 'subscribe') {
          this.emit('frame', {
            kind: 'reply',
            namespace: reply.namespace,
            header: reply.header,
            body: reply.body,
          });
        }
      }
    } catch (error) {
      this.options.logger.debug(`${command} not sent`, { playerId: this.playerId, error });
    }
  }

  private fail(error: AppError): void {
    this.error = error;
    if (this.openedAt !== null && Date.now() - this.openedAt >= this.o.stableAfterMs) this.attempt = 0;
    this.openedAt = null;
    const delay = Math.min(this.o.backoffMaxMs, this.o.backoffInitialMs * 2 ** Math.min(this.attempt, 16));
    // Equal jitter: at least half the delay, so a household of players does not reconnect in lockstep.
    const wait = Math.round(delay / 2 + (this.o.random() * delay) / 2);
    this.attempt += 1;
    this.setState('backoff', error);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, wait);
    this.reconnectTimer.unref?.();
  }

  private teardown(error: AppError): void {
    this.stopKeepAlive();
    // A command already sent may have been carried out before the connection went.
    const unanswered = new AppError(error.code, error.message, {
      retryable: error.retryable,
      maybeDelivered: true,
      cause: error,
      ...(error.details ? { details: error.details } : {}),
    });
    for (const [cmdId, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(unanswered);
      this.pending.delete(cmdId);
    }
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners('close');
      socket.on('error', () => {});
      socket.terminate();
    }
  }

  private startKeepAlive(): void {
    this.stopKeepAlive();
    this.awaitingPong = false;
    this.keepAliveTimer = setInterval(() => {
      const socket = this.socket;
      if (!socket) return;
      if (this.awaitingPong) {
        this.options.logger.warn('player stopped answering pings', { playerId: this.playerId });
        socket.terminate();
        return;
      }
      this.awaitingPong = true;
      try {
        socket.ping();
      } catch {
        socket.terminate();
      }
    }, this.o.keepAliveMs);
    this.keepAliveTimer.unref?.();
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private setState(state: LinkState, error: AppError | null): void {
    const changed = state !== this.linkState || error !== this.error;
    this.linkState = state;
    if (error) this.error = error;
    if (changed) this.emit('state', state, error);
  }
}
