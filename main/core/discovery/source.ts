import type { LanInterface } from './interfaces';

export type DiscoverySourceName = 'mdns' | 'ssdp' | 'manual';

/** An address that may be a player; discovery asks it who it is. */
export interface Candidate {
  host: string;
  source: DiscoverySourceName;
  /**
   * The address the announcement came from (mDNS, SSDP). Discovery asks only an address that is the sender's own
   * and on the LAN; typed addresses (`manual`) have no sender and no such rule.
   */
  sender?: string | undefined;
}

export interface DiscoverySource {
  readonly name: DiscoverySourceName;
  /** Starts listening on these interfaces; candidates arrive through `found`. */
  start(interfaces: LanInterface[], found: (candidate: Candidate) => void): void;
  /** Asks the network again (sends a query). */
  scan(): void;
  stop(): void;
}
