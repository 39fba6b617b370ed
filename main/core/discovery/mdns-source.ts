/**
 * mDNS `_sonos._tcp` through bonjour-service, one responder per LAN interface. The TXT record carries the TLS
 * port (`sslport`, a string like every TXT value); the address comes from the answer, and the address the answer
 * came from (`referer`) goes with it, for discovery to check that a speaker names itself and no one else.
 *
 * bonjour-service's browser reports a service once and then only changes of its SRV or TXT records, not of its
 * address (a speaker renewed by DHCP keeps its name). So every scan starts a fresh browser, which hears every
 * answer to its query as new.
 */
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { isIPv4 } from 'node:net';
import { SONOS_LOCAL_PORT } from '../sonos/constants';
import type { LanInterface } from './interfaces';
import type { Candidate, DiscoverySource } from './source';

export interface BonjourLike {
  find(
    options: { type: string; protocol: 'tcp' },
    onUp: (service: Service) => void,
  ): Pick<Browser, 'update' | 'stop'>;
  destroy(): void;
}

export type BonjourFactory = (iface: LanInterface, onError: (error: unknown) => void) => BonjourLike;

/**
 * One mDNS socket per interface: queries leave by that interface and it joins the group there. It listens on
 * 0.0.0.0:5353: multicast-dns binds to the interface's own address when only `interface` is given, and on Linux a
 * socket bound to a unicast address never receives the multicast answers (found on the virtual LAN of the
 * discovery tests: SSDP found the speakers, mDNS found nothing).
 */
const defaultFactory: BonjourFactory = (iface, onError) =>
  new Bonjour({ interface: iface.address, bind: '0.0.0.0' } as never, onError) as unknown as BonjourLike;

/**
 * The host:port to ask and who said so, from an mDNS answer: the IPv4 address that is the sender's own when the
 * answer lists it (else the first, for discovery to refuse with a reason); null when it names no IPv4 address.
 */
export function candidateFromService(
  service: Pick<Service, 'addresses' | 'referer' | 'txt'>,
): { host: string; sender: string | undefined } | null {
  const sender = service.referer?.family === 'IPv4' ? service.referer.address : undefined;
  const listed = (service.addresses ?? []).filter((a) => isIPv4(a));
  const address = listed.find((a) => a === sender) ?? listed[0] ?? sender;
  if (!address) return null;
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const port = Number(txt.sslport);
  return {
    host: `${address}:${Number.isInteger(port) && port > 0 && port < 65536 ? port : SONOS_LOCAL_PORT}`,
    sender,
  };
}

export function createMdnsSource(
  options: { factory?: BonjourFactory; onError?: (error: unknown) => void } = {},
): DiscoverySource {
  const factory = options.factory ?? defaultFactory;
  let responders: { bonjour: BonjourLike; browser: Pick<Browser, 'update' | 'stop'> }[] = [];
  let report: (candidate: Candidate) => void = () => {};
  const browse = (bonjour: BonjourLike): Pick<Browser, 'update' | 'stop'> =>
    // Finding starts with a query of its own.
    bonjour.find({ type: 'sonos', protocol: 'tcp' }, (service) => {
      const candidate = candidateFromService(service);
      if (candidate) report({ host: candidate.host, source: 'mdns', sender: candidate.sender });
    });
  return {
    name: 'mdns',
    start(interfaces, found: (candidate: Candidate) => void) {
      this.stop();
      report = found;
      for (const iface of interfaces) {
        try {
          const bonjour = factory(iface, (error) => options.onError?.(error));
          responders.push({ bonjour, browser: browse(bonjour) });
        } catch (error) {
          options.onError?.(error);
        }
      }
    },
    scan() {
      for (const responder of responders) {
        try {
          responder.browser.stop();
          responder.browser = browse(responder.bonjour);
        } catch (error) {
          options.onError?.(error);
        }
      }
    },
    stop() {
      for (const { bonjour, browser } of responders) {
        browser.stop();
        bonjour.destroy();
      }
      responders = [];
    },
  };
}
