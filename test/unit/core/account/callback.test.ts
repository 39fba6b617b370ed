import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALLBACK_URL, findCallbackUrl, parseCallback } from '../../../../main/core/account/callback';

function ok(input: unknown) {
  const result = parseCallback(input);
  if (!result.ok) throw new Error(`expected a callback, got ${result.error.message}`);
  return result.params;
}

describe('callback parser', () => {
  it('reads the custom scheme the bounce page forwards to', () => {
    expect(ok(`${CALLBACK_URL}?code=c0de&state=s1`)).toEqual({
      code: 'c0de',
      state: 's1',
      error: null,
      errorDescription: null,
      errorUri: null,
    });
    expect(ok('IO.GITHUB.TRAYFORSONOS://oauth/callback/?state=s&code=c').code).toBe('c');
  });

  it('reads the https address the user pasted, and a bare query', () => {
    expect(ok('  https://bounce.example.test/sonos/?code=abc&state=xyz  ')).toMatchObject({
      code: 'abc',
      state: 'xyz',
    });
    expect(ok('?code=abc&state=xyz')).toMatchObject({ code: 'abc', state: 'xyz' });
    expect(ok('code=abc&state=xyz')).toMatchObject({ code: 'abc', state: 'xyz' });
    expect(ok('https://bounce.example.test/sonos/#code=abc&state=xyz')).toMatchObject({ code: 'abc' });
  });

  it('reads error callbacks with their description and link', () => {
    expect(
      ok(
        'https://bounce.example.test/sonos/?error=access_denied&error_description=The+user+said+no&error_uri=https%3A%2F%2Fdocs.example.test%2Ferr&state=s',
      ),
    ).toEqual({
      code: null,
      state: 's',
      error: 'access_denied',
      errorDescription: 'The user said no',
      errorUri: 'https://docs.example.test/err',
    });
  });

  it('turns garbage into a typed error, never an exception', () => {
    for (const input of [
      '',
      '   ',
      'hello',
      'mailto:someone@example.test?code=1',
      'io.github.trayforsonos://other/path?code=1&state=2',
      'https://bounce.example.test/sonos/',
      'https://bounce.example.test/sonos/?foo=bar',
      `${CALLBACK_URL}?code=a&code=b&state=s`,
      `${CALLBACK_URL}?state=${'x'.repeat(600)}`,
      'x'.repeat(10_000),
      42,
      null,
      { url: 'x' },
    ]) {
      const result = parseCallback(input);
      expect(result.ok, String(input).slice(0, 60)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-request');
        expect(result.error.message).toMatch(/address/);
      }
    }
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        (input) => {
          const result = parseCallback(input);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds the callback among a second instance’s arguments', () => {
    expect(findCallbackUrl(['/usr/bin/tray', '--flag', `${CALLBACK_URL}?code=1&state=2`])).toBe(
      `${CALLBACK_URL}?code=1&state=2`,
    );
    expect(findCallbackUrl(['/usr/bin/tray', 'https://example.test'])).toBeNull();
  });
});

describe('parseCallback: empty values', () => {
  it('treats an empty code or error as absent, so nothing empty is exchanged or shown', () => {
    const parsed = parseCallback('io.github.trayforsonos://oauth/callback?state=s1&code=&error=%20');
    expect(parsed).toEqual({
      ok: true,
      params: { state: 's1', code: null, error: null, errorDescription: null, errorUri: null },
    });
  });
});
