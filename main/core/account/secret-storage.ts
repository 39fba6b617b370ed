/**
 * How secrets (tokens, the client secret) are sealed before they touch the disk. The app implements this on
 * Electron's `safeStorage` in the shell; the core only sees this interface. Two plain implementations live here:
 * `noSecretStorage` (nothing can be sealed: secrets stay in memory) and `plainFileStorage` for the CLI's
 * `--insecure-storage`, which writes them unencrypted into its 0600 data file, like `gh auth login
 * --insecure-storage`.
 */
export interface SecretStorage {
  isEncryptionAvailable(): boolean;
  /**
   * What does the sealing: Electron's Linux backends (`basic_text`, `gnome_libsecret`, `kwallet5`…), `keychain`,
   * `dpapi`, or `plaintext`. Null when unknown.
   */
  backend(): string | null;
  encrypt(text: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * Backends that only obscure: Electron's `basic_text` (Linux without a keyring) uses a key built into Chromium.
 * Secrets sealed by these are written only when the user agrees to plaintext storage.
 */
export const INSECURE_BACKENDS: readonly string[] = ['basic_text', 'plaintext'];

export type StoragePolicy = 'encrypted' | 'insecure';

/** `encrypted`: safe to write. `insecure`: write only if the user opted in, else keep in memory. */
export function storagePolicy(storage: SecretStorage): StoragePolicy {
  try {
    if (!storage.isEncryptionAvailable()) return 'insecure';
    const backend = storage.backend();
    return backend !== null && INSECURE_BACKENDS.includes(backend) ? 'insecure' : 'encrypted';
  } catch {
    return 'insecure';
  }
}

export const noSecretStorage: SecretStorage = {
  isEncryptionAvailable: () => false,
  backend: () => null,
  encrypt: () => {
    throw new Error('No secret storage is available.');
  },
  decrypt: () => {
    throw new Error('No secret storage is available.');
  },
};

/** Not encryption: secrets are written as they are (only after the user opts in). */
export const plainFileStorage: SecretStorage = {
  isEncryptionAvailable: () => true,
  backend: () => 'plaintext',
  encrypt: (text) => Buffer.from(text, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
};
