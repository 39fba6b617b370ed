/**
 * SSDP search for `urn:schemas-upnp-org:device:ZonePlayer:1`, the second way to find players (older networks
 * filter mDNS). Each interface gets a socket on an ephemeral port that sends `M-SEARCH` and reads the unicast
 * answers; one more socket on port 1900 joins the SSDP group on every interface to hear `NOTIFY` announcements
 * (a speaker announces itself when it starts or its address changes). Port 1900 may be taken by the system's own
 * SSDP service where it is not shared: then searching alone still works.
 *
 * An answer names the player's address (its secure API is on port 1443) and comes from an address; both go to
 * discovery, which asks only an address that is the sender's own and on the LAN — for answers and NOTIFY alike.
 */
import { createSocket, type Socket } from 'node:dgram';
import { SONOS_LOCAL_PORT } from '../sonos/constants';
import type { LanInterface } from './interfaces';
import type { Candidate, DiscoverySource } from './source';

export const SSDP_ADDRESS = '239.255.255.250';
export const SSDP_PORT = 1900;
export const ZONE_PLAYER = 'urn:schemas-upnp-org:device:ZonePlayer:1';

export const M_SEARCH = [
  'M-SEARCH * HTTP/1.1',
  `HOST: ${SSDP_ADDRESS}:${SSDP_PORT}`,
  'MAN: "ssdp:discover"',
  'MX: 1',
  `ST: ${ZONE_PLAYER}`,
  '',
  '',
].join('\r\n');

/** Header names upper-cased; values trimmed. Returns null for anything that is not an SSDP message. */
export function parseSsdp(text: string): { startLine: string; headers: Map<string, string> } | null {
  const lines = text.split(/\r?\n/);
  const startLine = lines[0]?.trim() ?? '';
  if (!/^(HTTP\/1\.1 200|NOTIFY \* HTTP\/1\.1)/i.test(startLine)) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toUpperCase(), line.slice(colon + 1).trim());
  }
  return { startLine, headers };
}

/** The host:port to ask, when the message is a Sonos player announcing itself or answering our search. */
export function candidateFromSsdp(text: string): string | null {
  const message = parseSsdp(text);
  if (!message) return null;
  const { headers } = message;
  const kind = headers.get('ST') ?? headers.get('NT') ?? '';
  const isSonos =
    kind === ZONE_PLAYER || /RINCON_/i.test(headers.get('USN') ?? '') || headers.has('X-RINCON-HOUSEHOLD');
  if (!isSonos || /ssdp:byebye/i.test(headers.get('NTS') ?? '')) return null;
  const location = headers.get('SECURELOCATION.UPNP.ORG') ?? headers.get('LOCATION');
  if (!location) return null;
  try {
    const url = new URL(location);
    const port = url.protocol === 'https:' && url.port ? Number(url.port) : SONOS_LOCAL_PORT;
    return `${url.hostname}:${port}`;
  } catch {
    return null;
  }
}

export type SocketFactory = () => Pick<
  Socket,
  'on' | 'bind' | 'send' | 'close' | 'setMulticastInterface' | 'addMembership'
>;

export function createSsdpSource(
  options: {
    socketFactory?: SocketFactory;
    onError?: (error: unknown) => void;
    /** Listen for NOTIFY on port 1900 too (default true). */
    notify?: boolean;
  } = {},
): DiscoverySource {
  const factory = options.socketFactory ?? (() => createSocket({ type: 'udp4', reuseAddr: true }));
  let sockets: { socket: ReturnType<SocketFactory>; iface: LanInterface; ready: boolean }[] = [];
  let listener: ReturnType<SocketFactory> | null = null;
  const send = (entry: (typeof sockets)[number]): void => {
    if (!entry.ready) return;
    entry.socket.send(M_SEARCH, SSDP_PORT, SSDP_ADDRESS, (error) => {
      if (error) options.onError?.(error);
    });
  };
  const hear =
    (found: (candidate: Candidate) => void) =>
    (message: Buffer, from?: { address: string }): void => {
      const host = candidateFromSsdp(message.toString('utf8'));
      if (host) found({ host, source: 'ssdp', sender: from?.address });
    };
  const listen = (interfaces: LanInterface[], found: (candidate: Candidate) => void): void => {
    if (options.notify === false || interfaces.length === 0) return;
    try {
      const socket = factory();
      listener = socket;
      socket.on('error', (error) => options.onError?.(error));
      socket.on('message', hear(found));
      socket.bind(SSDP_PORT, () => {
        for (const iface of interfaces) {
          try {
            socket.addMembership(SSDP_ADDRESS, iface.address);
          } catch (error) {
            options.onError?.(error);
          }
        }
      });
    } catch (error) {
      options.onError?.(error);
    }
  };
  return {
    name: 'ssdp',
    start(interfaces, found: (candidate: Candidate) => void) {
      this.stop();
      listen(interfaces, found);
      for (const iface of interfaces) {
        try {
          const socket = factory();
          const entry = { socket, iface, ready: false };
          socket.on('error', (error) => options.onError?.(error));
          socket.on('message', hear(found));
          socket.bind(0, iface.address, () => {
            try {
              socket.setMulticastInterface(iface.address);
            } catch (error) {
              options.onError?.(error);
            }
            entry.ready = true;
            send(entry);
          });
          sockets.push(entry);
        } catch (error) {
          options.onError?.(error);
        }
      }
    },
    scan() {
      for (const entry of sockets) send(entry);
    },
    stop() {
      for (const socket of [...sockets.map((entry) => entry.socket), ...(listener ? [listener] : [])]) {
        try {
          socket.close();
        } catch {
          // already closed
        }
      }
      sockets = [];
      listener = null;
    },
  };
}
