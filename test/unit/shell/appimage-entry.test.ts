import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appImageDesktopEntry, DESKTOP_FILE, ensureAppImageEntry } from '../../../main/shell/appimage-entry';

describe('AppImage desktop entry', () => {
  it('is written only for an AppImage, names the scheme, points at the AppImage file, and is kept current', () => {
    const data = mkdtempSync(join(tmpdir(), 'tfs-data-home-'));
    expect(ensureAppImageEntry({ XDG_DATA_HOME: data })).toBe(false);
    const env = { XDG_DATA_HOME: data, APPIMAGE: '/home/me/Apps/Tray for Sonos.AppImage' };
    expect(ensureAppImageEntry(env)).toBe(true);
    const path = join(data, 'applications', DESKTOP_FILE);
    const entry = readFileSync(path, 'utf8');
    expect(entry).toBe(appImageDesktopEntry(env.APPIMAGE));
    expect(entry).toContain('MimeType=x-scheme-handler/io.github.trayforsonos;\n');
    expect(entry).toContain('Exec="/home/me/Apps/Tray for Sonos.AppImage" %U\n');
    expect(entry).toContain('StartupWMClass=io.github.trayforsonos\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(ensureAppImageEntry(env)).toBe(false);
    // Moved, or started for XWayland: rewritten.
    expect(ensureAppImageEntry({ ...env, APPIMAGE: '/opt/Tray.AppImage' })).toBe(true);
    expect(ensureAppImageEntry({ ...env, APPIMAGE: '/opt/Tray.AppImage' }, { xwayland: true })).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('Exec="/opt/Tray.AppImage" --ozone-platform=x11 %U\n');
  });
});
