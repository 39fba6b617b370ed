import Conf from 'conf';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentBackend, StoredData } from './data-store';

export const STORE_FILE = 'tray-for-sonos.json';

/**
 * A file that is not JSON (a crash mid-write by an old version, a bad hand edit) is moved aside to `.bak` so the
 * app starts fresh and the user's data can still be recovered by hand. Returns the backup's path when it did.
 */
export function quarantineCorruptFile(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    const text = readFileSync(path, 'utf8');
    if (text.trim() === '') return null;
    JSON.parse(text);
    return null;
  } catch {
    const backup = `${path}.bak`;
    renameSync(path, backup);
    return backup;
  }
}

/** A `DocumentBackend` over a `conf` store (electron-store is one too): the whole document read and written. */
export function confDocument(
  conf: { store: Record<string, unknown> },
  path: string,
  backup: string | null,
): DocumentBackend & { backup: string | null } {
  return {
    path,
    backup,
    read: () => conf.store,
    write: (value: StoredData) => {
      conf.store = value as unknown as Record<string, unknown>;
    },
  };
}

/** The plain-Node store for the CLI and tests: `conf`, the library electron-store is built on. */
export function createConfBackend(dataDir: string): DocumentBackend & { backup: string | null } {
  const path = join(dataDir, STORE_FILE);
  const backup = quarantineCorruptFile(path);
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: STORE_FILE.replace(/\.json$/, ''),
    projectName: 'tray-for-sonos',
    accessPropertiesByDotNotation: false,
    watch: false,
    configFileMode: 0o600,
  });
  return confDocument(conf, path, backup);
}
