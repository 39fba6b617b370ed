import { beforeEach, describe, expect, it } from 'vitest';
import { storagePolicy } from '../../../main/core/account/secret-storage';
import { createSafeStorage, systemBrowser } from '../../../main/shell/account';
import { callsTo, resetElectronFake, safeStorage } from '../../fakes/electron';

describe('shell account pieces', () => {
  beforeEach(() => resetElectronFake());

  it('seals with safeStorage and reports its backend', () => {
    const storage = createSafeStorage('linux');
    expect(storage.backend()).toBe('gnome_libsecret');
    const sealed = storage.encrypt('made-up-token-123');
    expect(sealed.toString('utf8')).not.toContain('made-up-token-123');
    expect(storage.decrypt(sealed)).toBe('made-up-token-123');
    expect(storagePolicy(storage)).toBe('encrypted');
    expect(createSafeStorage('darwin').backend()).toBe('keychain');
    expect(createSafeStorage('win32').backend()).toBe('dpapi');
  });

  it('Linux without a keyring (basic_text) or without encryption: secrets only with the user’s consent', () => {
    safeStorage.backend = 'basic_text';
    expect(storagePolicy(createSafeStorage('linux'))).toBe('insecure');
    safeStorage.backend = 'gnome_libsecret';
    safeStorage.available = false;
    expect(storagePolicy(createSafeStorage('linux'))).toBe('insecure');
  });

  it('opens only web pages in the system browser', async () => {
    await systemBrowser.openExternal('https://auth.example.test/authorize?state=s');
    expect(callsTo('shell', 'openExternal').map((c) => c.args[0])).toEqual([
      'https://auth.example.test/authorize?state=s',
    ]);
    await expect(systemBrowser.openExternal('file:///etc/passwd')).rejects.toThrow(/refusing/);
    expect(callsTo('shell', 'openExternal')).toHaveLength(1);
  });
});
