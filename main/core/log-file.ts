/**
 * Log lines to a file in the app's data folder, rotated by size (`app.log` → `app.log.1` … `app.log.N`), so a
 * chatty week never fills a disk. Writes are synchronous: logging is rare, and a line written before a crash is
 * worth more than speed. Records arrive already redacted by the logger.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatRecord, type LogRecord } from './logger';

export interface RotatingFileOptions {
  dir: string;
  name?: string;
  maxBytes?: number;
  /** How many old files to keep beside the current one. */
  keep?: number;
}

export function createRotatingFileSink(options: RotatingFileOptions): {
  sink: (record: LogRecord) => void;
  path: string;
} {
  const name = options.name ?? 'tray-for-sonos.log';
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 3;
  const path = join(options.dir, name);
  // Logs name the speakers and the network: readable by their owner only.
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  let size = existsSync(path) ? statSync(path).size : 0;

  const rotate = (): void => {
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    }
    if (existsSync(path)) renameSync(path, `${path}.1`);
    size = 0;
  };

  return {
    path,
    sink(record) {
      const line = `${formatRecord(record)}\n`;
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(path, line, { mode: 0o600 });
      size += bytes;
    },
  };
}
