/**
 * The one way the core makes HTTP requests (token endpoint, Sonos Control REST): a function value, so the OAuth
 * and cloud clients can be driven by a fake in unit tests and by undici against the simulator. It never follows
 * redirects, caps how much it reads, and reports failures as `RequestFailure` with a kind the callers map to
 * messages people can act on.
 */
import { request, type Dispatcher } from 'undici';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

export type HttpRequester = (request: HttpRequest) => Promise<HttpResponse>;

export type FailureKind = 'timeout' | 'network' | 'too-large';

/** The request got no complete answer. `technical` is for a Details view and never holds a URL's query. */
export class RequestFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly technical: string,
  ) {
    super(`${kind}: ${technical}`);
    this.name = 'RequestFailure';
  }
}

export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Status, content type and size of an answer: what a log or a Details view may say about it, never its body. */
export function describeResponse(response: HttpResponse): string {
  const type = response.headers['content-type']?.split(';')[0]?.trim() || 'no content type';
  const size = Buffer.byteLength(response.text, 'utf8');
  return `HTTP ${response.status} (${type}, ${size === 0 ? 'empty body' : `${size} bytes`})`;
}

function errorCode(error: unknown): string {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : '';
}

export function toRequestFailure(error: unknown): RequestFailure {
  if (error instanceof RequestFailure) return error;
  const name = error instanceof Error ? error.name : '';
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const technical = [name, code, message].filter(Boolean).join(' ').slice(0, 300);
  const timedOut =
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT';
  return new RequestFailure(timedOut ? 'timeout' : 'network', technical);
}

export function createUndiciRequester(
  options: { dispatcher?: Dispatcher; maxBytes?: number } = {},
): HttpRequester {
  const maxBytes = options.maxBytes ?? MAX_RESPONSE_BYTES;
  return async (req) => {
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal: AbortSignal.timeout(req.timeoutMs),
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        size += buffer.length;
        if (size > maxBytes) {
          response.body.destroy();
          throw new RequestFailure('too-large', `response larger than ${maxBytes} bytes`);
        }
        chunks.push(buffer);
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.statusCode, headers, text: Buffer.concat(chunks).toString('utf8') };
    } catch (error) {
      throw toRequestFailure(error);
    }
  };
}
