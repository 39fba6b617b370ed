/**
 * Global hotkeys that work while the popover is closed: the media keys (play/pause, next, previous, unless the user
 * leaves them to other players) and two configurable volume accelerators. What did not work is reported (Settings
 * and Diagnostics show it) rather than silently ignored:
 * - a shortcut another app holds fails to register;
 * - macOS delivers media keys only to a trusted accessibility client, so without that permission they are not
 *   registered at all, and Settings offers to ask for it (registered as soon as it is granted);
 * - on Linux the desktop owns the media keys and hands them to players over MPRIS (main/core/mpris), so they are
 *   never grabbed here;
 * - on a Wayland desktop the portal answers later, if at all: a shortcut there is "requested", not "registered",
 *   and only `unregisterAll` withdraws it.
 */
import type { Diagnostics, Settings } from '../contract/model';

export type HotkeyAction = 'playPause' | 'next' | 'previous' | 'volumeUp' | 'volumeDown';
export type HotkeyStatus = Diagnostics['hotkeys'][number];

export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregisterAll(): void;
}

export interface HotkeyPlatform {
  platform: NodeJS.Platform;
  /** A native Wayland session: shortcuts go through the desktop's GlobalShortcuts portal. */
  wayland?: boolean;
  /** macOS: whether we are a trusted accessibility client now (never prompts). */
  accessibilityTrusted?: () => boolean;
}

const MEDIA: [HotkeyAction, string][] = [
  ['playPause', 'MediaPlayPause'],
  ['next', 'MediaNextTrack'],
  ['previous', 'MediaPreviousTrack'],
];

export const ACCESSIBILITY_HINT =
  'Allow Tray for Sonos in System Settings → Privacy & Security → Accessibility.';

export class Hotkeys {
  private current: HotkeyStatus[] = [];
  private mediaBlocked = false;

  constructor(
    private readonly registry: ShortcutRegistry,
    private readonly run: (action: HotkeyAction) => void,
    private readonly where: HotkeyPlatform,
  ) {}

  /** Whether this platform's media keys come through global shortcuts (Linux: through MPRIS instead). */
  get mediaKeysAsShortcuts(): boolean {
    return this.where.platform !== 'linux';
  }

  /** (Re)registers everything for these settings and returns what worked. */
  apply(settings: Settings): HotkeyStatus[] {
    this.dispose();
    const media = settings.mediaKeys && this.mediaKeysAsShortcuts;
    // Asked without prompting: the prompt is the user's choice, from Settings.
    this.mediaBlocked =
      media && this.where.platform === 'darwin' && !(this.where.accessibilityTrusted?.() ?? false);
    const statuses: HotkeyStatus[] = [];
    const wanted: [HotkeyAction, string][] = [];
    for (const [action, accelerator] of media ? MEDIA : []) {
      if (this.mediaBlocked) {
        statuses.push({
          action,
          accelerator,
          registered: false,
          state: 'needs-permission',
          problem: ACCESSIBILITY_HINT,
        });
      } else {
        wanted.push([action, accelerator]);
      }
    }
    if (settings.hotkeys.volumeUp) wanted.push(['volumeUp', settings.hotkeys.volumeUp]);
    if (settings.hotkeys.volumeDown) wanted.push(['volumeDown', settings.hotkeys.volumeDown]);
    for (const [action, accelerator] of wanted) statuses.push(this.register(action, accelerator));
    // Media keys first, as Settings lists them.
    const order = (s: HotkeyStatus): number =>
      ['playPause', 'next', 'previous', 'volumeUp', 'volumeDown'].indexOf(s.action);
    this.current = statuses.sort((a, b) => order(a) - order(b));
    return this.status();
  }

  /**
   * macOS: media keys were left out for want of the Accessibility permission and it has been granted since (asked
   * when the popover opens and after the user asked for it). Returns whether anything changed.
   */
  recheck(settings: Settings): boolean {
    if (!this.mediaBlocked || !(this.where.accessibilityTrusted?.() ?? false)) return false;
    this.apply(settings);
    return true;
  }

  /** Media keys are wanted but wait for the macOS Accessibility permission. */
  get needsPermission(): boolean {
    return this.mediaBlocked;
  }

  status(): HotkeyStatus[] {
    return this.current.map((s) => ({ ...s }));
  }

  /** Everything goes at once: a Wayland portal binding cannot be withdrawn one by one (only unregisterAll). */
  dispose(): void {
    this.registry.unregisterAll();
  }

  private register(action: HotkeyAction, accelerator: string): HotkeyStatus {
    try {
      if (!this.registry.register(accelerator, () => this.run(action))) {
        return {
          action,
          accelerator,
          registered: false,
          state: 'failed',
          problem: this.where.wayland
            ? 'Your desktop did not accept global shortcuts.'
            : 'Another app is using this shortcut.',
        };
      }
    } catch (error) {
      return {
        action,
        accelerator,
        registered: false,
        state: 'failed',
        problem: `Not a valid shortcut: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    // The portal says yes to the request at once, whatever the desktop (or the user, in its dialog) decides.
    return this.where.wayland
      ? { action, accelerator, registered: false, state: 'requested', problem: null }
      : { action, accelerator, registered: true, state: 'registered', problem: null };
  }
}
