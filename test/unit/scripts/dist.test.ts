import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { releaseEnv } from '../../../scripts/dist';

describe('release environment for electron-builder', () => {
  it('drops the empty strings unset GitHub secrets become, and looks for no certificate without one', () => {
    const { env } = releaseEnv({
      PATH: '/usr/bin',
      CSC_LINK: '',
      CSC_KEY_PASSWORD: ' ',
      WIN_CSC_LINK: '',
      APPLE_ID: '',
    });
    expect(env).toEqual({ PATH: '/usr/bin', CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
  });

  it('keeps what is given (made-up values) and writes the API key text to a private file for notarytool', () => {
    const { env, cleanUp } = releaseEnv({
      CSC_LINK: 'bWFkZS11cA==',
      CSC_KEY_PASSWORD: 'made-up',
      APPLE_API_KEY_P8: '-----BEGIN PRIVATE KEY-----\nmade-up\n-----END PRIVATE KEY-----\n',
      APPLE_API_KEY_ID: 'TESTKEYID0',
      APPLE_API_ISSUER: '00000000-0000-0000-0000-000000000000',
    });
    try {
      expect(env.CSC_LINK).toBe('bWFkZS11cA==');
      expect(env.CSC_IDENTITY_AUTO_DISCOVERY).toBeUndefined();
      expect(env.APPLE_API_KEY_P8).toBeUndefined();
      expect(env.APPLE_API_KEY).toMatch(/AuthKey_TESTKEYID0\.p8$/);
      expect(readFileSync(env.APPLE_API_KEY!, 'utf8')).toContain('made-up');
      // Windows has no POSIX modes; the file lives in the user's own temp folder there.
      if (process.platform !== 'win32') expect(statSync(env.APPLE_API_KEY!).mode & 0o777).toBe(0o600);
    } finally {
      cleanUp();
    }
    expect(existsSync(env.APPLE_API_KEY!)).toBe(false);
  });
});
