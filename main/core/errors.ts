import type { AppErrorPayload, ErrorCode, ErrorDetails } from '../contract/model';

interface AppErrorOptions {
  retryable?: boolean;
  details?: Partial<ErrorDetails>;
  cause?: unknown;
  /**
   * The request left and no answer came (a timeout, or the connection dropped while waiting): the speaker may
   * have acted on it. A command that is not safe to repeat (skip, relative volume) is then not sent again.
   */
  maybeDelivered?: boolean;
}

/**
 * A failure the UI can show: `message` is written for people, `details` holds the technical facts for a Details
 * disclosure. Core code throws these; the IPC router turns them into `AppErrorPayload` values.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: ErrorDetails | null;
  readonly maybeDelivered: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.maybeDelivered = options.maybeDelivered ?? false;
    this.details = options.details
      ? {
          code: options.details.code ?? null,
          description: options.details.description ?? null,
          uri: options.details.uri ?? null,
          technical: options.details.technical ?? null,
        }
      : null;
  }

  toPayload(): AppErrorPayload {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }
}

/** Any thrown value as a payload; unknown errors become `internal` with their text kept as a technical detail. */
export function toErrorPayload(error: unknown): AppErrorPayload {
  if (error instanceof AppError) return error.toPayload();
  const technical = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    code: 'internal',
    message: 'Something went wrong inside Tray for Sonos.',
    retryable: true,
    details: { code: null, description: null, uri: null, technical: technical.slice(0, 4096) },
  };
}
