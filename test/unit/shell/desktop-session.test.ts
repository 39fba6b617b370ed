import { describe, expect, it } from 'vitest';
import { displayServer, enablePortalShortcuts, XWAYLAND_SWITCH } from '../../../main/shell/desktop-session';
import { app, resetElectronFake, sessionEnv } from '../../fakes/electron';

describe('desktop session', () => {
  it('Wayland when the session says so (Electron ≥ 38 defaults to native Wayland), unless started for XWayland', () => {
    expect(displayServer('linux', sessionEnv('linux-wayland'), ['/opt/t'])).toBe('wayland');
    expect(displayServer('linux', sessionEnv('linux-wayland'), ['/opt/t', XWAYLAND_SWITCH])).toBe('x11');
    expect(displayServer('linux', sessionEnv('linux-x11'), ['/opt/t'])).toBe('x11');
    expect(displayServer('linux', { WAYLAND_DISPLAY: 'wayland-1' }, ['/opt/t'])).toBe('wayland');
    expect(displayServer('linux', sessionEnv('linux-x11'), ['/opt/t', '--ozone-platform=wayland'])).toBe(
      'wayland',
    );
    expect(displayServer('darwin', sessionEnv('linux-wayland'), [])).toBeNull();
    expect(displayServer('win32', {}, [])).toBeNull();
  });

  it('adds the portal feature to the features already asked for, once', () => {
    resetElectronFake('linux-wayland');
    app.commandLine.appendSwitch('enable-features', 'WebRTCPipeWireCapturer');
    enablePortalShortcuts(app.commandLine);
    enablePortalShortcuts(app.commandLine);
    expect(app.commandLine.getSwitchValue('enable-features')).toBe(
      'WebRTCPipeWireCapturer,GlobalShortcutsPortal',
    );
  });
});
