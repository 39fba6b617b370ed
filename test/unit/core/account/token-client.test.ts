import { describe, expect, it } from 'vitest';
import { TOKEN_PATH } from '../../../../main/core/account/endpoints';
import { TokenClient, TokenError } from '../../../../main/core/account/token-client';
import { AppError } from '../../../../main/core/errors';
import { RequestFailure } from '../../../../main/core/http-requester';
import { createLogger, formatRecord, type LogRecord } from '../../../../main/core/logger';
import { fakeRequester, json, text } from '../../../support/fake-requester';

const TOKEN_URL = `https://auth.example.test${TOKEN_PATH}`;
const client = { clientId: 'made-up-id', clientSecret: 'made-up-secret-value' };
const NOW = 1_700_000_000_000;

function setup() {
  const fake = fakeRequester();
  const records: LogRecord[] = [];
  const logger = createLogger((r) => records.push(r), { level: 'debug' });
  const tokens = new TokenClient({
    endpoints: { tokenUrl: TOKEN_URL },
    requester: fake.requester,
    logger,
    now: () => NOW,
  });
  return { fake, tokens, logs: () => records.map(formatRecord).join('\n') };
}

const success = {
  access_token: 'made-up-access-token-1',
  token_type: 'Bearer',
  expires_in: 86399,
  refresh_token: 'made-up-refresh-token-1',
  scope: 'playback-control-all',
};

