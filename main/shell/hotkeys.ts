/**
 * Global hotkeys that work while the popover is closed: the media keys (play/pause, next, previous) and two
 * configurable volume accelerators. A shortcut another app holds fails to register; that is shown in Settings and
 * Diagnostics rather than silently ignored. On macOS media keys need the Accessibility permission.
 */
import type { Diagnostics, Settings } from '../contract/model';

export type HotkeyAction = 'playPause' | 'next' | 'previous' | 'volumeUp' | 'volumeDown';
export type HotkeyStatus = Diagnostics['hotkeys'][number];

export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

const MEDIA: [HotkeyAction, string][] = [
  ['playPause', 'MediaPlayPause'],
  ['next', 'MediaNextTrack'],
  ['previous', 'MediaPreviousTrack'],
];

export const ACCESSIBILITY_HINT =
  'macOS needs permission for media keys: System Settings → Privacy & Security → Accessibility → allow Tray for Sonos.';

export class Hotkeys {
  private registered: string[] = [];
  private current: HotkeyStatus[] = [];

  constructor(
    private readonly registry: ShortcutRegistry,
    private readonly run: (action: HotkeyAction) => void,
    private readonly platform: NodeJS.Platform,
    /** macOS: whether we are a trusted accessibility client (media keys are delivered only then). */
    private readonly accessibilityTrusted: () => boolean = () => true,
  ) {}

  /** (Re)registers everything for these settings and returns what worked. */
  apply(settings: Settings): HotkeyStatus[] {
    this.dispose();
    const wanted: [HotkeyAction, string][] = [...MEDIA];
    if (settings.hotkeys.volumeUp) wanted.push(['volumeUp', settings.hotkeys.volumeUp]);
    if (settings.hotkeys.volumeDown) wanted.push(['volumeDown', settings.hotkeys.volumeDown]);
    const mediaHint = this.platform === 'darwin' && !this.accessibilityTrusted() ? ACCESSIBILITY_HINT : null;
    this.current = wanted.map(([action, accelerator]) => {
      let registered = false;
      let problem: string | null = null;
      try {
        registered = this.registry.register(accelerator, () => this.run(action));
        if (!registered) problem = 'Another app is using this shortcut.';
      } catch (error) {
        problem = `Not a valid shortcut: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (registered) this.registered.push(accelerator);
      const isMedia = MEDIA.some(([a]) => a === action);
      if (registered && isMedia && mediaHint) problem = mediaHint;
      return { action, accelerator, registered, problem };
    });
    return this.status();
  }

  status(): HotkeyStatus[] {
    return this.current.map((s) => ({ ...s }));
  }

  dispose(): void {
    for (const accelerator of this.registered) this.registry.unregister(accelerator);
    this.registered = [];
  }
}
