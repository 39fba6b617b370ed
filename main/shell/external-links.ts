/**
 * The one place the app opens the system browser: the Sonos sign-in page and links from error details. Only
 * https (and http to this computer, for a sign-in server overridden to loopback in tests) — never file:, custom
 * schemes or anything a page could smuggle in.
 */
import { AppError } from '../core/errors';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/i;

export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname));
  } catch {
    return false;
  }
}

export async function openExternalSafely(
  shell: { openExternal(url: string): Promise<void> },
  url: string,
): Promise<void> {
  if (!isSafeExternalUrl(url)) {
    throw new AppError('invalid-request', 'That link cannot be opened.', {
      details: { technical: url.slice(0, 200) },
    });
  }
  await shell.openExternal(url);
}
