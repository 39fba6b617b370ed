/**
 * Errors as a terminal user can act on them. The core writes its messages for the app (“…in Settings”, “…in
 * Diagnostics”); a few of them name places the CLI does not have, so the CLI says its own way to do the same:
 * environment variables, `login`, the data folder's file.
 */
import type { AppErrorPayload } from '../contract/model';
import { shorten } from '../contract/host';

export interface TerminalContext {
  /** The settings file, where pinned certificates live; null before it was opened. */
  storePath: string | null;
}

/** Node's parseArgs errors, in our words: an unknown option is named, and `--` is not suggested. */
export function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /option '([^']*)'/i.exec(message)?.[1] ?? message;
    return `unknown option “${shorten(option, 40)}” (see --help)`;
  }
  return shorten(message, 300);
}

export function forTheTerminal(error: AppErrorPayload, context: TerminalContext): AppErrorPayload {
  const message = terminalMessage(error, context);
  return message === error.message ? error : { ...error, message };
}

function terminalMessage(error: AppErrorPayload, context: TerminalContext): string {
  if (error.details?.code === 'access_denied') {
    return 'Access was denied on the Sonos sign-in page, so you are not signed in. Run `tray-for-sonos login` again to allow it.';
  }
  if (error.details?.code === 'invalid_client') {
    return 'Sonos did not accept your integration’s key or secret. Check TFS_CLIENT_ID and TFS_CLIENT_SECRET, then run `tray-for-sonos login` again.';
  }
  if (error.code === 'untrusted-certificate' && /Diagnostics/.test(error.message)) {
    const warning = error.message.replace(/\s*[^.—]*Diagnostics[^.]*\.?$/, '');
    const where = context.storePath ? ` in ${context.storePath}` : '';
    return `${warning} If you did, remove the speaker’s entry under "pins"${where} and run the command again.`;
  }
  if (error.details?.code === 'ERROR_NO_PERMISSION') {
    return 'This household does not allow local control. Sign in with `tray-for-sonos login --insecure-storage` and add --cloud to control it through your Sonos account.';
  }
  return error.message.replace(/\s*[^.]*\bin Settings\b[^.]*\./, '').trim() || error.message;
}
