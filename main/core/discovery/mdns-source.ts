/**
 * mDNS `_sonos._tcp` through bonjour-service, one responder per LAN interface. The TXT record carries the TLS
 * port (`sslport`, a string like every TXT value); the address comes from the answer.
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

const defaultFactory: BonjourFactory = (iface, onError) =>
  new Bonjour({ interface: iface.address } as never, onError) as unknown as BonjourLike;

/** The host:port to ask, from an mDNS answer; null when it names no IPv4 address. */
export function candidateFromService(service: Pick<Service, 'addresses' | 'referer' | 'txt'>): string | null {
  const address =
    service.addresses?.find((a) => isIPv4(a)) ??
    (service.referer?.family === 'IPv4' ? service.referer.address : undefined);
  if (!address) return null;
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  const port = Number(txt.sslport);
  return `${address}:${Number.isInteger(port) && port > 0 && port < 65536 ? port : SONOS_LOCAL_PORT}`;
}

export function createMdnsSource(
  options: { factory?: BonjourFactory; onError?: (error: unknown) => void } = {},
): DiscoverySource {
  const factory = options.factory ?? defaultFactory;
  let responders: { bonjour: BonjourLike; browser: Pick<Browser, 'update' | 'stop'> }[] = [];
  return {
    name: 'mdns',
    start(interfaces, found: (candidate: Candidate) => void) {
      this.stop();
      for (const iface of interfaces) {
        try {
          const bonjour = factory(iface, (error) => options.onError?.(error));
          const browser = bonjour.find({ type: 'sonos', protocol: 'tcp' }, (service) => {
            const host = candidateFromService(service);
            if (host) found({ host, source: 'mdns' });
          });
          responders.push({ bonjour, browser });
        } catch (error) {
          options.onError?.(error);
        }
      }
    },
    scan() {
      for (const { browser } of responders) browser.update();
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
