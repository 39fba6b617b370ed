/**
 * Name resolution for tests that never asks a DNS server: `localhost` is 127.0.0.1, names a test maps are what it
 * says, everything else fails like an unknown name. (IP addresses never reach a lookup function.)
 */
import type { LookupFunction } from 'node:net';

export function loopbackLookup(
  names: Record<string, string> = {},
): LookupFunction & { names: Record<string, string> } {
  const lookup = ((
    hostname: string,
    options: { all?: boolean } | number,
    callback: (...args: unknown[]) => void,
  ) => {
    const address = hostname === 'localhost' ? '127.0.0.1' : lookup.names[hostname];
    if (!address) {
      callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }),
      );
      return;
    }
    if (typeof options === 'object' && options.all) callback(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  }) as unknown as LookupFunction & { names: Record<string, string> };
  lookup.names = names;
  return lookup;
}
