/**
 * A `SecretStorage` for tests: real AES-GCM with a key of its own, so a sealed value is not plaintext and a
 * second instance (another machine, another keyring) cannot open it. Availability and backend are steerable.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStorage } from '../../main/core/account/secret-storage';

export interface FakeSecretStorage extends SecretStorage {
  available: boolean;
  backendName: string | null;
  encryptCalls: number;
}

export function fakeSecretStorage(
  options: { available?: boolean; backend?: string | null; key?: Buffer } = {},
): FakeSecretStorage {
  const key = options.key ?? randomBytes(32);
  const storage: FakeSecretStorage = {
    available: options.available ?? true,
    backendName: options.backend === undefined ? 'gnome_libsecret' : options.backend,
    encryptCalls: 0,
    isEncryptionAvailable: () => storage.available,
    backend: () => storage.backendName,
    encrypt(text) {
      if (!storage.available) throw new Error('Encryption is not available.');
      storage.encryptCalls += 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v1'), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (!storage.available) throw new Error('Encryption is not available.');
      if (sealed.subarray(0, 2).toString() !== 'v1') throw new Error('Not sealed by this storage.');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(2, 14));
      decipher.setAuthTag(sealed.subarray(14, 30));
      return Buffer.concat([decipher.update(sealed.subarray(30)), decipher.final()]).toString('utf8');
    },
  };
  return storage;
}
