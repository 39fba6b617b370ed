/**
 * The Electron pieces the core's account takes as values: `safeStorage` as its `SecretStorage`, and the system
 * browser as its `BrowserOpener`. Create the account after `app.whenReady()`: on Linux the storage backend is
 * known only then. Callback URLs from the custom scheme (`open-url` on macOS, a second instance's argv elsewhere —
 * `findCallbackUrl` picks it out) go to `AccountService.submitCallback`.
 */
import { safeStorage, shell } from 'electron';
import type { BrowserOpener } from '../core/account/account-manager';
import type { SecretStorage } from '../core/account/secret-storage';

export function createSafeStorage(platform: NodeJS.Platform = process.platform): SecretStorage {
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
export const systemBrowser: BrowserOpener = {
  async openExternal(url) {
    const { protocol } = new URL(url);
    if (protocol !== 'https:' && protocol !== 'http:')
      throw new Error(`refusing to open a ${protocol} address`);
    await shell.openExternal(url);
  },
};
