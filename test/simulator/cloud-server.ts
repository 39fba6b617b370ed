/**
 * The simulated Sonos cloud on plain HTTP (127.0.0.1): the OAuth authorization server (`/login/v3/oauth…`) and the
 * Control REST API (`/control/api/v1…`). Cloud commands change the same household as local ones, so they produce the
 * same local events. Faults: 5xx with HTML or an empty body, an empty 200, expired or revoked tokens, and OAuth modes
 * that deny, send a wrong state, or never answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CloudControl } from './cloud-control';
import type { FrameContext } from './frames';
import type { HoldBackQueues } from './hold-back';
import type { Household } from './household';
import { escapeHtml, listenLocal, queryOf, readBody, sendJson, sendText } from './http-util';
import { SCOPE, type OAuthError, type OAuthStore, type TokenSet } from './oauth-store';
import type { OAuthMode } from './options';
import { TimerSet } from './timers';

export type CloudFailMode = '5xx-html' | '5xx-empty' | 'empty-200' | 'off';
export const CLOUD_FAIL_MODES: readonly CloudFailMode[] = ['5xx-html', '5xx-empty', 'empty-200', 'off'];

export interface CloudFailure {
  mode: CloudFailMode;
  /** How many requests fail before the cloud recovers by itself; absent: until `mode: 'off'`. */
  count?: number;
}

export interface CloudRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The token request's grant_type (query string first, then form body), if any. */
  grantType: string | null;
  /** performance.now() when the request arrived. */
  time: number;
  /** Filled in once answered; null while pending (or for a hanging authorize request). */
  status: number | null;
}

export interface CloudSettings {
  latencyMs(): number;
  applyDelayMs(): number;
  oauthMode(): OAuthMode;
}

export interface CloudDeps {
  household: Household;
  frames: FrameContext;
  oauth: OAuthStore;
  queues: HoldBackQueues;
  settings: CloudSettings;
  log(message: string): void;
}

/** The newer real 401 body, byte for byte (cloud/error_401_access_denied_invalid_token.json). */
export const INVALID_TOKEN_BODY = '{"error": "access_denied", "error_description": "Invalid Token"}';
export { RESOURCE_GONE_BODY } from './cloud-control';

const API_PREFIX = '/control/api/v1';

