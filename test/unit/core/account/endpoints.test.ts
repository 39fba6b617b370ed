import { describe, expect, it } from 'vitest';
import {
  AUTHORIZE_PATH,
  endpointsFromEnv,
  isLoopbackHost,
  resolveEndpoints,
  SONOS_API_BASE,
  SONOS_AUTH_BASE,
  TOKEN_PATH,
} from '../../../../main/core/account/endpoints';
import { AppError } from '../../../../main/core/errors';

describe('endpoints', () => {
  it('default to Sonos over https', () => {
    const endpoints = resolveEndpoints();
    expect(endpoints.authBase).toBe(SONOS_AUTH_BASE);
    expect(endpoints.apiBase).toBe(SONOS_API_BASE);
    expect(endpoints.authorizeUrl).toBe(SONOS_AUTH_BASE + AUTHORIZE_PATH);
    expect(endpoints.tokenUrl).toBe(SONOS_AUTH_BASE + TOKEN_PATH);
    expect(new URL(endpoints.tokenUrl).protocol).toBe('https:');
  });

  it('take TFS_AUTH_BASE and TFS_API_BASE, trimming trailing slashes', () => {
    const endpoints = endpointsFromEnv({
      TFS_AUTH_BASE: 'http://127.0.0.1:4567/',
      TFS_API_BASE: 'http://127.0.0.1:4567/control/api/v1/',
    });
    expect(endpoints.authBase).toBe('http://127.0.0.1:4567');
    expect(endpoints.apiBase).toBe('http://127.0.0.1:4567/control/api/v1');
    expect(endpoints.tokenUrl).toBe(`http://127.0.0.1:4567${TOKEN_PATH}`);
    // Empty variables mean "not set".
    expect(endpointsFromEnv({ TFS_AUTH_BASE: ' ', TFS_API_BASE: '' }).authBase).toBe(SONOS_AUTH_BASE);
  });

  it('accept plain http only for loopback hosts', () => {
    for (const base of ['http://127.0.0.1:1', 'http://127.9.8.7', 'http://localhost:8080', 'http://[::1]:9'])
      expect(() => resolveEndpoints({ authBase: base })).not.toThrow();
    for (const base of ['http://192.168.1.10', 'http://example.test', 'http://128.0.0.1', 'ftp://127.0.0.1'])
      expect(() => resolveEndpoints({ authBase: base })).toThrow(AppError);
    expect(() => resolveEndpoints({ apiBase: 'https://proxy.example.test/sonos' })).not.toThrow();
  });

  it('refuse credentials, queries and garbage', () => {
    for (const base of [
      'https://user:pw@example.test',
      'https://example.test/?a=1',
      'https://example.test/#x',
      'not a url',
    ])
      expect(() => resolveEndpoints({ authBase: base })).toThrow(/address/);
  });

  it('know loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.256.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.test')).toBe(false);
  });
});
