/**
 * The tray icon: the right image per OS, a tooltip with what plays, a left click that toggles the popover and a
 * context menu (Open, Play/Pause, Settings, Sign in/out, Launch at login, Diagnostics, Quit). Linux tray hosts
 * (AppIndicator) often deliver no clicks, only the menu, so there the menu is always attached.
 */
import { join } from 'node:path';
import type { Group, HouseholdSnapshot, View } from '../contract/model';
import type { Rect } from './popover-position';

export interface TrayLike {
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  popUpContextMenu(menu?: unknown): void;
  getBounds(): Rect;
  on(event: 'click' | 'right-click' | 'double-click', listener: () => void): unknown;
  destroy(): void;
}

export interface MenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export interface TrayDeps {
  createTray(iconPath: string): TrayLike;
  buildMenu(template: MenuItem[]): unknown;
  platform: NodeJS.Platform;
  resourcesDir: string;
}

export interface TrayMenuState {
  /** null when there is no group to play or pause. */
  playing: boolean | null;
  account: 'unavailable' | 'signedOut' | 'signedIn';
  launchAtLogin: boolean;
  /** A downloaded, verified update waiting for a restart (its version when known). */
  update?: { version: string | null } | null;
}

export interface TrayActions {
  togglePopover(bounds: Rect): void;
  open(view: View): void;
  playPause(): void;
  signIn(): void;
  signOut(): void;
  setLaunchAtLogin(enabled: boolean): void;
  quit(): void;
  installUpdate?(): void;
}

/** The tray image for this OS: a template image on macOS (tinted by the menu bar), an ICO on Windows. */
export function trayIconPath(resourcesDir: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return join(resourcesDir, 'trayTemplate.png');
  if (platform === 'win32') return join(resourcesDir, 'tray.ico');
  return join(resourcesDir, 'tray.png');
}

/**
 * "Living Room + 1 — Song · Artist" for the group the tray's Play/Pause and the hotkeys act on, so the tooltip
 * names what a click would change. Windows cuts tooltips at 127 characters.
 */
export function tooltipText(snapshot: HouseholdSnapshot, group: Group | null): string {
  let text: string;
  if (!group) {
    text =
      snapshot.discovery === 'searching'
        ? 'Tray for Sonos — looking for speakers…'
        : 'Tray for Sonos — no speakers found';
  } else {
    const now = group.nowPlaying;
    const what = now ? [now.title ?? now.container, now.artist].filter(Boolean).join(' · ') : '';
    const playing = group.playback === 'playing' || group.playback === 'buffering';
    const state = playing ? what : [what, 'paused'].filter(Boolean).join(' — ');
    text = state ? `${group.name} — ${state}` : group.name;
  }
  return text.length > 127 ? `${text.slice(0, 126)}…` : text;
}

/** "Update to 0.2.0 — Restart": what the tray menu and Settings offer once an update is downloaded. */
export function updateLabel(version: string | null): string {
  return version ? `Update to ${version} — Restart` : 'Update and Restart';
}

export function trayMenu(state: TrayMenuState, actions: TrayActions): MenuItem[] {
  const items: MenuItem[] = [
    { label: 'Open Tray for Sonos', click: () => actions.open('main') },
    {
      label: state.playing ? 'Pause' : 'Play',
      enabled: state.playing !== null,
      click: () => actions.playPause(),
    },
    { type: 'separator' },
    { label: 'Settings…', click: () => actions.open('settings') },
  ];
  if (state.account === 'signedIn')
    items.push({ label: 'Sign out of Sonos', click: () => actions.signOut() });
  else if (state.account === 'signedOut')
    items.push({ label: 'Sign in to Sonos…', click: () => actions.signIn() });
  items.push(
    {
      label: 'Launch at login',
      type: 'checkbox',
      checked: state.launchAtLogin,
      click: () => actions.setLaunchAtLogin(!state.launchAtLogin),
    },
    { label: 'Diagnostics…', click: () => actions.open('diagnostics') },
    { type: 'separator' },
    { label: 'Quit Tray for Sonos', click: () => actions.quit() },
  );
  if (state.update) {
    items.unshift(
      { label: updateLabel(state.update.version), click: () => actions.installUpdate?.() },
      { type: 'separator' },
    );
  }
  return items;
}

export class AppTray {
  private readonly tray: TrayLike;
  private menu: unknown = null;
  private lastTooltip = '';
  private lastMenu = '';

  constructor(
    private readonly deps: TrayDeps,
    private readonly actions: TrayActions,
  ) {
    this.tray = deps.createTray(trayIconPath(deps.resourcesDir, deps.platform));
    this.tray.on('click', () => actions.togglePopover(this.tray.getBounds()));
    // macOS and Windows report a quick second click as `double-click` instead of `click` (tray.md): the user
    // clicked twice, so the popover toggles twice — open and closed again, as each click alone would.
    this.tray.on('double-click', () => actions.togglePopover(this.tray.getBounds()));
    this.tray.on('right-click', () => {
      if (this.menu) this.tray.popUpContextMenu(this.menu);
    });
  }

  /** Called on every household change: the tooltip follows, the menu is rebuilt only when what it shows changed. */
  update(snapshot: HouseholdSnapshot, target: Group | null, state: TrayMenuState): void {
    const tooltip = tooltipText(snapshot, target);
    if (tooltip !== this.lastTooltip) {
      this.tray.setToolTip(tooltip);
      this.lastTooltip = tooltip;
    }
    const key = JSON.stringify(state);
    if (key === this.lastMenu) return;
    this.lastMenu = key;
    this.menu = this.deps.buildMenu(trayMenu(state, this.actions));
    // On macOS and Windows an attached menu would replace the left click; Linux needs it attached. Re-sending it
    // only when it changed keeps an open menu from flickering while a slider is dragged.
    if (this.deps.platform === 'linux') this.tray.setContextMenu(this.menu);
  }

  destroy(): void {
    this.tray.destroy();
  }
}
