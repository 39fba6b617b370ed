/**
 * Reads what the browser brought back: `io.github.trayforsonos://oauth/callback?…` from the custom scheme (or a
 * second instance's argv), the https address the user pasted, or just its query. Only the OAuth parameters are
 * kept. Anything else is a typed error value, never an exception: this is the boundary for untrusted input.
 */
import { AppError } from '../errors';

export const CALLBACK_SCHEME = 'io.github.trayforsonos';
export const CALLBACK_URL = `${CALLBACK_SCHEME}://oauth/callback`;

export interface CallbackParams {
  state: string | null;
  code: string | null;
  error: string | null;
  errorDescription: string | null;
  errorUri: string | null;
}

export type CallbackParse = { ok: true; params: CallbackParams } | { ok: false; error: AppError };

const MAX_INPUT = 8192;
const LIMITS = { state: 512, code: 2048, error: 256, error_description: 2048, error_uri: 2048 } as const;

function notACallback(technical: string): CallbackParse {
  return {
    ok: false,
    error: new AppError(
      'invalid-request',
      'That address has no sign-in result in it. Copy the whole address from your browser’s address bar after allowing access, and paste it here.',
      { details: { technical } },
    ),
  };
}

/** The query (or, failing that, the fragment) of whatever was handed to us. */
function paramsOf(input: string): URLSearchParams | null {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    const scheme = url.protocol.slice(0, -1).toLowerCase();
    if (scheme === CALLBACK_SCHEME) {
      // io.github.trayforsonos://oauth/callback — host "oauth", path "/callback".
      if (url.host.toLowerCase() !== 'oauth' || url.pathname.replace(/\/+$/, '') !== '/callback') return null;
    } else if (scheme !== 'https' && scheme !== 'http') {
      return null;
    }
    const query = new URLSearchParams(url.search);
    if (query.has('state') || query.has('code') || query.has('error')) return query;
    return new URLSearchParams(url.hash.replace(/^#/, ''));
  }
  // A bare query: `?code=…&state=…` or `code=…&state=…`.
  if (/^[?#]?[\w.~-]+=/.test(text)) return new URLSearchParams(text.replace(/^[?#]/, ''));
  return null;
}

export function parseCallback(input: unknown): CallbackParse {
  if (typeof input !== 'string' || input.trim() === '') return notACallback('empty input');
  if (input.length > MAX_INPUT) return notACallback(`input of ${input.length} characters`);
  const params = paramsOf(input);
  if (!params) return notACallback('not a callback address');
  const problems: string[] = [];
  const read = (name: keyof typeof LIMITS): string | null => {
    const values = params.getAll(name);
    if (values.length === 0) return null;
    // An empty value says nothing (`code=` is no code): never exchange or show it.
    if (values.length === 1 && values[0]!.trim() === '') return null;
    // A repeated parameter is ambiguous: refuse rather than guess which one the server meant.
    if (values.length > 1 || values[0]!.length > LIMITS[name]) {
      problems.push(`parameter ${name} repeated or too long`);
      return null;
    }
    return values[0]!;
  };
  const result: CallbackParams = {
    state: read('state'),
    code: read('code'),
    error: read('error'),
    errorDescription: read('error_description'),
    errorUri: read('error_uri'),
  };
  if (problems.length > 0) return notACallback(problems.join('; '));
  if (result.state === null && result.code === null && result.error === null)
    return notACallback('no state, code or error parameter');
  return { ok: true, params: result };
}

/** The callback URL among a second instance's command-line arguments (Windows and Linux deliver it this way). */
export function findCallbackUrl(argv: readonly string[]): string | null {
  const prefix = `${CALLBACK_SCHEME}:`;
  for (const raw of argv) {
    // Windows may hand the URL over in quotes.
    const arg = raw.replace(/^"+|"+$/g, '');
    if (arg.toLowerCase().startsWith(prefix)) return arg;
  }
  return null;
}
