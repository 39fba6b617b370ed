import { describe, expect, it } from 'vitest';
import { createLogger, formatRecord, type LogRecord } from '../../../main/core/logger';

function capture() {
  const records: LogRecord[] = [];
  const logger = createLogger((r) => records.push(r), { level: 'debug', now: () => new Date(0) });
  return { logger, records, text: () => records.map(formatRecord).join('\n') };
}

describe('logger redaction', () => {
  it('redacts fields named like secrets at any depth', () => {
    const { logger, text } = capture();
    logger.info('token response', {
      access_token: 'eyJhbGciOiJIUzI1NiJ9.secret-access',
      nested: { refreshToken: 'refresh-1234567890', client_secret: 'shh-very-secret', keep: 'visible' },
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    });
    const out = text();
    expect(out).not.toMatch(/secret-access|refresh-1234567890|shh-very-secret|dXNlcjpwYXNz/);
    expect(out).toContain('visible');
    expect(out).toContain('[redacted]');
  });

  it('keeps error codes readable; an OAuth code is hidden once registered', () => {
    const { logger, text } = capture();
    logger.addSecret('auth-code-123456');
    logger.warn('command failed', {
      error: { code: 'unreachable', details: { code: 'ERROR_NO_PERMISSION' } },
      received: { code: 'auth-code-123456' },
    });
    const out = text();
    expect(out).toContain('unreachable');
    expect(out).toContain('ERROR_NO_PERMISSION');
    expect(out).not.toContain('auth-code-123456');
  });

  it('redacts registered secrets wherever they appear, including inside messages and errors', () => {
    const { logger, text } = capture();
    const token = 'tok_9f8e7d6c5b4a3210';
    logger.addSecret(token);
    logger.warn(`request with ${token} failed`, {
      error: new Error(`server echoed ${token}`),
      list: [token],
    });
    expect(text()).not.toContain(token);
  });

  it('redacts OAuth parameters in URLs and bearer headers in free text', () => {
    const { logger, text } = capture();
    logger.info('callback io.github.trayforsonos://oauth/callback?code=abc123secret&state=s1');
    logger.info('sent Authorization: Bearer abcdef.ghijkl');
    logger.info('refresh POST /login/v3/oauth/access?grant_type=refresh_token&refresh_token=rt-0000');
    const out = text();
    expect(out).not.toMatch(/abc123secret|abcdef\.ghijkl|rt-0000/);
    expect(out).toContain('state=s1');
    expect(out).toContain('grant_type=refresh_token');
  });

  it('respects the level, prefixes children and survives a throwing sink', () => {
    const records: LogRecord[] = [];
    const logger = createLogger((r) => records.push(r), { level: 'warn' });
    logger.info('hidden');
    logger.child('discovery').warn('shown');
    expect(records.map((r) => r.message)).toEqual(['discovery: shown']);
    const broken = createLogger(() => {
      throw new Error('disk full');
    });
    expect(() => broken.error('x')).not.toThrow();
  });

  it('ignores secrets too short to be real, which would redact ordinary words', () => {
    const { logger, text } = capture();
    logger.addSecret('on');
    logger.info('volume on');
    expect(text()).toContain('volume on');
  });
});
