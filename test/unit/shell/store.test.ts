import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../../main/core/store/conf-backend';
import { DataStore, DEFAULT_SETTINGS } from '../../../main/core/store/data-store';
import { createElectronStoreBackend } from '../../../main/shell/store';
import { app, resetElectronFake } from '../../fakes/electron';

describe('electron-store backend', () => {
  let dir: string;
  beforeEach(() => {
    resetElectronFake();
    dir = mkdtempSync(join(tmpdir(), 'tfs-estore-'));
    app.paths.userData = dir;
  });

  it('keeps the same document as the CLI store, in the user data folder', () => {
    const store = new DataStore(createElectronStoreBackend());
    store.setNickname('RINCON_1', 'Den');
    const onDisk = JSON.parse(readFileSync(join(dir, STORE_FILE), 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, nicknames: { RINCON_1: 'Den' } });
    expect(new DataStore(createElectronStoreBackend()).nickname('RINCON_1')).toBe('Den');
  });

  it('starts fresh from a corrupted file and keeps it as .bak', () => {
    writeFileSync(join(dir, STORE_FILE), '{{{');
    const backend = createElectronStoreBackend();
    expect(backend.backup).toBe(join(dir, `${STORE_FILE}.bak`));
    expect(new DataStore(backend).settings).toEqual(DEFAULT_SETTINGS);
  });
});
