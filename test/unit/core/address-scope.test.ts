import { describe, expect, it } from 'vitest';
import {
  addressScope,
  refuseAnnouncedAddress,
  refuseReportedUrl,
  sameAddress,
} from '../../../main/core/address-scope';

describe('addressScope', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.77.0.11', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.20', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.3.4', 'link-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:192.168.1.2', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['172.32.0.1', 'public'],
    ['100.64.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2001:db8::1', 'public'],
    ['0.0.0.0', 'unusable'],
    ['224.0.0.251', 'unusable'],
    ['255.255.255.255', 'unusable'],
    ['::', 'unusable'],
    ['ff02::fb', 'unusable'],
  ])('%s is %s', (address, scope) => {
    expect(addressScope(address)).toBe(scope);
  });

  it('has no scope for a host name', () => {
    expect(addressScope('localhost')).toBeNull();
    expect(addressScope('speaker.local')).toBeNull();
  });

  it('compares addresses by value', () => {
    expect(sameAddress('::ffff:10.0.0.1', '10.0.0.1')).toBe(true);
    expect(sameAddress('[FE80::1]', 'fe80::1')).toBe(true);
    expect(sameAddress('10.0.0.1', '10.0.0.2')).toBe(false);
  });
});

describe('refuseReportedUrl: a websocketUrl in a groups body', () => {
  const fromLan = (url: string) => refuseReportedUrl(url, '192.168.1.20');
  const fromLoopback = (url: string) => refuseReportedUrl(url, '127.0.0.1');

  it('accepts wss on the LAN, from any player', () => {
    expect(fromLan('wss://192.168.1.21:1443/websocket/api')).toBeNull();
    expect(fromLan('wss://10.0.0.3:1443/websocket/api')).toBeNull();
    expect(fromLan('wss://169.254.10.2:1443/websocket/api')).toBeNull();
    expect(fromLan('wss://[fe80::2]:1443/websocket/api')).toBeNull();
    expect(fromLoopback('wss://192.168.1.21:1443/websocket/api')).toBeNull();
  });

  it('refuses every other scheme', () => {
    expect(fromLan('ws://192.168.1.21:1443/websocket/api')).toMatch(/ws:/);
    expect(fromLan('ws+unix:///run/docker.sock')).toMatch(/ws\+unix:/);
    expect(fromLan('https://192.168.1.21:1443/')).toMatch(/https:/);
    expect(fromLan('not a url')).toBe('not a URL');
  });

  it('refuses loopback from a player that is not on loopback, and accepts it from one that is', () => {
    expect(fromLan('wss://127.0.0.1:1443/websocket/api')).toMatch(/loopback/);
    expect(fromLan('wss://[::1]:1443/websocket/api')).toMatch(/loopback/);
    expect(fromLoopback('wss://127.0.0.1:41000/websocket/api')).toBeNull();
    expect(refuseReportedUrl('wss://127.0.0.1:41000/websocket/api', 'localhost')).toBeNull();
  });

  it('refuses public addresses and names, except the address the player itself was reached at', () => {
    expect(fromLan('wss://8.8.8.8:1443/websocket/api')).toMatch(/public/);
    expect(fromLan('wss://0.0.0.0:1443/websocket/api')).toMatch(/unusable/);
    expect(fromLan('wss://sonos.example.com:1443/websocket/api')).toMatch(/name/);
    expect(refuseReportedUrl('wss://203.0.113.5:1443/websocket/api', '203.0.113.5')).toBeNull();
    expect(refuseReportedUrl('wss://speaker.lan:1443/websocket/api', 'speaker.lan')).toBeNull();
  });

  it('refuses credentials in the address', () => {
    expect(fromLan('wss://a:b@192.168.1.21:1443/websocket/api')).toMatch(/credentials/);
  });
});

describe('refuseAnnouncedAddress: the address an SSDP or mDNS answer names', () => {
  it('accepts a LAN address that is the sender’s own', () => {
    expect(refuseAnnouncedAddress('192.168.1.51', '192.168.1.51')).toBeNull();
    expect(refuseAnnouncedAddress('169.254.1.9', '169.254.1.9')).toBeNull();
    expect(refuseAnnouncedAddress('127.0.0.1', '127.0.0.1')).toBeNull();
  });

  it('refuses another address than the sender’s, loopback from the LAN, and public addresses', () => {
    expect(refuseAnnouncedAddress('127.0.0.1', '10.77.0.66')).toMatch(/another address/);
    expect(refuseAnnouncedAddress('10.99.0.5', '10.77.0.66')).toMatch(/another address/);
    expect(refuseAnnouncedAddress('8.8.8.8', '8.8.8.8')).toMatch(/public/);
    expect(refuseAnnouncedAddress('speaker.local', '10.77.0.66')).toMatch(/not an IP/);
  });
});
