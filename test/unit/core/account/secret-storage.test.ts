import { describe, expect, it } from 'vitest';
import {
  noSecretStorage,
  plainFileStorage,
  storagePolicy,
} from '../../../../main/core/account/secret-storage';
import { fakeSecretStorage } from '../../../support/fake-secret-storage';

describe('secret storage policy', () => {
  it('writes sealed secrets only where a real keyring seals them', () => {
    expect(storagePolicy(fakeSecretStorage({ backend: 'gnome_libsecret' }))).toBe('encrypted');
    expect(storagePolicy(fakeSecretStorage({ backend: 'keychain' }))).toBe('encrypted');
    expect(storagePolicy(fakeSecretStorage({ backend: null }))).toBe('encrypted');
    // Linux without a keyring: Chromium's built-in key only obscures.
    expect(storagePolicy(fakeSecretStorage({ backend: 'basic_text' }))).toBe('insecure');
    expect(storagePolicy(fakeSecretStorage({ available: false }))).toBe('insecure');
    expect(storagePolicy(noSecretStorage)).toBe('insecure');
    expect(storagePolicy(plainFileStorage)).toBe('insecure');
    const broken = {
      ...noSecretStorage,
      isEncryptionAvailable: () => {
        throw new Error('keyring crashed');
      },
    };
    expect(storagePolicy(broken)).toBe('insecure');
  });

  it('plainFileStorage writes text as it is, and says so', () => {
    expect(plainFileStorage.backend()).toBe('plaintext');
    expect(plainFileStorage.decrypt(plainFileStorage.encrypt('héllo'))).toBe('héllo');
    expect(plainFileStorage.encrypt('abc').toString('utf8')).toBe('abc');
    expect(() => noSecretStorage.encrypt('x')).toThrow();
  });

  it('the test fake really seals: another instance cannot open it', () => {
    const a = fakeSecretStorage();
    const sealed = a.encrypt('secret-value-123');
    expect(sealed.toString('utf8')).not.toContain('secret-value-123');
    expect(a.decrypt(sealed)).toBe('secret-value-123');
    expect(() => fakeSecretStorage().decrypt(sealed)).toThrow();
  });
});