export class CloudServer {
  private readonly server: Server;
  private closeServer: (() => Promise<void>) | null = null;
  private portValue = 0;
  private failure: { mode: CloudFailMode; remaining: number | null } = { mode: 'off', remaining: null };
  private readonly log: CloudRequest[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly timers = new TimerSet();
  private readonly controlApi: CloudControl;

  constructor(private readonly deps: CloudDeps) {
    this.controlApi = new CloudControl(deps, this.timers, (fn) => this.answer(fn));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        deps.log(`cloud: ${req.method} ${req.url}: ${String(error)}`);
        sendJson(res, 500, { errorCode: 'ERROR_INTERNAL', reason: 'simulator error' });
      });
    });
  }

  get port(): number {
    return this.portValue;
  }

  get base(): string {
    return `http://127.0.0.1:${this.portValue}`;
  }

  async start(): Promise<void> {
    const { port, close } = await listenLocal(this.server);
    this.portValue = port;
    this.closeServer = close;
  }

  async stop(): Promise<void> {
    this.timers.clear();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await this.closeServer?.();
  }

  failCloud(failure: CloudFailure): void {
    if (!CLOUD_FAIL_MODES.includes(failure.mode))
      throw new RangeError(`unknown cloud fail mode ${failure.mode}`);
    this.failure = { mode: failure.mode, remaining: failure.count ?? null };
  }

  get failureMode(): CloudFailMode {
    return this.failure.mode;
  }

  requests(): CloudRequest[] {
    return this.log.map((entry) => ({ ...entry, query: { ...entry.query } }));
  }

  // ---- routing ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    const query = queryOf(url);
    const entry: CloudRequest = {
      method,
      path: url.pathname,
      query,
      grantType: query['grant_type'] ?? new URLSearchParams(body).get('grant_type'),
      time: performance.now(),
      status: null,
    };
    this.log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    const path = url.pathname;
    const isToken = path === '/login/v3/oauth/access';
    if (path === '/login/v3/oauth' && method === 'GET') return this.authorize(url, res);
    if (path === '/login/v3/oauth/consent' && method === 'POST') {
      return this.answer(() => this.consent(new URLSearchParams(body), res));
    }
    if (isToken || path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
      if (this.injectFailure(res)) return;
      if (isToken && method === 'POST') return this.answer(() => this.token(req, url, body, res));
      if (!isToken) return this.control(req, method, path.slice(API_PREFIX.length), body, res);
    }
    this.answer(() =>
      sendJson(res, 404, { errorCode: 'ERROR_RESOURCE_NOT_FOUND', reason: `No route ${method} ${path}` }),
    );
  }

  /** Answers after the configured latency. */
  private answer(fn: () => void): void {
    const delay = this.deps.settings.latencyMs();
    if (delay <= 0) {
      fn();
      return;
    }
    this.timers.after(delay, fn);
  }

  private injectFailure(res: ServerResponse): boolean {
    const failure = this.failure;
    if (failure.mode === 'off') return false;
    if (failure.remaining !== null) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) this.failure = { mode: 'off', remaining: null };
    }
    this.answer(() => {
      switch (failure.mode) {
        case '5xx-html':
          sendText(
            res,
            503,
            '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>',
            'text/html',
          );
          return;
        case '5xx-empty':
          sendText(res, 500, '', 'application/json');
          return;
        default:
          sendText(res, 200, '', 'application/json');
      }
    });
    return true;
  }

  // ---- OAuth ----

  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const client = this.deps.oauth.client(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri') ?? '';
    // Like Sonos: an unknown client or unregistered redirect gets an error page, never a redirect.
    if (!client || !client.redirectUris.includes(redirectUri)) {
      this.answer(() =>
        errorPage(res, 'The client id or redirect URI is not registered for this integration.'),
      );
      return;
    }
    const state = q.get('state');
    const fail = (error: string, description: string) =>
      this.answer(() => redirect(res, redirectUri, { error, error_description: description, state }));
    if (q.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'response_type must be code');
    if (!(q.get('scope') ?? '').split(/[\s+]/).includes(SCOPE))
      return fail('invalid_scope', `scope must include ${SCOPE}`);

    switch (this.deps.settings.oauthMode()) {
      case 'hang':
        // Never answers; stop() cuts it.
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'deny':
        return fail('access_denied', 'The user denied access');
      case 'auto': {
        const code = this.deps.oauth.issueCode(client.clientId, redirectUri);
        return this.answer(() => redirect(res, redirectUri, { code, state }));
      }
      case 'wrong-state': {
        const code = this.deps.oauth.issueCode(client.clientId, redirectUri);
        return this.answer(() => redirect(res, redirectUri, { code, state: `${state ?? ''}-tampered` }));
      }
      case 'consent':
        return this.answer(() =>
          consentPage(res, client.clientId, redirectUri, state, q.get('scope') ?? SCOPE),
        );
    }
  }

  private consent(form: URLSearchParams, res: ServerResponse): void {
    const client = this.deps.oauth.client(form.get('client_id') ?? '');
    const redirectUri = form.get('redirect_uri') ?? '';
    if (!client || !client.redirectUris.includes(redirectUri)) {
      errorPage(res, 'The client id or redirect URI is not registered for this integration.');
      return;
    }
    const state = form.get('state');
    if (form.get('decision') === 'allow') {
      redirect(res, redirectUri, { code: this.deps.oauth.issueCode(client.clientId, redirectUri), state });
    } else {
      redirect(res, redirectUri, {
        error: 'access_denied',
        error_description: 'The user denied access',
        state,
      });
    }
  }

  /**
   * The code grant reads its parameters from the form body. The refresh grant reads them from the query string
   * only and ignores the body, like the real server: refresh parameters sent only in the body count as missing.
   */
  private token(req: IncomingMessage, url: URL, body: string, res: ServerResponse): void {
    const oauth = this.deps.oauth;
    const client = oauth.authenticate(req.headers.authorization);
    if (!client) {
      sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      return;
    }
    const query = url.searchParams;
    const form = new URLSearchParams(body);
    let result: TokenSet | OAuthError;
    if (query.get('grant_type') === 'refresh_token') {
      result = oauth.refresh(client, query.get('refresh_token') ?? undefined);
    } else if (
      form.get('grant_type') === 'authorization_code' ||
      query.get('grant_type') === 'authorization_code'
    ) {
      result = oauth.exchangeCode(
        client,
        form.get('code') ?? query.get('code') ?? undefined,
        form.get('redirect_uri') ?? query.get('redirect_uri') ?? undefined,
      );
    } else if (query.get('grant_type') === null && form.get('grant_type') !== 'authorization_code') {
      result = { error: 'invalid_request', error_description: 'Missing grant_type parameter' };
    } else {
      result = { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' };
    }
    if ('error' in result) sendJson(res, 400, result);
    else sendJson(res, 200, result);
  }

  // ---- Control REST (cloud-control.ts) ----

  private control(
    req: IncomingMessage,
    method: string,
    path: string,
    body: string,
    res: ServerResponse,
  ): void {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.deps.oauth.isValidAccessToken(token)) {
      this.answer(() => sendJson(res, 401, INVALID_TOKEN_BODY));
      return;
    }
    this.controlApi.handle(method, path, body, res, sendJson);
  }
}

function redirect(res: ServerResponse, redirectUri: string, params: Record<string, string | null>): void {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== null) target.searchParams.set(key, value);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(302, { location: target.toString(), 'content-length': 0 });
  res.end();
}

function errorPage(res: ServerResponse, message: string): void {
  sendText(
    res,
    400,
    `<!doctype html><html><head><title>Sonos - Error</title></head><body><h1>Something went wrong</h1><p>${escapeHtml(message)}</p></body></html>`,
    'text/html; charset=utf-8',
  );
}

function consentPage(
  res: ServerResponse,
  clientId: string,
  redirectUri: string,
  state: string | null,
  scope: string,
): void {
  const hidden = (name: string, value: string | null) =>
    value === null ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sonos - Allow access</title></head>
<body>
<h1>Allow access to your Sonos system?</h1>
<p>The integration <strong>${escapeHtml(clientId)}</strong> wants to control playback and volume (${escapeHtml(scope)}).</p>
<form method="post" action="/login/v3/oauth/consent">
${hidden('client_id', clientId)}${hidden('redirect_uri', redirectUri)}${hidden('state', state)}${hidden('scope', scope)}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>`;
  sendText(res, 200, html, 'text/html; charset=utf-8');
}
