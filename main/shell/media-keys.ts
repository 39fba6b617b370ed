/**
 * Everything that lets the keyboard's keys act on the hotkey group while the popover is closed: global shortcuts
 * (the volume accelerators everywhere, the media keys on macOS and Windows) and, on Linux, MPRIS — the desktop's own
 * media integration, through which GNOME and KDE hand over the media keys, the lock screen and their media controls.
 * MPRIS lives in the core (no Electron) and is loaded only on Linux.
 */
import type * as Electron from 'electron';
import type { Group, MEDIA_KEY_ROUTES, Settings } from '../contract/model';
import type { Controller } from '../core/controller';
import type { Logger } from '../core/logger';
import type { MprisOptions, MprisService } from '../core/mpris/mpris-service';
import { Hotkeys, type HotkeyAction } from './hotkeys';

export type MediaKeyRoute = (typeof MEDIA_KEY_ROUTES)[number];

export interface MediaKeysDeps {
  globalShortcut: Pick<Electron.GlobalShortcut, 'register' | 'unregisterAll'>;
  systemPreferences: Pick<Electron.SystemPreferences, 'isTrustedAccessibilityClient'>;
  platform: NodeJS.Platform;
  wayland: boolean;
  controller: Controller;
  /** The group the keys act on (shared with the tray and MPRIS). */
  target: () => Group | null;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** MPRIS Raise: show the popover. */
  raise: () => void;
  /** Something users see in Settings changed (routes, permission, the MPRIS name). */
  onChange: () => void;
  /** Test seam; the real one is imported only when first needed, and only on Linux. */
  startMpris?: (options: MprisOptions) => Promise<MprisService | null>;
}

export class MediaKeys {
  readonly hotkeys: Hotkeys;
  private mpris: MprisService | null = null;
  /** The MPRIS start or stop in progress; the next one waits for it. */
  private mprisWork: Promise<void> = Promise.resolve();
  private mprisWanted = false;
  private disposed = false;

  constructor(private readonly deps: MediaKeysDeps) {
    this.hotkeys = new Hotkeys(deps.globalShortcut, (action) => this.act(action), {
      platform: deps.platform,
      wayland: deps.wayland,
      // The method exists on macOS only (system-preferences.md).
      accessibilityTrusted: () =>
        deps.platform === 'darwin' ? deps.systemPreferences.isTrustedAccessibilityClient(false) : true,
    });
  }

  apply(settings: Settings): void {
    this.hotkeys.apply(settings);
    this.syncMpris(settings.mediaKeys && this.deps.platform === 'linux');
    this.deps.onChange();
  }

  route(settings: Settings): MediaKeyRoute {
    if (!settings.mediaKeys) return 'off';
    if (this.deps.platform === 'linux') return this.mpris ? 'mpris' : 'unavailable';
    if (this.hotkeys.needsPermission) return 'needs-permission';
    const media = this.hotkeys.status().filter((s) => ['playPause', 'next', 'previous'].includes(s.action));
    return media.some((s) => s.state === 'registered' || s.state === 'requested')
      ? 'shortcuts'
      : 'unavailable';
  }

  mprisName(): string | null {
    return this.mpris?.name ?? null;
  }

  /** The popover opened: a permission granted in System Settings meanwhile takes effect now. */
  recheck(settings: Settings): void {
    if (this.hotkeys.recheck(settings)) this.deps.onChange();
  }

  /** macOS: shows the OS prompt that leads to System Settings; registers at once if already allowed. */
  requestAccessibility(settings: Settings): void {
    if (this.deps.platform !== 'darwin') return;
    const trusted = this.deps.systemPreferences.isTrustedAccessibilityClient(true);
    if (trusted) this.recheck(settings);
  }

  /** Resolves once MPRIS has let go of its bus name. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.hotkeys.dispose();
    this.syncMpris(false);
    await this.mprisWork;
  }

  /** Resolves when MPRIS has been started or stopped as last asked (for tests). */
  settled(): Promise<void> {
    return this.mprisWork;
  }

  private syncMpris(wanted: boolean): void {
    if (wanted === this.mprisWanted) return;
    this.mprisWanted = wanted;
    this.mprisWork = this.mprisWork.then(async () => {
      if (wanted && !this.mpris && !this.disposed) {
        const start = this.deps.startMpris ?? (await import('../core/mpris/mpris-service')).startMpris;
        this.mpris = await start({
          controller: this.deps.controller,
          logger: this.deps.logger,
          env: this.deps.env,
          target: this.deps.target,
          raise: this.deps.raise,
        });
        // Turned off (or quitting) while it started.
        if (!this.mprisWanted && this.mpris) {
          await this.mpris.stop();
          this.mpris = null;
        }
        this.deps.onChange();
      } else if (!wanted && this.mpris) {
        const mpris = this.mpris;
        this.mpris = null;
        await mpris.stop();
        this.deps.onChange();
      }
    });
    this.mprisWork = this.mprisWork.catch((error: unknown) =>
      this.deps.logger.warn('mpris: could not be started or stopped', { error }),
    );
  }

  private act(action: HotkeyAction): void {
    const { controller, logger } = this.deps;
    const group = this.deps.target();
    if (!group) return;
    const step = controller.settings.hotkeyVolumeStep;
    const run =
      action === 'playPause'
        ? controller.playback(group.id, 'togglePlayPause')
        : action === 'next'
          ? controller.playback(group.id, 'skipToNextTrack')
          : action === 'previous'
            ? controller.playback(group.id, 'skipToPreviousTrack')
            : controller.adjustGroupVolume(group.id, action === 'volumeUp' ? step : -step);
    run.catch((error: unknown) => logger.info('hotkey action failed', { action, error }));
  }
}
