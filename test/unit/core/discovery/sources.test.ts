import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { inSubnet, interfacesSignature, pickInterfaces } from '../../../../main/core/discovery/interfaces';
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

  it('tells whether an address is on an interface’s network', () => {
    expect(inSubnet('192.168.1.77', '192.168.1.10/24')).toBe(true);
    expect(inSubnet('192.168.2.77', '192.168.1.10/24')).toBe(false);
    expect(inSubnet('10.77.0.66', '10.77.0.2/24')).toBe(true);
    expect(inSubnet('10.8.0.7', '10.0.0.1/8')).toBe(true);
    expect(inSubnet('::ffff:10.8.0.7', '10.0.0.1/8')).toBe(true);
    expect(inSubnet('fe80::1', '10.0.0.1/8')).toBe(false);
    expect(inSubnet('10.0.0.1', 'nonsense')).toBe(false);
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
    const from = (address: string) => ({ address, family: 'IPv4' });
    expect(
      candidateFromService({
        addresses: ['192.0.2.10', 'fe80::2'],
        referer: from('192.0.2.10'),
        txt: capture.txt,
      } as never),
    ).toEqual({ host: '192.0.2.10:1443', sender: '192.0.2.10' });
    expect(candidateFromService({ addresses: [], referer: from('192.0.2.11'), txt: {} } as never)).toEqual({
      host: '192.0.2.11:1443',
      sender: '192.0.2.11',
    });
    expect(candidateFromService({ addresses: ['fe80::2'], txt: { sslport: 'x' } } as never)).toBeNull();
  });

  it('prefers the address that is the sender’s own, and passes on who sent it', () => {
    const from = (address: string) => ({ address, family: 'IPv4' });
    // A speaker with two addresses answers from one of them: that one is asked.
    expect(
      candidateFromService({ addresses: ['10.0.0.2', '192.0.2.10'], referer: from('192.0.2.10') } as never),
    ).toEqual({ host: '192.0.2.10:1443', sender: '192.0.2.10' });
    // A rogue naming someone else: passed on as it is, for discovery to refuse.
    expect(candidateFromService({ addresses: ['127.0.0.1'], referer: from('192.0.2.66') } as never)).toEqual({
      host: '127.0.0.1:1443',
      sender: '192.0.2.66',
    });
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
            onUp({
              addresses: ['192.0.2.10'],
              referer: { address: '192.0.2.10', family: 'IPv4' },
              txt: capture.txt,
            } as never);
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
    expect(made.map((m) => m.iface)).toEqual(['192.168.1.10', '10.0.0.5']);
    expect(made[0]!.find).toEqual([{ type: 'sonos', protocol: 'tcp' }]);
    const heard = { host: '192.0.2.10:1443', source: 'mdns', sender: '192.0.2.10' };
    expect(found).toEqual([heard, heard]);
    // A scan browses afresh (the old browser stops): a known speaker at a new address is heard as new.
    source.scan();
    expect(made.every((m) => m.find.length === 2 && m.stopped)).toBe(true);
    expect(found).toEqual([heard, heard, heard, heard]);
    source.stop();
    expect(made.every((m) => m.destroyed)).toBe(true);
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
      memberships: [string, string][] = [];
      bind(port: number, address: string | (() => void), cb?: () => void) {
        this.boundTo = typeof address === 'string' ? `${address}:${port}` : `*:${port}`;
        (typeof address === 'function' ? address : cb)?.();
        return this;
      }
      send(text: string, port: number, address: string) {
        this.sent.push({ text, port, address });
        // The responder answers the search with the captured packet, from its own address.
        this.emit('message', Buffer.from(notify), { address: '192.168.1.51', port: 1900 });
      }
      setMulticastInterface(address: string) {
        this.multicastInterface = address;
      }
      addMembership(group: string, iface: string) {
        this.memberships.push([group, iface]);
      }
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
    source.start(
      [
        { name: 'en0', address: '192.168.1.10' },
        { name: 'en1', address: '10.0.0.5' },
      ],
      (c) => found.push(c),
    );
    // One socket hears NOTIFY on port 1900, in the SSDP group on every interface…
    const [listener, en0, en1] = sockets;
    expect(listener!.boundTo).toBe('*:1900');
    expect(listener!.memberships).toEqual([
      ['239.255.255.250', '192.168.1.10'],
      ['239.255.255.250', '10.0.0.5'],
    ]);
    // …and one per interface searches.
    expect(en0!.boundTo).toBe('192.168.1.10:0');
    expect(en0!.multicastInterface).toBe('192.168.1.10');
    expect(en1!.multicastInterface).toBe('10.0.0.5');
    expect(en0!.sent[0]).toEqual({ text: M_SEARCH, port: 1900, address: '239.255.255.250' });
    expect(M_SEARCH).toContain('ST: urn:schemas-upnp-org:device:ZonePlayer:1');
    const heard = { host: '192.168.1.51:1443', source: 'ssdp', sender: '192.168.1.51' };
    expect(found).toEqual([heard, heard]);
    // A NOTIFY on the group is heard the same way.
    listener!.emit('message', Buffer.from(notify), { address: '192.168.1.51', port: 1900 });
    expect(found).toEqual([heard, heard, heard]);
    source.stop();
    expect(sockets.every((s) => s.closed)).toBe(true);
  });
});
