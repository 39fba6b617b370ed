/**
 * Whether this macOS app carries a Developer ID signature. Squirrel.Mac, which installs updates on macOS, accepts
 * only signed apps ("Your application must be signed for automatic updates on macOS", Electron's autoUpdater
 * docs), and an ad-hoc signature (what electron-builder applies on Apple silicon without a certificate) does not
 * count: it has no team to match the update against. `codesign -dv` prints the signature's facts on stderr.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export type ExecFile = (
  file: string,
  args: string[],
  done: (error: Error | null, stdout: string, stderr: string) => void,
) => void;

/** `…/Tray for Sonos.app/Contents/MacOS/Tray for Sonos` → `…/Tray for Sonos.app`. */
export function bundleOf(executablePath: string): string {
  return join(executablePath, '..', '..', '..');
}

/** True only for a signature with a team identifier (Developer ID); false for unsigned, ad-hoc or unreadable. */
export function parseCodesign(output: string): boolean {
  if (/Signature=adhoc/.test(output)) return false;
  const team = /^TeamIdentifier=(.+)$/m.exec(output)?.[1]?.trim();
  return Boolean(team) && team !== 'not set';
}

export function macSigned(
  executablePath: string,
  run: ExecFile = (file, args, done) =>
    void execFile(file, args, { timeout: 10_000 }, (error, stdout, stderr) =>
      done(error, String(stdout), String(stderr)),
    ),
): Promise<boolean> {
  return new Promise((resolve) => {
    run('/usr/bin/codesign', ['-dv', '--verbose=2', bundleOf(executablePath)], (error, stdout, stderr) => {
      resolve(!error && parseCodesign(`${stdout}\n${stderr}`));
    });
  });
}
