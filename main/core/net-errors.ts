import { AppError } from './errors';

/** A socket or DNS failure as something a person can act on, keeping the errno as a technical detail. */
export function toNetworkError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const technical = `${code} ${message}`.trim();
  // Something answered, but not with TLS: a web server, a printer, a router's admin page. Sonos players speak
  // HTTPS on 1443, so this is the wrong device (or port), not a speaker that is away.
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return new AppError('unexpected', 'The device at that address does not look like a Sonos speaker.', {
      details: { technical },
    });
  }
  if (code === 'ECONNREFUSED') {
    return new AppError('unreachable', 'The speaker refused the connection. Is it switched on?', {
      retryable: true,
      details: { technical },
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AppError('unreachable', 'That speaker address could not be found.', {
      retryable: true,
      details: { technical },
    });
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) {
    return new AppError('timeout', 'The speaker did not answer.', {
      retryable: true,
      details: { technical },
    });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new AppError('unreachable', 'That speaker’s network cannot be reached from this computer.', {
      retryable: true,
      details: { technical },
    });
  }
  return new AppError('unreachable', 'Could not reach the speaker.', {
    retryable: true,
    details: { technical },
  });
}
