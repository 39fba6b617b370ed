/** An `HttpRequester` that answers from a script and records what it was asked, for unit tests. */
import type { HttpRequest, HttpRequester, HttpResponse } from '../../main/core/http-requester';

export type Answer =
  HttpResponse | Error | ((request: HttpRequest) => HttpResponse | Error | Promise<HttpResponse | Error>);

export interface FakeRequester {
  requester: HttpRequester;
  requests: HttpRequest[];
  /** Answers in order; the last one repeats. */
  answer(...answers: Answer[]): void;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    text: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

export function text(status: number, body: string, type = 'text/html'): HttpResponse {
  return { status, headers: { 'content-type': type }, text: body };
}

export function fakeRequester(): FakeRequester {
  let queue: Answer[] = [];
  const requests: HttpRequest[] = [];
  return {
    requests,
    answer(...answers) {
      queue = answers;
    },
    async requester(request) {
      requests.push(request);
      const next = queue.length > 1 ? queue.shift()! : queue[0];
      if (next === undefined) throw new Error('no answer scripted');
      const value = typeof next === 'function' ? await next(request) : next;
      if (value instanceof Error) throw value;
      return value;
    },
  };
}
