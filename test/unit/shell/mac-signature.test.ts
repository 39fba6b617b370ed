import { describe, expect, it } from 'vitest';
import { bundleOf, macSigned, parseCodesign, type ExecFile } from '../../../main/shell/mac-signature';

// What `codesign -dv --verbose=2` prints (on stderr) for the three cases, trimmed.
const DEVELOPER_ID = `Executable=/Applications/Tray for Sonos.app/Contents/MacOS/Tray for Sonos
Identifier=io.github.trayforsonos.app
Format=app bundle with Mach-O thin (arm64)
CodeDirectory v=20500 size=1234 flags=0x10000(runtime) hashes=27+7 location=embedded
Signature size=9000
Authority=Developer ID Application: Example Maker (ABCDE12345)
Authority=Developer ID Certification Authority
Authority=Apple Root CA
Timestamp=1 Jan 2026 at 10:00:00
TeamIdentifier=ABCDE12345
Runtime Version=14.0.0`;
const AD_HOC = `Executable=/Applications/Tray for Sonos.app/Contents/MacOS/Tray for Sonos
Identifier=io.github.trayforsonos.app
CodeDirectory v=20400 size=1234 flags=0x20002(adhoc,linker-signed) hashes=27+0 location=embedded
Signature=adhoc
TeamIdentifier=not set`;
const UNSIGNED = '/Applications/Tray for Sonos.app: code object is not signed at all';

function exec(stderr: string, fails = false): ExecFile & { args: string[][] } {
  const run = ((file, args, done) => {
    run.args.push([file, ...args]);
    done(fails ? new Error('codesign exited with 1') : null, '', stderr);
  }) as ExecFile & { args: string[][] };
  run.args = [];
  return run;
}

describe('macOS signature (Squirrel.Mac updates only signed apps)', () => {
  it('a Developer ID signature counts; ad-hoc and unsigned do not', () => {
    expect(parseCodesign(DEVELOPER_ID)).toBe(true);
    expect(parseCodesign(AD_HOC)).toBe(false);
    expect(parseCodesign(UNSIGNED)).toBe(false);
  });

  it('asks codesign about the .app bundle around the executable', async () => {
    const run = exec(DEVELOPER_ID);
    const executable = '/Applications/Tray for Sonos.app/Contents/MacOS/Tray for Sonos';
    expect(bundleOf(executable)).toBe('/Applications/Tray for Sonos.app');
    await expect(macSigned(executable, run)).resolves.toBe(true);
    expect(run.args).toEqual([
      ['/usr/bin/codesign', '-dv', '--verbose=2', '/Applications/Tray for Sonos.app'],
    ]);
    await expect(macSigned(executable, exec(UNSIGNED, true))).resolves.toBe(false);
    await expect(macSigned(executable, exec(AD_HOC))).resolves.toBe(false);
  });
});
