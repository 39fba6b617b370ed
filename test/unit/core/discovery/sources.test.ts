import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { interfacesSignature, pickInterfaces } from '../../../../main/core/discovery/interfaces';
import { candidateFromService, createMdnsSource } from '../../../../main/core/discovery/mdns-source';
import type { Candidate } from '../../../../main/core/discovery/source';
import {
  candidateFromSsdp,
  createSsdpSource,
  M_SEARCH,
  parseSsdp,
} from '../../../../main/core/discovery/ssdp-source';
import { captureJson, captureText } from '../../../support/captures';

describe('pickInterfaces', () => {
  const ifaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    en0: [
      { address: '192.168.1.10', family: 'IPv4', internal: false },
      { address: 'fe80::1', family: 'IPv6', internal: false },
    ],
    utun3: [{ address: '10.8.0.2', family: 'IPv4', internal: false }],
    en5: [{ address: '169.254.3.4', family: 'IPv4', internal: false }],
  } as never;

  it('takes every non-internal IPv4 interface, VPNs included by default', () => {
    expect(pickInterfaces(ifaces, { skipVirtual: false }).map((i) => i.address)).toEqual([
      '192.168.1.10',
      '10.8.0.2',
    ]);
  });

  it('skips VPN and virtual interfaces when the user says so', () => {
    expect(pickInterfaces(ifaces, { skipVirtual: true }).map((i) => i.name)).toEqual(['en0']);
  });

  it('has a signature that changes with the network', () => {
    const a = pickInterfaces(ifaces, { skipVirtual: false });
    expect(interfacesSignature(a)).toBe(interfacesSignature([...a].reverse()));
    expect(interfacesSignature(a)).not.toBe(interfacesSignature(a.slice(1)));
  });
});

describe('mDNS', () => {
  const capture = captureJson<{ port: number; txt: Record<string, string> }>(
    'discovery/mdns._sonos._tcp.txt.x2rocktv.json',
  );

  it('turns the captured TXT record into an address to ask (TXT values are strings)', () => {
    expect(candidateFromService({ addresses: ['192.0.2.10', 'fe80::2'], txt: capture.txt } as never)).toBe(
      '192.0.2.10:1443',
    );
    expect(
      candidateFromService({
        addresses: [],
        referer: { address: '192.0.2.11', family: 'IPv4' },
        txt: {},
      } as never),
    ).toBe('192.0.2.11:1443');
    expect(candidateFromService({ addresses: ['fe80::2'], txt: { sslport: 'x' } } as never)).toBeNull();
  });

  it('browses _sonos._tcp on every interface through a fake responder, and stops cleanly', () => {
    const found: Candidate[] = [];
    const made: { iface: string; find: unknown[]; updates: number; destroyed: boolean; stopped: boolean }[] =
      [];
    const source = createMdnsSource({
      factory: (iface) => {
        const record = {
          iface: iface.address,
          find: [] as unknown[],
          updates: 0,
          destroyed: false,
          stopped: false,
        };
        made.push(record);
        return {
          find(options, onUp) {
            record.find.push(options);
            // The responder answers at once with the captured service.
            onUp({ addresses: ['192.0.2.10'], txt: capture.txt } as never);
            return {
              update: () => void (record.updates += 1),
              stop: () => void (record.stopped = true),
            };
          },
          destroy: () => void (record.destroyed = true),
        };
      },
    });
    source.start(
      [
        { name: 'en0', address: '192.168.1.10' },
        { name: 'en1', address: '10.0.0.5' },
      ],
      (c) => found.push(c),
    );
    source.scan();
    expect(made.map((m) => m.iface)).toEqual(['192.168.1.10', '10.0.0.5']);
    expect(made[0]!.find).toEqual([{ type: 'sonos', protocol: 'tcp' }]);
    expect(made.every((m) => m.updates === 1)).toBe(true);
    expect(found).toEqual([
      { host: '192.0.2.10:1443', source: 'mdns' },
      { host: '192.0.2.10:1443', source: 'mdns' },
    ]);
    source.stop();
    expect(made.every((m) => m.destroyed && m.stopped)).toBe(true);
  });
});

describe('SSDP', () => {
  const notify = captureText('discovery/ssdp.notify.alive.ha57884.http');

  it('parses the captured NOTIFY (spaces around = included) and points at the secure port', () => {
    const message = parseSsdp(notify);
    expect(message?.headers.get('CACHE-CONTROL')).toBe('max-age = 1800');
    expect(message?.headers.get('X-RINCON-HOUSEHOLD')).toBe('Sonos_QEGXy00rDQCejpfmG8EJxj94zQ');
    expect(candidateFromSsdp(notify)).toBe('192.168.1.51:1443');
  });

  it('accepts a search answer without a secure location and ignores others', () => {
    const answer = [
      'HTTP/1.1 200 OK',
      'LOCATION: http://10.0.0.7:1400/xml/device_description.xml',
      'ST: urn:schemas-upnp-org:device:ZonePlayer:1',
      'USN: uuid:RINCON_ABC01400::urn:schemas-upnp-org:device:ZonePlayer:1',
      '',
      '',
    ].join('\r\n');
    expect(candidateFromSsdp(answer)).toBe('10.0.0.7:1443');
    expect(
      candidateFromSsdp(answer.replace(/ZonePlayer/g, 'MediaRenderer').replace('RINCON_ABC', 'uuid-x')),
    ).toBeNull();
    expect(candidateFromSsdp(notify.replace('ssdp:alive', 'ssdp:byebye'))).toBeNull();
    expect(candidateFromSsdp('garbage')).toBeNull();
    expect(
      candidateFromSsdp(notify.replace(/LOCATION.*\r\n/g, '').replace(/SECURELOCATION.*\r\n/, '')),
    ).toBeNull();
  });

  it('sends M-SEARCH for ZonePlayer from each interface and hears a fake responder', () => {
    const found: Candidate[] = [];
    const sockets: FakeSocket[] = [];
    class FakeSocket extends EventEmitter {
      sent: { text: string; port: number; address: string }[] = [];
      boundTo = '';
      multicastInterface = '';
      closed = false;
      bind(_port: number, address: string, cb: () => void) {
        this.boundTo = address;
        cb();
        return this;
      }
      send(text: string, port: number, address: string) {
        this.sent.push({ text, port, address });
        // The responder answers the search with the captured packet.
        this.emit('message', Buffer.from(notify));
      }
      setMulticastInterface(address: string) {
        this.multicastInterface = address;
      }
      addMembership() {}
      close() {
        this.closed = true;
      }
    }
    const source = createSsdpSource({
      socketFactory: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket as never;
      },
    });
    source.start([{ name: 'en0', address: '192.168.1.10' }], (c) => found.push(c));
    expect(sockets[0]!.boundTo).toBe('192.168.1.10');
    expect(sockets[0]!.multicastInterface).toBe('192.168.1.10');
    expect(sockets[0]!.sent[0]).toEqual({ text: M_SEARCH, port: 1900, address: '239.255.255.250' });
    expect(M_SEARCH).toContain('ST: urn:schemas-upnp-org:device:ZonePlayer:1');
    expect(found).toEqual([{ host: '192.168.1.51:1443', source: 'ssdp' }]);
    source.stop();
    expect(sockets[0]!.closed).toBe(true);
  });
});
