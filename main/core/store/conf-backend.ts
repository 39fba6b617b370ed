import Conf from 'conf';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors';
import type { DocumentBackend, StoredData } from './data-store';

export const STORE_FILE = 'tray-for-sonos.json';

/**
 * The data folder, created readable by its owner only (0700): it holds pinned certificates and, with
 * `--insecure-storage`, tokens. A folder that already exists is left as it is (it may be one the user chose).
 */
export function ensureDataDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * A settings file that is a symbolic link is refused: reading it would take settings and pins from wherever it
 * points, and writing would replace the link — someone who can plant a link in the folder must gain nothing.
 */
export function refuseSymlinkedFile(path: string): void {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return;
  }
  if (link) {
    throw new AppError(
      'unexpected',
      'The settings file is a link to another file, so Tray for Sonos does not use it. Replace the link with the file itself, or remove it.',
      { details: { technical: `symbolic link: ${path}` } },
    );
  }
}

/** Fields whose value is a token or a secret, in this version's record and in the 0.0.x prototype's. */
const SECRET_FIELD =
  /"(?:accessToken|refreshToken|access_token|refresh_token|secret|clientSecret|client_secret)"\s*:\s*(?!null\b)\S/;

/**
 * Removes the `.bak` copy of a settings file when it holds a token or secret (a corrupted file is moved there
 * whole, sign-in included). Returns true when it did. Checked as text: the copy is there because it is not JSON.
 */
export function removeBackupWithSecrets(path: string): boolean {
  const backup = `${path}.bak`;
  let text: string;
  try {
    if (lstatSync(backup).isSymbolicLink()) {
      rmSync(backup, { force: true });
      return true;
    }
    text = readFileSync(backup, 'utf8');
  } catch {
    return false;
  }
  if (!SECRET_FIELD.test(text)) return false;
  rmSync(backup, { force: true });
  return true;
}

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
  ensureDataDir(dataDir);
  refuseSymlinkedFile(path);
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
