/**
 * The token endpoint: the code grant after the browser comes back, and the refresh grant. The code grant sends
 * its parameters as a form body; the refresh grant sends them in the query string (where Sonos reads them) and in
 * the body too. Both authenticate with `Authorization: Basic base64(id:secret)`.
 *
 * Answers are mapped the way FotoWeb's guide asks: a 400–599 with an OAuth JSON body (`invalid_grant`,
 * `invalid_client`, …) becomes a specific message; any other answer — HTML, empty, truncated — and network
 * failures or timeouts become "unexpected error" with a retry.
 */
import type { ErrorCode } from '../../contract/model';
import { AppError } from '../errors';
import {
  describeResponse,
  toRequestFailure,
  type HttpRequester,
  type HttpResponse,
  type RequestFailure,
} from '../http-requester';
import type { Logger } from '../logger';
import type { Endpoints } from './endpoints';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  /** Null when the answer carried none (a refresh may not rotate it): keep the one you have. */
  refreshToken: string | null;
  /** Epoch ms, from `expires_in`. */
  expiresAt: number;
  scope: string | null;
}

export type Grant = 'authorization_code' | 'refresh_token';

/** A failed token request: an `AppError` for the UI, plus what the server said for the caller's decisions. */
export class TokenError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly oauthError: string | null,
    readonly status: number | null,
    options: ConstructorParameters<typeof AppError>[2] = {},
  ) {
    super(code, message, options);
    this.name = 'TokenError';
  }

  /** Retrying the same grant cannot help: the user has to sign in again (or fix the key and secret). */
  get refused(): boolean {
    return this.oauthError === 'invalid_grant' || this.oauthError === 'invalid_client';
  }
}

export interface TokenClientOptions {
  endpoints: Pick<Endpoints, 'tokenUrl'>;
  requester: HttpRequester;
  logger: Logger;
  now?: () => number;
  timeoutMs?: number;
}

/** When a server leaves `expires_in` out we assume an hour: short enough to refresh early, never "forever". */
const FALLBACK_LIFETIME_S = 3600;

export function basicAuthorization(client: ClientCredentials): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`, 'utf8').toString('base64')}`;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const str = (value: unknown, max = 2048): string | null =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;

export class TokenClient {
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: TokenClientOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  exchangeCode(client: ClientCredentials, grant: { code: string; redirectUri: string }): Promise<TokenSet> {
    this.options.logger.addSecret(grant.code);
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
    });
    return this.post(client, 'authorization_code', this.options.endpoints.tokenUrl, form);
  }

  refresh(client: ClientCredentials, refreshToken: string): Promise<TokenSet> {
    const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const url = new URL(this.options.endpoints.tokenUrl);
    for (const [key, value] of params) url.searchParams.set(key, value);
    return this.post(client, 'refresh_token', url.toString(), params);
  }

  private async post(
    client: ClientCredentials,
    grant: Grant,
    url: string,
    form: URLSearchParams,
  ): Promise<TokenSet> {
    const { logger } = this.options;
    const authorization = basicAuthorization(client);
    logger.addSecret(client.clientSecret);
    logger.addSecret(authorization.slice('Basic '.length));
    const started = this.now();
    let response: HttpResponse;
    try {
      response = await this.options.requester({
        method: 'POST',
        url,
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          accept: 'application/json',
        },
        body: form.toString(),
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      const failure = toRequestFailure(error);
      logger.warn('token request failed', { grant, failure: failure.kind, technical: failure.technical });
      throw networkError(failure);
    }
    const json = parseJsonObject(response.text);
    if (response.status >= 200 && response.status < 300) {
      const tokens = json ? this.readTokens(json) : null;
      if (!tokens) {
        logger.warn('token answer unreadable', { grant, answer: describeResponse(response) });
        throw unexpected(`${describeResponse(response)}: not a token answer`, response.status);
      }
      logger.info('token request succeeded', { grant, ms: this.now() - started });
      return tokens;
    }
    const oauthError = json ? str(json.error, 256) : null;
    if (response.status >= 400 && response.status <= 599 && oauthError) {
      const description = json ? str(json.error_description) : null;
      const uri = json ? str(json.error_uri) : null;
      logger.warn('token request refused', {
        grant,
        status: response.status,
        error: oauthError,
        description,
      });
      throw oauthFailure(grant, oauthError, description, uri, response.status);
    }
    logger.warn('token request failed', { grant, answer: describeResponse(response) });
    throw unexpected(describeResponse(response), response.status);
  }

  private readTokens(json: Record<string, unknown>): TokenSet | null {
    const accessToken = str(json.access_token, 8192);
    if (!accessToken) return null;
    const tokenType = json.token_type;
    if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer'))
      return null;
    const refreshToken = str(json.refresh_token, 8192);
    // Register before anything else can touch them: from here on no log line can carry them.
    this.options.logger.addSecret(accessToken);
    this.options.logger.addSecret(refreshToken);
    const raw = typeof json.expires_in === 'string' ? Number(json.expires_in) : json.expires_in;
    const usable = typeof raw === 'number' && Number.isFinite(raw) && raw > 0;
    if (!usable) this.options.logger.warn('token answer without a usable expires_in; assuming an hour');
    const lifetime = usable ? raw : FALLBACK_LIFETIME_S;
    return {
      accessToken,
      refreshToken,
      expiresAt: this.now() + Math.round(lifetime * 1000),
      scope: str(json.scope, 512),
    };
  }
}

