import type { NetworkInterfaceInfo } from 'node:os';

export interface LanInterface {
  name: string;
  address: string;
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
        picked.push({ name, address: info.address });
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
