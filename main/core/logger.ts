/**
 * The one logger: leveled lines with fields, written to a sink (stderr in the CLI, a rotating file in the app).
 * It redacts before anything is written: fields whose names say secret (token, secret, authorization, code,
 * password, cookie) and every string registered with `addSecret` wherever it appears — a token echoed inside an
 * error message or a URL is caught too.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  time: string;
  level: LogLevel;
  message: string;
  fields?: Record<string, unknown>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Never write this value again, wherever it shows up. */
  addSecret(value: string | null | undefined): void;
  child(prefix: string): Logger;
}

/**
 * Field names whose values are never logged. Not `code`: error codes must stay readable; an OAuth code is
 * registered with `addSecret` the moment it arrives.
 */
const SECRET_KEY = /token|secret|authorization|password|cookie|api[-_]?key|credential/i;
const REDACTED = '[redacted]';
/** Query parameters that carry secrets in OAuth URLs. */
const SECRET_PARAM = /([?&#](?:code|access_token|refresh_token|client_secret|token)=)[^&#\s"']*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

export function createLogger(
  sink: (record: LogRecord) => void,
  options: { level?: LogLevel; now?: () => Date } = {},
): Logger {
  const secrets = new Set<string>();
  const min = LEVELS[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());

  const scrubText = (text: string): string => {
    let out = text.replace(SECRET_PARAM, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };

  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return scrubText(value);
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return scrubText(`${value.name}: ${value.message}`);
    if (Array.isArray(value)) return value.slice(0, 50).map((item) => scrub(item, depth + 1));
    // Keys may come from the network (a player's body): defined, never assigned, so `__proto__` stays a key.
    const out = Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : scrub(item, depth + 1),
      ]),
    );
    return out;
  };

  const make = (prefix: string): Logger => {
    const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS[level] < min) return;
      const record: LogRecord = { time: now().toISOString(), level, message: scrubText(prefix + message) };
      if (fields) record.fields = scrub(fields, 0) as Record<string, unknown>;
      try {
        sink(record);
      } catch {
        // A broken sink must never break the app.
      }
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      addSecret: (value) => {
        // Very short values would redact ordinary words; real tokens and secrets are long.
        if (value && value.length >= 8) secrets.add(value);
      },
      child: (next) => make(`${prefix}${next}: `),
    };
  };
  return make('');
}

export function formatRecord(record: LogRecord): string {
  const fields = record.fields ? ` ${JSON.stringify(record.fields)}` : '';
  return `${record.time} ${record.level.toUpperCase()} ${record.message}${fields}`;
}

/** A logger that drops everything, for tests and tools that don't care. */
export const silentLogger: Logger = createLogger(() => {}, { level: 'error' });
