/**
 * An AppImage installs nothing, so the desktop has no entry saying which program opens
 * `io.github.trayforsonos://` sign-in addresses, and Electron cannot make the app their handler: on Linux it names
 * the `.desktop` file called `desktopName` (package.json), which must exist (SetDefaultWebClient in Electron's
 * shell/browser/browser_linux.cc). So on each start an AppImage writes that entry into the user's applications
 * folder — pointing at the AppImage file itself, with the scheme's MimeType — before the scheme is registered.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CALLBACK_SCHEME } from '../core/account/callback';
import { XWAYLAND_SWITCH } from './desktop-session';
import { execQuote } from './login-item';

/** package.json `desktopName`, the deb's installed entry and Electron's Linux app id (see electron-builder.yml). */
export const DESKTOP_FILE = 'io.github.trayforsonos.desktop';

export function applicationsDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local/share'), 'applications');
}

export function appImageDesktopEntry(appImage: string, options: { xwayland?: boolean } = {}): string {
  const args = [...(options.xwayland ? [XWAYLAND_SWITCH] : []), '%U'];
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tray for Sonos',
    'Comment=Control your Sonos speakers from the system tray',
    `Exec=${execQuote(appImage)} ${args.join(' ')}`,
    'Terminal=false',
    'Categories=AudioVideo;',
    `MimeType=x-scheme-handler/${CALLBACK_SCHEME};`,
    `StartupWMClass=${DESKTOP_FILE.replace(/\.desktop$/, '')}`,
    '',
  ].join('\n');
}

/**
 * Writes (or brings up to date: the AppImage may have moved) the entry when running from an AppImage; returns
 * whether the file was written. Throws what the file system says; the caller logs it.
 */
export function ensureAppImageEntry(env: NodeJS.ProcessEnv, options: { xwayland?: boolean } = {}): boolean {
  const appImage = env.APPIMAGE;
  if (!appImage) return false;
  const path = join(applicationsDir(env), DESKTOP_FILE);
  const wanted = appImageDesktopEntry(appImage, options);
  if (existsSync(path) && readFileSync(path, 'utf8') === wanted) return false;
  mkdirSync(applicationsDir(env), { recursive: true });
  writeFileSync(path, wanted, { mode: 0o644 });
  return true;
}
