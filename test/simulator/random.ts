/**
 * A small seeded generator (mulberry32) so a simulated household is reproducible from its seed: the same seed gives
 * the same ids, names and starting volumes, which keeps snapshots and bug reports comparable between runs.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet.charAt(this.int(0, alphabet.length - 1));
    return out;
  }

  hex(length: number, upper = false): string {
    return this.chars(upper ? '0123456789ABCDEF' : '0123456789abcdef', length);
  }

  /** An id shaped like a v4 UUID (zoneIds and tokens look like this on real systems). */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'.charAt(this.int(0, 3))}${h.slice(17, 20)}-${h.slice(20)}`;
  }
}

const BASE64ISH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `RINCON_` + the 12-hex MAC + `01400`, like every player id in the captures. */
export function playerIdFrom(random: Random): string {
  return `RINCON_${random.hex(12, true)}01400`;
}

/** `Sonos_<base64-ish>.<suffix>`: the long household form the captures and SSDP `HOUSEHOLD.SMARTSPEAKER.AUDIO` use. */
export function householdIdFrom(random: Random): string {
  return `Sonos_${random.chars(BASE64ISH, 32)}.${random.chars(BASE64ISH + '_', 20)}`;
}

export function locationIdFrom(random: Random): string {
  return `lc_${random.hex(32)}`;
}