async function failure(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('token client', () => {
  it('code grant: form body, Basic client authentication, nothing in the query', async () => {
    const { fake, tokens } = setup();
    fake.answer(json(200, success));
    const set = await tokens.exchangeCode(client, {
      code: 'the-code-123',
      redirectUri: 'https://bounce.example.test/s/',
    });
    expect(set).toEqual({
      accessToken: 'made-up-access-token-1',
      refreshToken: 'made-up-refresh-token-1',
      expiresAt: NOW + 86_399_000,
      scope: 'playback-control-all',
    });
    const request = fake.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(TOKEN_URL);
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('made-up-id:made-up-secret-value').toString('base64')}`,
    );
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code-123',
      redirect_uri: 'https://bounce.example.test/s/',
    });
  });

  it('refresh grant: parameters in the query string and in the body', async () => {
    const { fake, tokens } = setup();
    fake.answer(json(200, { ...success, refresh_token: undefined, expires_in: '3600' }));
    const set = await tokens.refresh(client, 'old-refresh-token-9');
    // No refresh token in the answer: the caller keeps the one it has.
    expect(set.refreshToken).toBeNull();
    expect(set.expiresAt).toBe(NOW + 3_600_000);
    const request = fake.requests[0]!;
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(TOKEN_URL);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh-token-9',
    });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh-token-9',
    });
  });

  it('reads expires_in and never assumes "forever" when it is missing', async () => {
    const { fake, tokens } = setup();
    fake.answer(json(200, { access_token: 'made-up-access-2', token_type: 'bearer' }));
    expect((await tokens.refresh(client, 'rt-000000001')).expiresAt).toBe(NOW + 3_600_000);
  });

  it('maps OAuth errors: invalid_grant and invalid_client, with the details kept', async () => {
    const { fake, tokens } = setup();
    fake.answer(
      json(400, {
        error: 'invalid_grant',
        error_description: 'Invalid authorization code',
        error_uri: 'https://docs.example.test/e',
      }),
    );
    const grant = await failure(
      tokens.exchangeCode(client, { code: 'used-code', redirectUri: 'https://b.test/' }),
    );
    expect(grant).toMatchObject({
      code: 'auth-refused',
      oauthError: 'invalid_grant',
      status: 400,
      retryable: true,
    });
    expect(grant.details).toMatchObject({
      code: 'invalid_grant',
      description: 'Invalid authorization code',
      uri: 'https://docs.example.test/e',
    });
    expect(grant.refused).toBe(true);

    fake.answer(json(401, { error: 'invalid_client', error_description: 'Client authentication failed' }));
    const bad = await failure(tokens.exchangeCode(client, { code: 'c', redirectUri: 'https://b.test/' }));
    expect(bad).toMatchObject({ code: 'auth-refused', oauthError: 'invalid_client', retryable: false });
    expect(bad.message).toMatch(/key or secret/);

    fake.answer(json(400, { error: 'invalid_request', error_uri: 'javascript:alert(1)' }));
    expect(
      (await failure(tokens.exchangeCode(client, { code: 'c', redirectUri: 'https://b.test/' }))).details,
    ).toMatchObject({
      uri: null,
      technical: 'HTTP 400 invalid_request; error_uri: javascript:alert(1)',
    });
    fake.answer(json(400, { error: 'invalid_request' }));
    expect(
      await failure(tokens.exchangeCode(client, { code: 'c', redirectUri: 'https://b.test/' })),
    ).toMatchObject({
      code: 'auth-refused',
      message: 'Sonos refused sign-in.',
    });
  });

  it('a refused refresh means "sign in again"; other refresh failures do not', async () => {
    const { fake, tokens } = setup();
    fake.answer(json(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }));
    const refused = await failure(tokens.refresh(client, 'rt-revoked-1'));
    expect(refused).toMatchObject({ code: 'needs-reauth', refused: true });
    fake.answer(json(503, { error: 'temporarily_unavailable' }));
    expect(await failure(tokens.refresh(client, 'rt-1234567890'))).toMatchObject({
      code: 'unexpected',
      refused: false,
      retryable: true,
    });
  });

  it('anything that is not an OAuth JSON answer is an unexpected error with a retry', async () => {
    const { fake, tokens } = setup();
    const cases = [
      text(503, '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>'),
      text(500, '', 'application/json'),
      text(200, '', 'application/json'),
      json(200, '{"access_token": "made-up-trunc'),
      text(200, '<html>login</html>'),
      json(200, { token_type: 'Bearer' }),
      json(200, { access_token: 'made-up-mac-token', token_type: 'mac' }),
      json(400, { message: 'no error field' }),
      json(502, '["error"]'),
      text(302, ''),
    ];
    for (const answer of cases) {
      fake.answer(answer);
      const error = await failure(tokens.exchangeCode(client, { code: 'c', redirectUri: 'https://b.test/' }));
      expect(error.code, answer.text).toBe('unexpected');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe('Sonos answered with an unexpected error. Try again.');
      expect(error.details?.technical).toContain(`HTTP ${answer.status}`);
    }
  });

  it('network failures and timeouts are unexpected errors with a retry too', async () => {
    const { fake, tokens } = setup();
    fake.answer(new RequestFailure('timeout', 'TimeoutError'));
    expect(await failure(tokens.refresh(client, 'rt-1234567890'))).toMatchObject({
      code: 'unexpected',
      retryable: true,
      message: 'Sonos did not answer in time. Try again.',
    });
    fake.answer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const refused = await failure(tokens.exchangeCode(client, { code: 'c', redirectUri: 'https://b.test/' }));
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'unexpected', retryable: true });
    expect(refused.message).toMatch(/Could not reach Sonos/);
  });

  it('never logs the code, tokens, secret or Authorization header', async () => {
    const { fake, tokens, logs } = setup();
    fake.answer(json(200, success));
    await tokens.exchangeCode(client, { code: 'the-code-secret-42', redirectUri: 'https://b.test/' });
    fake.answer(json(400, { error: 'invalid_grant', error_description: 'echo made-up-refresh-token-1' }));
    await failure(tokens.refresh(client, 'made-up-refresh-token-1'));
    const out = logs();
    expect(out).toContain('token request');
    for (const secret of [
      'the-code-secret-42',
      'made-up-access-token-1',
      'made-up-refresh-token-1',
      'made-up-secret-value',
    ])
      expect(out).not.toContain(secret);
    expect(out).not.toContain(Buffer.from('made-up-id:made-up-secret-value').toString('base64'));
  });
});
