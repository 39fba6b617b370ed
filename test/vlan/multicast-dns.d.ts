/** The part of multicast-dns (7.x, no types of its own) the virtual LAN's responders use. */
declare module 'multicast-dns' {
  import type { EventEmitter } from 'node:events';
  import type { RemoteInfo } from 'node:dgram';

  export interface MdnsRecord {
    name: string;
    type: string;
    ttl?: number;
    class?: string;
    flush?: boolean;
    data: unknown;
  }
  export interface MdnsPacket {
    type: 'query' | 'response';
    questions: { name: string; type: string }[];
    answers: MdnsRecord[];
    additionals: MdnsRecord[];
  }
  export interface MulticastDns extends EventEmitter {
    on(event: 'query' | 'response', listener: (packet: MdnsPacket, rinfo: RemoteInfo) => void): this;
    on(event: 'ready' | 'networkInterface', listener: () => void): this;
    on(event: 'error' | 'warning', listener: (error: Error) => void): this;
    respond(
      response: { answers: MdnsRecord[]; additionals?: MdnsRecord[] },
      rinfo?: { port: number; address: string },
      cb?: (error?: Error | null) => void,
    ): void;
    query(questions: { name: string; type: string }[], cb?: (error?: Error | null) => void): void;
    destroy(cb?: () => void): void;
  }
  export default function mdns(options?: {
    interface?: string;
    bind?: string | false;
    port?: number;
    multicast?: boolean;
    reuseAddr?: boolean;
    loopback?: boolean;
    ttl?: number;
  }): MulticastDns;
}
