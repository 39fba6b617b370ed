/**
 * `GET https://<host>:1443/api/v1/players/local/info` tells who a player is (player id, household, websocket URL).
 * Discovery asks it of every address it finds; the certificate seen here is the one pinned for that player id.
 */
import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { checkHost } from '../../../contract/host';
import { AppError } from '../../errors';
import { toNetworkError } from '../../net-errors';
import { SONOS_LOCAL_API_KEY, SONOS_LOCAL_INFO_PATH, SONOS_LOCAL_PORT, SONOS_WS_PATH } from '../constants';
import { LocalInfoSchema, readBody, type LocalInfo } from './frames';
import type { TlsTrust } from './tls-trust';

export interface PlayerInfo {
  playerId: string;
  householdId: string;
  name: string | null;
  model: string | null;
  softwareVersion: string | null;
  /** `host:port` we reached it at. */
  host: string;
  websocketUrl: string;
  fingerprint: string;
}

/**
 * Splits `ip`, `ip:port`, `[v6]:port` or `name:port`; the port defaults to the players' 1443. Host names come back
 * in their ASCII form (`Küche.local` → `xn--kche-0ra.local`), which is what name resolution understands.
 */
export function splitHost(host: string): { hostname: string; port: number } {
  const check = checkHost(host);
  if (!check.ok)
    throw new AppError('invalid-request', check.message, { details: { technical: host.slice(0, 300) } });
  return { hostname: check.hostname, port: check.port ?? SONOS_LOCAL_PORT };
}

export interface FetchInfoOptions {
  timeoutMs?: number;
  /** Name resolution, for tests that need DNS to fail without asking a real DNS server. */
  lookup?: LookupFunction;
}

export function fetchPlayerInfo(
  host: string,
  trust: TlsTrust,
  options: FetchInfoOptions = {},
): Promise<PlayerInfo> {
  const timeoutMs = options.timeoutMs ?? 4_000;
  let hostname: string;
  let port: number;
  try {
    ({ hostname, port } = splitHost(host));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return new Promise<PlayerInfo>((resolve, reject) => {
    let fingerprint: string | null = null;
    let settled = false;
    const finish = (error: AppError | null, info?: PlayerInfo): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(info!);
    };
    const req = request(
      {
        hostname,
        port,
        path: SONOS_LOCAL_INFO_PATH,
        method: 'GET',
        headers: { 'X-Sonos-Api-Key': SONOS_LOCAL_API_KEY, Accept: 'application/json' },
        timeout: timeoutMs,
        ...(options.lookup ? { lookup: options.lookup } : {}),
        servername: '',
        createConnection: ((options: ConnectionOptions) => {
          const socket: TLSSocket = tlsConnect({ ...options, ...trust.connectOptions() });
          socket.once('secureConnect', () => {
            try {
              fingerprint = trust.verifySocket(socket, null);
            } catch (error) {
              socket.destroy(error as Error);
            }
          });
          return socket;
        }) as never,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 256 * 1024) {
            req.destroy();
            finish(new AppError('unexpected', 'The speaker sent an oversized answer.'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            finish(
              new AppError('refused', 'The device at that address did not accept our request.', {
                details: { technical: `local info answered HTTP ${res.statusCode}` },
              }),
            );
            return;
          }
          let info: LocalInfo | null = null;
          try {
            info = readBody(LocalInfoSchema, JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            info = null;
          }
          if (!info || fingerprint === null) {
            finish(
              new AppError('unexpected', 'The device at that address does not look like a Sonos speaker.'),
            );
            return;
          }
          try {
            trust.verifyFingerprint(info.playerId, fingerprint);
          } catch (error) {
            finish(error as AppError);
            return;
          }
          finish(null, {
            playerId: info.playerId,
            householdId: info.householdId,
            name: info.device?.name ?? null,
            model: info.device?.modelDisplayName ?? null,
            softwareVersion: info.device?.softwareVersion ?? null,
            host: `${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`,
            // Connect where we reached the player: a reported URL may name an address we cannot route to.
            websocketUrl: `wss://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}${SONOS_WS_PATH}`,
            fingerprint,
          });
        });
        res.on('error', (error) => finish(toNetworkError(error)));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      finish(
        new AppError('timeout', 'The speaker did not answer.', {
          retryable: true,
          details: { technical: `${host}: timeout` },
        }),
      );
    });
    req.on('error', (error) => finish(error instanceof AppError ? error : toNetworkError(error)));
    req.end();
  });
}
