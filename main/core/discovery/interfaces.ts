import type { NetworkInterfaceInfo } from 'node:os';

export interface LanInterface {
  name: string;
  address: string;
  /** `address/prefix` (e.g. `192.168.1.10/24`), when the OS says. */
  cidr?: string | null;
}

/** Names of tunnels, VPNs and virtual bridges; skipped only when the user asks (their speakers may sit behind one). */
const VIRTUAL =
  /^(utun|tun|tap|wg|ppp|ipsec|gpd|docker|veth|br-|virbr|vmnet|vboxnet|zt|tailscale|vethernet|hyper-v|nordlynx)/i;

/** Every non-internal IPv4 interface, optionally without virtual ones. */
export function pickInterfaces(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  options: { skipVirtual: boolean },
): LanInterface[] {
  const picked: LanInterface[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    if (options.skipVirtual && VIRTUAL.test(name)) continue;
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.')) {
        picked.push({ name, address: info.address, cidr: info.cidr ?? null });
      }
    }
  }
  return picked;
}

/** A fingerprint of the network setup; when it changes, a rescan is due. */
export function interfacesSignature(interfaces: LanInterface[]): string {
  return interfaces
    .map((i) => `${i.name}=${i.address}`)
    .sort()
    .join(',');
}

function ipv4ToNumber(address: string): number | null {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Whether `address` is on the network `cidr` (`192.168.1.10/24`) names. IPv4 only; false for anything else. */
export function inSubnet(address: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const prefix = Number(bits);
  const a = ipv4ToNumber(address.replace(/^::ffff:/i, ''));
  const n = network ? ipv4ToNumber(network) : null;
  if (a === null || n === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (a & mask) === (n & mask);
}
