/**
 * The Electron pieces the core's account takes as values: `safeStorage` as its `SecretStorage`, and the system
 * browser as its `BrowserOpener`. Create the account after `app.whenReady()`: on Linux the storage backend is
 * known only then. Callback URLs from the custom scheme reach `AccountService.submitCallback` (deep-links.ts).
 */
import type { SafeStorage, Shell } from 'electron';
import type { BrowserOpener } from '../core/account/account-manager';
import type { SecretStorage } from '../core/account/secret-storage';
import { openExternalSafely } from './external-links';

export function createSafeStorage(
  safeStorage: Pick<
    SafeStorage,
    'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
  >,
  platform: NodeJS.Platform = process.platform,
): SecretStorage {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    backend: () =>
      platform === 'linux'
        ? safeStorage.getSelectedStorageBackend()
        : platform === 'darwin'
          ? 'keychain'
          : platform === 'win32'
            ? 'dpapi'
            : null,
    encrypt: (text) => safeStorage.encryptString(text),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}

/** Opens the Sonos sign-in page in the user's own browser, where their passwords and sessions are. */
export function systemBrowser(shell: Pick<Shell, 'openExternal'>): BrowserOpener {
  return { openExternal: (url) => openExternalSafely(shell, url) };
}
