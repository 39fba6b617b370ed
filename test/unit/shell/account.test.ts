import { beforeEach, describe, expect, it } from 'vitest';
import { storagePolicy } from '../../../main/core/account/secret-storage';
import { createSafeStorage, systemBrowser } from '../../../main/shell/account';
import { callsTo, resetElectronFake, safeStorage, shell } from '../../fakes/electron';

describe('shell account pieces', () => {
  beforeEach(() => resetElectronFake());

  it('seals with safeStorage and reports its backend', () => {
    const storage = createSafeStorage(safeStorage, 'linux');
    expect(storage.backend()).toBe('gnome_libsecret');
    const sealed = storage.encrypt('made-up-token-123');
    expect(sealed.toString('utf8')).not.toContain('made-up-token-123');
    expect(storage.decrypt(sealed)).toBe('made-up-token-123');
    expect(storagePolicy(storage)).toBe('encrypted');
    expect(createSafeStorage(safeStorage, 'darwin').backend()).toBe('keychain');
    expect(createSafeStorage(safeStorage, 'win32').backend()).toBe('dpapi');
  });

  it('Linux without a keyring (basic_text) or without encryption: secrets only with the user’s consent', () => {
    safeStorage.backend = 'basic_text';
    expect(storagePolicy(createSafeStorage(safeStorage, 'linux'))).toBe('insecure');
    safeStorage.backend = 'gnome_libsecret';
    safeStorage.available = false;
    expect(storagePolicy(createSafeStorage(safeStorage, 'linux'))).toBe('insecure');
  });

  it('opens only web pages in the system browser (plain http only on this computer)', async () => {
    const browser = systemBrowser(shell);
    await browser.openExternal('https://auth.example.test/authorize?state=s');
    await browser.openExternal('http://127.0.0.1:4000/login/v3/oauth?state=s');
    expect(callsTo('shell', 'openExternal').map((c) => c.args[0])).toEqual([
      'https://auth.example.test/authorize?state=s',
      'http://127.0.0.1:4000/login/v3/oauth?state=s',
    ]);
    await expect(browser.openExternal('file:///etc/passwd')).rejects.toThrow(/cannot be opened/);
    await expect(browser.openExternal('http://evil.example/')).rejects.toThrow(/cannot be opened/);
    await expect(browser.openExternal('io.github.trayforsonos://oauth/callback')).rejects.toThrow();
    expect(callsTo('shell', 'openExternal')).toHaveLength(2);
  });
});
