/**
 * What a Sonos speaker says on the LAN about itself, for the virtual LAN: mDNS `_sonos._tcp` (PTR, SRV, TXT and A
 * records, as the captured TXT record in test/fixtures/captures/discovery shows) and SSDP (answers to `M-SEARCH`
 * for ZonePlayer and `NOTIFY ssdp:alive`, as the captured NOTIFY shows). It announces itself unasked when it
 * starts and when its address changes, as players do after a DHCP renew.
 *
 * Each speaker speaks from its own address: a namespace with several players gives each its own sockets bound to
 * its address. A rogue is the same responder naming an address that is not its own (`address` lies, the packets
 * still come from where it really is).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import mdns, { type MdnsRecord, type MulticastDns } from 'multicast-dns';

export interface Announced {
  id: string;
  name: string;
  householdId: string;
  port: number;
  /** The address it names, now (asked at every answer). */
  address: () => string;
  /** Send from this address (a namespace with several players); null: from the interface's address. */
  sendFrom: string | null;
}

const SERVICE = '_sonos._tcp.local';
const SSDP_GROUP = '239.255.255.250';
const ZONE_PLAYER = 'urn:schemas-upnp-org:device:ZonePlayer:1';

export interface Responder {
  /** Announces every player now (mDNS response and SSDP NOTIFY, both unasked). */
  announce(): void;
  stop(): Promise<void>;
}

function records(player: Announced): { answers: MdnsRecord[]; additionals: MdnsRecord[] } {
  const instance = `Sonos-${player.id}.${SERVICE}`;
  const host = `Sonos-${player.id}.local`;
  const address = player.address();
  return {
    answers: [{ name: SERVICE, type: 'PTR', ttl: 4500, data: instance }],
    additionals: [
      { name: instance, type: 'SRV', ttl: 120, flush: true, data: { target: host, port: player.port } },
      {
        name: instance,
        type: 'TXT',
        ttl: 4500,
        flush: true,
        data: [
          `info=/api/v1/players/${player.id}/info`,
          `vers=5`,
          `protovers=1.54.1`,
          `hhid=${player.householdId.split('.')[0]}`,
          `mhhid=${player.householdId}`,
          `wss=/websocket/api`,
          `location=http://${address}:1400/xml/device_description.xml`,
          `sslport=${player.port}`,
          `hhsslport=1843`,
          `uuid=${player.id}`,
          `variant=1`,
        ],
      },
      { name: host, type: 'A', ttl: 120, flush: true, data: address },
    ],
  };
}

function ssdpHeaders(player: Announced): string[] {
  const address = player.address();
  return [
    'CACHE-CONTROL: max-age = 1800',
    `LOCATION: http://${address}:1400/xml/device_description.xml`,
    'SERVER: Linux UPnP/1.0 Sonos/66.4-23090 (ZPS12)',
    `X-RINCON-HOUSEHOLD: ${player.householdId.split('.')[0]}`,
    'X-RINCON-BOOTSEQ: 222',
    'BOOTID.UPNP.ORG: 222',
    `HOUSEHOLD.SMARTSPEAKER.AUDIO: ${player.householdId}`,
    `SECURELOCATION.UPNP.ORG: https://${address}:${player.port}/xml/device_description.xml`,
  ];
}

/** Starts answering for `players` on every interface of this namespace. */
export async function startResponder(
  players: Announced[],
  log: (event: Record<string, unknown>) => void = () => {},
): Promise<Responder> {
  // mDNS: one socket hears the group; each player answers from its own address.
  const listener = mdns({ bind: '0.0.0.0', reuseAddr: true, loopback: false });
  const voices = new Map<Announced, MulticastDns>();
  for (const player of players) {
    if (player.sendFrom === null) voices.set(player, listener);
    else
      voices.set(
        player,
        mdns({ bind: player.sendFrom, interface: player.sendFrom, reuseAddr: true, loopback: false }),
      );
  }
  const quiet = (error: Error): void => log({ type: 'warning', error: error.message });
  for (const socket of new Set([listener, ...voices.values()])) {
    socket.on('warning', quiet);
    socket.on('error', quiet);
  }
  listener.on('query', (packet, from) => {
    const wanted = packet.questions.some((q) => q.name.toLowerCase() === SERVICE.toLowerCase());
    if (!wanted) return;
    log({ type: 'query', protocol: 'mdns', from: from.address });
    for (const player of players) voices.get(player)!.respond(records(player));
  });

  // SSDP: one socket in the group hears searches; answers go to the searcher, from each player's address.
  const hears = createSocket({ type: 'udp4', reuseAddr: true });
  const speakers = new Map<Announced, Socket>();
  await new Promise<void>((resolve) => hears.bind(1900, '0.0.0.0', resolve));
  try {
    hears.addMembership(SSDP_GROUP);
  } catch (error) {
    quiet(error as Error);
  }
  for (const player of players) {
    if (player.sendFrom === null) {
      speakers.set(player, hears);
      continue;
    }
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve) => socket.bind(0, player.sendFrom!, resolve));
    socket.setMulticastInterface(player.sendFrom);
    speakers.set(player, socket);
  }
  hears.on('error', quiet);
  hears.on('message', (message: Buffer, from: RemoteInfo) => {
    const text = message.toString('utf8');
    if (!text.startsWith('M-SEARCH')) return;
    const st = /^ST:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? '';
    if (st !== ZONE_PLAYER && st !== 'ssdp:all') return;
    log({ type: 'query', protocol: 'ssdp', from: from.address });
    for (const player of players) {
      const answer = [
        'HTTP/1.1 200 OK',
        ...ssdpHeaders(player),
        'EXT:',
        `ST: ${ZONE_PLAYER}`,
        `USN: uuid:${player.id}::${ZONE_PLAYER}`,
        '',
        '',
      ].join('\r\n');
      // Players wait a moment (up to MX seconds) before answering, so a search is not answered all at once.
      setTimeout(() => speakers.get(player)!.send(answer, from.port, from.address), Math.random() * 200);
    }
  });

  const announce = (): void => {
    for (const player of players) {
      voices.get(player)!.respond(records(player));
      const notify = [
        'NOTIFY * HTTP/1.1',
        `HOST: ${SSDP_GROUP}:1900`,
        ...ssdpHeaders(player),
        `NT: uuid:${player.id}`,
        'NTS: ssdp:alive',
        `USN: uuid:${player.id}`,
        '',
        '',
      ].join('\r\n');
      speakers.get(player)!.send(notify, 1900, SSDP_GROUP);
    }
  };

  return {
    announce,
    async stop() {
      for (const socket of new Set([hears, ...speakers.values()])) socket.close();
      await Promise.all(
        [...new Set([listener, ...voices.values()])].map(
          (socket) => new Promise<void>((resolve) => socket.destroy(() => resolve())),
        ),
      );
    },
  };
}
