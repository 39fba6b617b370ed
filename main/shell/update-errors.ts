/**
 * electron-updater's failures as errors the popover can show. Its messages carry the feed's address, the file's
 * URL and cache paths, and the popover never sees those: only our own sentence and a code (`ERR_…`, `HTTP_ERROR_…`,
 * `net::ERR_…`) cross, and the full error goes to the log.
 */
import type { AppErrorPayload } from '../contract/model';
import { AppError } from '../core/errors';

/** Codes electron-updater gives a feed that answered with something that is not update information. */
const INVALID_FEED = new Set([
  'ERR_UPDATER_INVALID_UPDATE_INFO',
  'ERR_UPDATER_INVALID_VERSION',
  'ERR_UPDATER_NO_FILES_PROVIDED',
  'ERR_UPDATER_NO_CHECKSUM',
  'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
  'ERR_UPDATER_LATEST_VERSION_NOT_FOUND',
  'ERR_UPDATER_INVALID_RELEASE_FEED',
]);

/** A code safe to show: letters, digits, `_`, `:` and `-` only, never an address or a path. */
export function updateErrorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code)) return code;
  const message = error instanceof Error ? error.message : String(error);
  // Electron's net reports Chromium errors by message alone (electron-userland/electron-builder#2405).
  return /\bnet::(ERR_[A-Z_]{1,60})\b/.exec(message)?.[0] ?? null;
}

export function describeUpdateError(error: unknown, during: 'check' | 'download'): AppErrorPayload {
  const code = updateErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const details = { technical: code };
  if (code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(message)) {
    return new AppError(
      'update-unverified',
      'The downloaded update did not match its sha512 checksum, so it was deleted and will not be installed.',
      { retryable: true, details: { technical: code ?? 'ERR_CHECKSUM_MISMATCH' } },
    ).toPayload();
  }
  if (code !== null && INVALID_FEED.has(code)) {
    return new AppError(
      'update-invalid',
      'The update server answered with something that is not update information.',
      { retryable: true, details },
    ).toPayload();
  }
  if (code?.startsWith('net::') || code?.startsWith('HTTP_ERROR_')) {
    return new AppError(
      'unreachable',
      during === 'check' ? 'Could not reach the update server.' : 'The update could not be downloaded.',
      { retryable: true, details },
    ).toPayload();
  }
  return new AppError(
    'unexpected',
    during === 'check' ? 'Checking for updates failed.' : 'Downloading the update failed.',
    { retryable: true, details },
  ).toPayload();
}
