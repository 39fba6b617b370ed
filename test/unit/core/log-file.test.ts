import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRotatingFileSink } from '../../../main/core/log-file';
import { createLogger } from '../../../main/core/logger';

describe('rotating log file', () => {
  it('rotates by size and keeps a bounded number of files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-log-'));
    const { sink, path } = createRotatingFileSink({ dir, maxBytes: 300, keep: 2 });
    const logger = createLogger(sink, { level: 'info' });
    for (let i = 0; i < 40; i++) logger.info(`line ${i} ${'x'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual([
      'tray-for-sonos.log',
      'tray-for-sonos.log.1',
      'tray-for-sonos.log.2',
    ]);
    for (const file of readdirSync(dir))
      expect(readFileSync(join(dir, file)).length).toBeLessThanOrEqual(300);
    expect(readFileSync(path, 'utf8')).toContain('line 39');
    expect(existsSync(`${path}.3`)).toBe(false);
  });

  it('creates its folder readable by the owner only', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tfs-log-')), 'logs');
    createRotatingFileSink({ dir }).sink({ time: '', level: 'info', message: 'x' });
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('writes what the logger redacted, never the secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfs-log-'));
    const { sink, path } = createRotatingFileSink({ dir });
    const logger = createLogger(sink);
    logger.addSecret('made-up-refresh-token-42');
    logger.info('refreshed', {
      refresh_token: 'made-up-refresh-token-42',
      note: 'got made-up-refresh-token-42',
    });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('refreshed');
    expect(text).not.toContain('made-up-refresh-token-42');
  });
});
