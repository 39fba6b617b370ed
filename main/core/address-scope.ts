/**
 * Which part of the network an address belongs to, and the rules for addresses that others tell us about. Anyone
 * on the LAN can answer a discovery query or send a `groups` frame, so an address we did not reach ourselves is
 * used only when it points where a speaker can be: the LAN (RFC 1918 / RFC 4193 private, link-local), or the very
 * address we reached the reporting speaker at. Never this computer's loopback unless the speaker itself is on it
 * (tests, the simulator, a `--host 127.0.0.1`), never the internet, never a local socket (`ws+unix:`).
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressScope = 'loopback' | 'private' | 'link-local' | 'public' | 'unusable';

/** The scope of an IP literal (brackets allowed); null for a host name. */
export function addressScope(host: string): AddressScope | null {
  const ip = unbracket(host);
  if (isIPv4(ip)) return ipv4Scope(ip);
  if (isIPv6(ip)) return ipv6Scope(ip.toLowerCase());
  return null;
}

function ipv4Scope(ip: string): AddressScope {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  // "This network", multicast, reserved and broadcast: nothing a speaker answers on.
  if (a === 0 || a >= 224) return 'unusable';
  return 'public';
}

function ipv6Scope(ip: string): AddressScope {
  if (ip === '::1') return 'loopback';
  if (ip === '::') return 'unusable';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return ipv4Scope(mapped[1]!);
  const first = parseInt(ip.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'unusable';
  return 'public';
}

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Same address, whatever the spelling (`::ffff:10.0.0.1` is `10.0.0.1`; IPv6 case). */
export function sameAddress(a: string, b: string): boolean {
  const norm = (host: string): string => {
    const ip = unbracket(host).toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
    return mapped ? mapped[1]! : ip;
  };
  return norm(a) === norm(b);
}

/** Where we reached a speaker, as a scope: `localhost` (a name the user may type) counts as loopback. */
function reachedScope(hostname: string): AddressScope | null {
  return hostname.toLowerCase() === 'localhost' ? 'loopback' : addressScope(hostname);
}

/**
 * Why a `websocketUrl` reported by a speaker we reached at `reachedHostname` is refused, or null to accept it:
 * `wss:` only; the reporter's own address; else an IP literal on the LAN (private or link-local), or on loopback
 * when the reporter is on loopback too.
 */
export function refuseReportedUrl(url: string, reachedHostname: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'wss:') return `scheme ${parsed.protocol} is not wss:`;
  if (parsed.username || parsed.password) return 'carries credentials';
  const host = unbracket(parsed.hostname);
  if (host === '') return 'no host';
  if (sameAddress(host, unbracket(reachedHostname))) return null;
  const scope = addressScope(host);
  if (scope === null) return 'a host name, not an address';
  if (scope === 'private' || scope === 'link-local') return null;
  if (scope === 'loopback')
    return reachedScope(unbracket(reachedHostname)) === 'loopback'
      ? null
      : 'loopback reported by a speaker that is not on loopback';
  return `a ${scope} address`;
}

/**
 * Why an address a discovery answer names is refused, or null to accept it: it must be the address the answer
 * came from, and on the LAN (private or link-local) — or loopback, which only this computer can send from.
 */
export function refuseAnnouncedAddress(address: string, sender: string): string | null {
  const scope = addressScope(address);
  if (scope === null) return 'not an IP address';
  if (!sameAddress(address, sender)) return 'names another address than the one it came from';
  if (scope === 'private' || scope === 'link-local' || scope === 'loopback') return null;
  return `a ${scope} address`;
}
