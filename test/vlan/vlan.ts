/**
 * A small virtual LAN out of Linux network namespaces, for discovery on a real network: real multicast, real
 * addresses, real interfaces going down and up. Every namespace is named `<prefix>-<name>`; one of them, the
 * hub, holds the Ethernet bridges ("switches"); every other namespace is a host wired to a bridge by a veth pair
 * (the host end gets the interface name asked for, e.g. `eth0` or `wg0`). Nothing touches the machine's own
 * network namespace: the veth pairs are created directly inside their namespaces, and deleting the namespaces
 * removes every link.
 *
 * Needs Linux, root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and iproute2. See test/vlan/README.md.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path)) ?? 'ip';

function ip(...args: string[]): string {
  return execFileSync(IP, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why a virtual LAN cannot be built here, or null when it can (checked by building and removing one). */
export function vlanUnavailable(prefix: string): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'creating network namespaces needs root (CI runs as root)';
  const probe = `${prefix}-${process.pid}-probe`;
  try {
    ip('netns', 'add', probe);
  } catch (error) {
    return `\`ip netns add\` failed: ${String((error as { stderr?: string }).stderr ?? error).trim()}`;
  } finally {
    try {
      ip('netns', 'delete', probe);
    } catch {
      // it was never made
    }
  }
  return null;
}

/** Names of namespaces that exist now with this prefix. */
export function namespacesWith(prefix: string): string[] {
  let list = '';
  try {
    list = ip('netns', 'list');
  } catch {
    return [];
  }
  return list
    .split('\n')
    .map((line) => line.split(/\s+/)[0] ?? '')
    .filter((name) => name.startsWith(`${prefix}-`));
}

/**
 * Removes what runs of `base` that are gone left behind: namespaces named `<base>-<pid>-…` whose process no longer
 * exists (a run that was killed). Runs still going — another engineer's tests, say — keep theirs.
 */
export function removeStale(base: string): string[] {
  const removed: string[] = [];
  for (const name of namespacesWith(base)) {
    const pid = Number(/^[^-]+-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || alive(pid)) continue;
    try {
      ip('netns', 'delete', name);
      removed.push(name);
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes every namespace with this prefix (left over by a run that was killed), with its links. */
export function removeNamespaces(prefix: string): string[] {
  const stale = namespacesWith(prefix);
  for (const name of stale) {
    try {
      ip('netns', 'delete', name);
    } catch {
      // gone meanwhile
    }
  }
  return stale;
}

export class VirtualLan {
  private readonly made: string[] = [];
  /** Host interfaces given a multicast route, to restore it when their address changes. */
  private readonly routed = new Set<string>();
  private readonly children = new Set<ChildProcess>();
  private links = 0;
  readonly hub: string;

  readonly prefix: string;

  /**
   * Builds the hub. With `perRun`, names carry this process's id (`<base>-<pid>-…`), so runs at the same time on
   * one machine never meet, and what killed runs left behind is removed first; without, the fixed `<base>-…`
   * names of `npm run vlan`, whose leftovers are removed first.
   */
  constructor(base: string, options: { perRun?: boolean } = {}) {
    if (options.perRun) {
      removeStale(base);
      this.prefix = `${base}-${process.pid}`;
    } else {
      removeNamespaces(base);
      this.prefix = base;
    }
    this.hub = this.namespace('hub');
  }

  /** The namespace's full name for `ip netns exec`. */
  ns(name: string): string {
    return `${this.prefix}-${name}`;
  }

  /** A network namespace with its loopback up. */
  namespace(name: string): string {
    const ns = this.ns(name);
    ip('netns', 'add', ns);
    this.made.push(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A switch: a bridge in the hub that floods multicast (no IGMP snooping, as on a small home switch). */
  bridge(name: string): void {
    ip('-n', this.hub, 'link', 'add', name, 'type', 'bridge');
    ip('-n', this.hub, 'link', 'set', name, 'type', 'bridge', 'mcast_snooping', '0');
    ip('-n', this.hub, 'link', 'set', name, 'up');
  }

  /** A host namespace (made if needed) plugged into `bridge` through interface `iface` with `cidr` on it. */
  plug(host: string, iface: string, cidr: string, bridge: string): void {
    const ns = this.ns(host);
    if (!this.made.includes(ns)) this.namespace(host);
    // Bridge ports live in this run's hub only, so a short name is unique enough (interface names: 15 bytes).
    const port = `port${++this.links}`;
    ip('link', 'add', iface, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', this.hub);
    ip('-n', this.hub, 'link', 'set', port, 'master', bridge);
    ip('-n', this.hub, 'link', 'set', port, 'up');
    ip('-n', ns, 'addr', 'add', cidr, 'dev', iface);
    ip('-n', ns, 'link', 'set', iface, 'up');
  }

  /** Multicast leaves by this interface unless a socket says otherwise (a host with one interface). */
  multicastRoute(host: string, iface: string): void {
    ip('-n', this.ns(host), 'route', 'replace', '224.0.0.0/4', 'dev', iface);
    this.routed.add(`${host}/${iface}`);
  }

  addAddress(host: string, iface: string, cidr: string): void {
    ip('-n', this.ns(host), 'addr', 'add', cidr, 'dev', iface);
  }

  /**
   * A DHCP renew that hands out another address: the old one goes (and with the last address, the kernel drops
   * the interface's routes), the new one comes, and the routes are set again as a DHCP client does.
   */
  changeAddress(host: string, iface: string, from: string, to: string): void {
    ip('-n', this.ns(host), 'addr', 'del', from, 'dev', iface);
    ip('-n', this.ns(host), 'addr', 'add', to, 'dev', iface);
    if (this.routed.has(`${host}/${iface}`)) this.multicastRoute(host, iface);
  }

  setLink(host: string, iface: string, state: 'up' | 'down'): void {
    ip('-n', this.ns(host), 'link', 'set', iface, state);
    if (state === 'up' && this.routed.has(`${host}/${iface}`)) this.multicastRoute(host, iface);
  }

  /** Runs a command inside a host's namespace (`ip netns exec`); killed by `destroy` if still running. */
  spawn(host: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(IP, ['netns', 'exec', this.ns(host), command, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...options,
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** What a command prints inside a namespace (for `ip addr`, counters and the like). */
  run(host: string, command: string, args: string[]): string {
    return execFileSync(IP, ['netns', 'exec', this.ns(host), command, ...args], { encoding: 'utf8' });
  }

  /** Bytes an interface of a host has sent so far (the kernel's counter: everything on the wire). */
  txBytes(host: string, iface: string): number {
    return Number(this.run(host, 'cat', [`/sys/class/net/${iface}/statistics/tx_bytes`]).trim());
  }

  /** Stops every process it started and removes every namespace (and so every link). Safe to call twice. */
  async destroy(): Promise<void> {
    await Promise.all(
      [...this.children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const ns of this.made.splice(0).reverse()) {
      try {
        ip('netns', 'delete', ns);
      } catch {
        // already gone
      }
    }
  }
}
