import { app } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import {
  confDocument,
  ensureDataDir,
  quarantineCorruptFile,
  refuseSymlinkedFile,
  STORE_FILE,
} from '../core/store/conf-backend';
import type { DocumentBackend } from '../core/store/data-store';

/**
 * The app's store: electron-store in the user data folder, the same file format and migrations as the CLI's
 * `conf` store. A corrupted file is moved to `.bak` first so the app starts instead of crashing.
 */
export function createElectronStoreBackend(): DocumentBackend & { backup: string | null } {
  const dir = app.getPath('userData');
  const path = join(dir, STORE_FILE);
  ensureDataDir(dir);
  refuseSymlinkedFile(path);
  const backup = quarantineCorruptFile(path);
  const store = new ElectronStore<Record<string, unknown>>({
    name: STORE_FILE.replace(/\.json$/, ''),
    cwd: dir,
    accessPropertiesByDotNotation: false,
    watch: false,
    configFileMode: 0o600,
  });
  return confDocument(store, path, backup);
}
