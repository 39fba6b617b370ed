import { describe, expect, it } from 'vitest';
import { describeUpdateError, updateErrorCode } from '../../../main/shell/update-errors';

/** electron-updater's errors carry a `code` from builder-util-runtime's `newError`. */
function updaterError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('update errors as the popover sees them', () => {
  it('a checksum mismatch is refused as unverified', () => {
    const error = updaterError('sha512 checksum mismatch, expected abc, got def', 'ERR_CHECKSUM_MISMATCH');
    expect(describeUpdateError(error, 'download')).toMatchObject({
      code: 'update-unverified',
      details: { technical: 'ERR_CHECKSUM_MISMATCH' },
    });
  });

  it("Electron's net errors have no code; the net::ERR_ name is read from the message", () => {
    const error = new Error('net::ERR_CONNECTION_REFUSED');
    expect(updateErrorCode(error)).toBe('net::ERR_CONNECTION_REFUSED');
    expect(describeUpdateError(error, 'check')).toMatchObject({
      code: 'unreachable',
      message: 'Could not reach the update server.',
    });
  });

  it('a feed that is not update information is invalid', () => {
    const error = updaterError(
      'Cannot parse update info from latest-linux.yml in the latest release artifacts (https://example.org/latest-linux.yml)',
      'ERR_UPDATER_INVALID_UPDATE_INFO',
    );
    expect(describeUpdateError(error, 'check').code).toBe('update-invalid');
  });

  it('never passes on an address or a path, only a code', () => {
    const leaks = [
      updaterError('Cannot download "https://127.0.0.1:1/x.AppImage", status 500', 'HTTP_ERROR_500'),
      updaterError('ENOENT: no such file, open /home/me/.cache/tray/app-update.yml', 'ENOENT'),
      new Error('weird failure at /tmp/evil path'),
      updaterError('x', 'not a safe code: https://example.org'),
    ];
    for (const error of leaks) {
      const text = JSON.stringify(describeUpdateError(error, 'check'));
      expect(text).not.toMatch(/https?:|\/tmp|\/home|example\.org|127\.0\.0\.1/);
    }
    expect(describeUpdateError(leaks[0]!, 'download')).toMatchObject({
      code: 'unreachable',
      details: { technical: 'HTTP_ERROR_500' },
    });
    expect(describeUpdateError(leaks[2]!, 'check')).toMatchObject({
      code: 'unexpected',
      details: { technical: null },
    });
  });
});
