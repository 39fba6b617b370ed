/**
 * How we trust a player's TLS certificate. Players present certificates from "Sonos Device Authentication Root
 * CA" whose names never match their IP, so ordinary verification cannot work and switching it off would trust
 * anyone. Instead:
 * - with a configured CA file, a certificate must chain to it (names are not checked: they never match);
 * - otherwise each player's certificate is pinned the first time we see it, keyed by player id, and any later
 *   change is refused until the user trusts the new one.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { AppError } from '../../errors';

export interface PinStore {
  getPin(playerId: string): string | undefined;
  setPin(playerId: string, fingerprint256: string): void;
}

export type TlsStatus = 'pinned' | 'ca' | 'changed' | 'none';

export class TlsTrust {
  /** Fingerprints we refused, by player id, so the user can choose to trust them. */
  private readonly refused = new Map<string, string>();

  constructor(
    private readonly pins: PinStore,
    private readonly ca: string | Buffer | null = null,
  ) {}

  get usesCa(): boolean {
    return this.ca !== null;
  }

  /**
   * Options for `tls.connect`. Chain verification runs when a CA is configured; its result (`socket.authorized`)
   * is checked in `verifySocket`, before any command is sent. Identity is ours to check, not the hostname's.
   */
  connectOptions(): {
    rejectUnauthorized: false;
    ca?: string | Buffer;
    checkServerIdentity: () => undefined;
  } {
    return this.ca === null
      ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
      : { rejectUnauthorized: false, ca: this.ca, checkServerIdentity: () => undefined };
  }

  /**
   * Checks a freshly handshaken socket. With `playerId` unknown (the first info request to a new address) only
   * the CA check runs; call `verifyFingerprint` once the player has said who it is.
   */
  verifySocket(
    socket: Pick<TLSSocket, 'authorized' | 'authorizationError' | 'getPeerCertificate'>,
    playerId: string | null,
  ): string {
    const fingerprint = fingerprintOf(socket.getPeerCertificate());
    if (this.ca !== null) {
      if (!socket.authorized) {
        throw new AppError(
          'untrusted-certificate',
          'This speaker’s certificate is not signed by your configured CA.',
          {
            details: { technical: `TLS: ${String(socket.authorizationError ?? 'unverified')}` },
          },
        );
      }
      return fingerprint;
    }
    if (playerId !== null) this.verifyFingerprint(playerId, fingerprint);
    return fingerprint;
  }

  verifyFingerprint(playerId: string, fingerprint: string): void {
    if (this.ca !== null) return;
    const pinned = this.pins.getPin(playerId);
    if (pinned === undefined) {
      this.pins.setPin(playerId, fingerprint);
      return;
    }
    if (pinned === fingerprint) {
      // The pinned certificate is back (a swap undone, or another path to the same speaker): nothing to trust.
      this.refused.delete(playerId);
      return;
    }
    this.refused.set(playerId, fingerprint);
    throw new AppError(
      'untrusted-certificate',
      // A warning, not an invitation: the user should trust it only after a reset or replacement they made.
      'This speaker now presents a different certificate — if you did not reset or replace it, someone may be impersonating it. It stays blocked until you decide in Diagnostics.',
      { details: { technical: `pinned ${pinned}, presented ${fingerprint}` } },
    );
  }

  /**
   * The user trusts the certificate they were shown for this player. Only when it is the one we last refused:
   * if the speaker has presented yet another since, that one was never shown and is not trusted.
   */
  trustRefused(playerId: string, fingerprint: string): boolean {
    const refused = this.refused.get(playerId);
    if (refused === undefined || refused.toUpperCase() !== fingerprint.toUpperCase()) return false;
    this.pins.setPin(playerId, refused);
    this.refused.delete(playerId);
    return true;
  }

  /**
   * Whether a socket shows the certificate this player is known by (its pin, or a chain to the CA), without
   * pinning anything: for requests that only make sense to a player we already trust (its album art).
   */
  isKnownCertificate(
    playerId: string,
    socket: Pick<TLSSocket, 'authorized' | 'getPeerCertificate'>,
  ): boolean {
    if (this.ca !== null) return socket.authorized;
    const pinned = this.pins.getPin(playerId);
    return pinned !== undefined && socket.getPeerCertificate()?.fingerprint256 === pinned;
  }

  status(playerId: string): { status: TlsStatus; fingerprint: string | null } {
    if (this.ca !== null) return { status: 'ca', fingerprint: null };
    const refused = this.refused.get(playerId);
    if (refused !== undefined) return { status: 'changed', fingerprint: refused };
    const pinned = this.pins.getPin(playerId);
    return pinned === undefined
      ? { status: 'none', fingerprint: null }
      : { status: 'pinned', fingerprint: pinned };
  }
}

function fingerprintOf(cert: PeerCertificate | null | undefined): string {
  const fingerprint = cert?.fingerprint256;
  if (!fingerprint) {
    throw new AppError('untrusted-certificate', 'The speaker presented no certificate.', {
      details: { technical: 'TLS: no peer certificate' },
    });
  }
  return fingerprint;
}

/** A pin store in memory, for tools and tests that keep nothing. */
export function memoryPinStore(initial: Record<string, string> = {}): PinStore {
  const pins = new Map(Object.entries(initial));
  return { getPin: (id) => pins.get(id), setPin: (id, fp) => void pins.set(id, fp) };
}
