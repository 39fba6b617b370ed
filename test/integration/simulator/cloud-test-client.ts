/** Plain fetch helpers for the simulated Sonos cloud (HTTP on 127.0.0.1; redirects are never followed). */
import { expect } from 'vitest';
import { DEFAULT_CLIENT, type Simulator } from '../../simulator';

export const REDIRECT_URI = DEFAULT_CLIENT.redirectUris[0] ?? '';

export function basicAuth(id = DEFAULT_CLIENT.clientId, secret = DEFAULT_CLIENT.clientSecret): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function authorizeUrl(sim: Simulator, overrides: Record<string, string | null> = {}): string {
  const url = new URL('/login/v3/oauth', sim.info.cloud.authBase);
  const params: Record<string, string | null> = {
    client_id: DEFAULT_CLIENT.clientId,
    response_type: 'code',
    state: 'state-123',
    scope: 'playback-control-all',
    redirect_uri: REDIRECT_URI,
    ...overrides,
  };
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url.toString();
}

/** The query of the URL a 302 sends the browser to. */
export function redirectParams(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect (status ${response.status})`);
  expect(location.startsWith(REDIRECT_URI)).toBe(true);
  return new URL(location).searchParams;
}

export async function tokenRequest(
  sim: Simulator,
  options: { query?: Record<string, string>; form?: Record<string, string>; authorization?: string | null },
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const url = new URL('/login/v3/oauth/access', sim.info.cloud.authBase);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.authorization !== null) headers['authorization'] = options.authorization ?? basicAuth();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(options.form ?? {}).toString(),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: response.status, body, text };
}

/** Runs the 'auto' authorize flow and the code grant; returns the token answer. */
export async function signIn(sim: Simulator): Promise<{ access_token: string; refresh_token: string }> {
  sim.control.setOAuthMode('auto');
  const response = await fetch(authorizeUrl(sim), { redirect: 'manual' });
  const code = redirectParams(response).get('code') ?? '';
  const { status, body } = await tokenRequest(sim, {
    form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
  });
  if (status !== 200) throw new Error(`sign-in failed: ${status}`);
  return body as { access_token: string; refresh_token: string };
}

export async function api(
  sim: Simulator,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; text: string; type: string | null }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${sim.info.cloud.apiBase}${path}`, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, type: response.headers.get('content-type') };
}
