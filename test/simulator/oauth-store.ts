/**
 * The simulated Sonos authorization server's memory: registered clients, one-shot authorization codes, access and
 * refresh tokens. No I/O; cloud-server.ts maps HTTP onto it. Token answers keep the captured key order
 * (oauth/token.success.curl_capture.json): access_token, token_type, expires_in, refresh_token, scope.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { OAuthClient } from './options';

export const SCOPE = 'playback-control-all';
const CODE_TTL_MS = 10 * 60 * 1000;

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface OAuthError {
  error: 'invalid_grant' | 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';
  error_description: string;
}

interface CodeEntry {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

export interface OAuthStoreOptions {
  clients: OAuthClient[];
  ttlSeconds: number;
  rotateRefreshTokens: boolean;
  now?: () => number;
}

export class OAuthStore {
  private readonly clients: OAuthClient[];
  private readonly codes = new Map<string, CodeEntry>();
  private readonly accessTokens = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, { clientId: string }>();
  private readonly now: () => number;

  constructor(private readonly options: OAuthStoreOptions) {
    this.clients = options.clients;
    this.now = options.now ?? (() => Date.now());
  }

  client(clientId: string): OAuthClient | undefined {
    return this.clients.find((c) => c.clientId === clientId);
  }

  /** `Authorization: Basic base64(id:secret)`; null when missing or wrong (the token endpoint answers invalid_client). */
  authenticate(authorization: string | undefined): OAuthClient | null {
    const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const client = this.client(decoded.slice(0, colon));
    return client && client.clientSecret === decoded.slice(colon + 1) ? client : null;
  }

  issueCode(clientId: string, redirectUri: string): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { clientId, redirectUri, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  exchangeCode(
    client: OAuthClient,
    code: string | undefined,
    redirectUri: string | undefined,
  ): TokenSet | OAuthError {
    if (!code) return { error: 'invalid_request', error_description: 'Missing code parameter' };
    const entry = this.codes.get(code);
    // One-shot: a code is gone after its first use, successful or not.
    this.codes.delete(code);
    if (!entry || entry.clientId !== client.clientId || entry.expiresAt <= this.now()) {
      return { error: 'invalid_grant', error_description: 'Invalid authorization code' };
    }
    if (entry.redirectUri !== redirectUri) {
      return { error: 'invalid_grant', error_description: 'Redirect URI mismatch' };
    }
    return this.issueTokens(client.clientId, null);
  }

  refresh(client: OAuthClient, refreshToken: string | undefined): TokenSet | OAuthError {
    if (!refreshToken)
      return { error: 'invalid_request', error_description: 'Missing refresh_token parameter' };
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.clientId !== client.clientId) {
      return { error: 'invalid_grant', error_description: 'Invalid refresh token' };
    }
    if (this.options.rotateRefreshTokens) this.refreshTokens.delete(refreshToken);
    return this.issueTokens(client.clientId, this.options.rotateRefreshTokens ? null : refreshToken);
  }

  isValidAccessToken(token: string): boolean {
    const entry = this.accessTokens.get(token);
    return entry !== undefined && entry.expiresAt > this.now();
  }

  expireAllTokens(): void {
    for (const entry of this.accessTokens.values()) entry.expiresAt = 0;
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  private issueTokens(clientId: string, keepRefreshToken: string | null): TokenSet {
    const accessToken = randomUUID();
    const refreshToken = keepRefreshToken ?? randomUUID();
    this.accessTokens.set(accessToken, { clientId, expiresAt: this.now() + this.options.ttlSeconds * 1000 });
    this.refreshTokens.set(refreshToken, { clientId });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.options.ttlSeconds,
      refresh_token: refreshToken,
      scope: SCOPE,
    };
  }
}
