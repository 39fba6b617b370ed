import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../main/core/errors';
import { memoryPinStore, TlsTrust } from '../../../../../main/core/sonos/local/tls-trust';

const socket = (fingerprint256: string | undefined, authorized = false) => ({
  authorized,
  authorizationError: authorized ? (null as unknown as Error) : new Error('SELF_SIGNED_CERT_IN_CHAIN'),
  getPeerCertificate: () => ({ fingerprint256 }) as never,
});

describe('TlsTrust (pinning)', () => {
  it('never switches chain verification off without checking the result itself', () => {
    const options = new TlsTrust(memoryPinStore()).connectOptions();
    expect(options.rejectUnauthorized).toBe(false);
    expect(options.checkServerIdentity()).toBeUndefined();
  });

  it('pins the first certificate per player and accepts it again', () => {
    const pins = memoryPinStore();
    const trust = new TlsTrust(pins);
    expect(trust.verifySocket(socket('AA:01'), 'RINCON_1')).toBe('AA:01');
    expect(pins.getPin('RINCON_1')).toBe('AA:01');
    expect(() => trust.verifySocket(socket('AA:01'), 'RINCON_1')).not.toThrow();
    expect(trust.status('RINCON_1')).toEqual({ status: 'pinned', fingerprint: 'AA:01' });
  });

  it('refuses a changed certificate until the user trusts it', () => {
    const pins = memoryPinStore({ RINCON_1: 'AA:01' });
    const trust = new TlsTrust(pins);
    let error: unknown;
    try {
      trust.verifySocket(socket('BB:02'), 'RINCON_1');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('untrusted-certificate');
    expect(trust.status('RINCON_1')).toEqual({ status: 'changed', fingerprint: 'BB:02' });
    expect(pins.getPin('RINCON_1')).toBe('AA:01');
    // Only the fingerprint that was refused (and shown) can be trusted.
    expect(trust.trustRefused('RINCON_1', 'CC:03')).toBe(false);
    expect(pins.getPin('RINCON_1')).toBe('AA:01');
    expect(trust.trustRefused('RINCON_1', 'bb:02')).toBe(true);
    expect(pins.getPin('RINCON_1')).toBe('BB:02');
    expect(() => trust.verifyFingerprint('RINCON_1', 'BB:02')).not.toThrow();
    expect(trust.trustRefused('RINCON_1', 'BB:02')).toBe(false);
  });

  it('forgets a refusal once the pinned certificate is presented again', () => {
    const trust = new TlsTrust(memoryPinStore({ RINCON_1: 'AA:01' }));
    expect(() => trust.verifyFingerprint('RINCON_1', 'BB:02')).toThrow(AppError);
    expect(trust.status('RINCON_1').status).toBe('changed');
    trust.verifyFingerprint('RINCON_1', 'AA:01');
    expect(trust.status('RINCON_1')).toEqual({ status: 'pinned', fingerprint: 'AA:01' });
    expect(trust.trustRefused('RINCON_1', 'BB:02')).toBe(false);
  });

  it('pins per player id, not per address', () => {
    const trust = new TlsTrust(memoryPinStore());
    trust.verifyFingerprint('RINCON_1', 'AA');
    expect(() => trust.verifyFingerprint('RINCON_2', 'BB')).not.toThrow();
    expect(() => trust.verifyFingerprint('RINCON_2', 'AA')).toThrow(AppError);
  });

  it('refuses a socket without a certificate', () => {
    expect(() => new TlsTrust(memoryPinStore()).verifySocket(socket(undefined), 'RINCON_1')).toThrow(
      /no certificate/,
    );
  });
});

describe('TlsTrust (configured CA)', () => {
  it('requires the chain to verify and pins nothing', () => {
    const pins = memoryPinStore();
    const trust = new TlsTrust(pins, '-----BEGIN CERTIFICATE-----\n...');
    expect(trust.connectOptions().ca).toContain('BEGIN CERTIFICATE');
    expect(() => trust.verifySocket(socket('AA', true), 'RINCON_1')).not.toThrow();
    expect(() => trust.verifySocket(socket('AA', false), 'RINCON_1')).toThrow(/configured CA/);
    expect(pins.getPin('RINCON_1')).toBeUndefined();
    expect(trust.status('RINCON_1').status).toBe('ca');
  });
});
