/**
 * TLS identities like real players': one "Sonos Device Authentication Root CA"-like CA made at start, and per player a
 * certificate it signs whose common name is a device name, never the IP, so hostname verification fails exactly as
 * it does against hardware. EC P-256 keeps 32 players' worth of certificates well under a second.
 */
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

export interface Authority {
  cert: string;
  key: string;
}

export interface PlayerCertificate {
  cert: string;
  key: string;
  /** SHA-256 fingerprint as Node prints it (`AB:CD:…`), what `getPeerCertificate().fingerprint256` gives. */
  fingerprint256: string;
  commonName: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export async function createAuthority(): Promise<Authority> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000);
  const result = await generate(
    [
      { name: 'commonName', value: 'Sonos Device Authentication Root CA (simulated)' },
      { name: 'organizationName', value: 'Tray for Sonos simulator' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + TEN_YEARS_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  return { cert: result.cert, key: result.private };
}

/** `commonName` names the device (e.g. `RINCON_….sonos.local`); it deliberately does not match 127.0.0.1. */
export async function issuePlayerCertificate(
  authority: Authority,
  commonName: string,
): Promise<PlayerCertificate> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600 * 1000);
  const result = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + TEN_YEARS_MS),
    ca: { cert: authority.cert, key: authority.key },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: commonName }] },
    ],
  });
  return {
    cert: result.cert,
    key: result.private,
    fingerprint256: new X509Certificate(result.cert).fingerprint256,
    commonName,
  };
}