function unexpected(technical: string, status: number | null): TokenError {
  return new TokenError('unexpected', 'Sonos answered with an unexpected error. Try again.', null, status, {
    retryable: true,
    details: { technical },
  });
}

function networkError(failure: RequestFailure): TokenError {
  const message =
    failure.kind === 'timeout'
      ? 'Sonos did not answer in time. Try again.'
      : 'Could not reach Sonos. Check your internet connection and try again.';
  return new TokenError('unexpected', message, null, null, {
    retryable: true,
    details: { technical: `${failure.kind}: ${failure.technical}` },
  });
}

function oauthFailure(
  grant: Grant,
  error: string,
  description: string | null,
  uri: string | null,
  status: number,
): TokenError {
  // Only https links are offered to open from a Details view.
  const safeUri = uri && /^https:\/\//i.test(uri) ? uri : null;
  const details = {
    code: error,
    description,
    uri: safeUri,
    technical: `HTTP ${status} ${error}${uri && !safeUri ? `; error_uri: ${uri.slice(0, 300)}` : ''}`,
  };
  if (error === 'invalid_client') {
    return new TokenError(
      grant === 'refresh_token' ? 'needs-reauth' : 'auth-refused',
      'Sonos did not accept your integration’s key or secret. Check them in Settings, then sign in again.',
      error,
      status,
      { retryable: false, details },
    );
  }
  if (grant === 'refresh_token') {
    if (error === 'invalid_grant') {
      return new TokenError(
        'needs-reauth',
        'Your Sonos sign-in has expired or was withdrawn. Sign in again.',
        error,
        status,
        { retryable: false, details },
      );
    }
    return new TokenError('unexpected', 'Sonos could not renew your sign-in. Try again.', error, status, {
      retryable: true,
      details,
    });
  }
  if (error === 'invalid_grant') {
    return new TokenError(
      'auth-refused',
      'Sonos did not accept this sign-in; it may have been used already or taken too long. Sign in again.',
      error,
      status,
      { retryable: true, details },
    );
  }
  if (error === 'server_error' || error === 'temporarily_unavailable') {
    return new TokenError(
      'unexpected',
      'Sonos answered with an unexpected error. Try again.',
      error,
      status,
      {
        retryable: true,
        details,
      },
    );
  }
  return new TokenError('auth-refused', 'Sonos refused sign-in.', error, status, {
    retryable: true,
    details,
  });
}
