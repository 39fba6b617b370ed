/**
 * The app's core behind the IPC contract: the request handlers and the event stream that both the Electron shell
 * and the browser bridge serve. Shell-only abilities (hiding the popover, opening a link, the clipboard, hotkey
 * status) come in as `ShellActions`, so this stays Electron-free.
 */
import type { EventChannel, EventPayloadOf } from '../contract/ipc';
import type {
  AccountState,
  Diagnostics,
  Group,
  Household,
  HouseholdPatch,
  HouseholdSnapshot,
  Settings,
  ShellStatus,
} from '../contract/model';
import type { ArtProxy, ArtSource } from './art/art-proxy';
import type { AccountService } from './account/account-service';
import type { Controller } from './controller';
import { AppError } from './errors';
import { createIpcRouter, type InvokeHandlers, type IpcRouter, type RouterLogger } from './ipc/router';
import { UNAVAILABLE_UPDATES, type UpdateService } from './updates';

export interface ShellActions {
  hidePopover(): void;
  openLink(url: string): Promise<void>;
  /** Puts text on the clipboard; false where there is none (the browser demo copies on its side). */
  copyText(text: string): boolean;
  hotkeys(): Diagnostics['hotkeys'];
  /** Settings that the shell applies (launch at login, hotkeys). */
  applySettings(settings: Settings): void;
  /** What works on this desktop; the shell emits `app:status` when it changes. */
  status(): ShellStatus;
  /** macOS: asks the OS for the Accessibility permission media keys need (elsewhere: nothing to ask). */
  requestAccessibility(): ShellStatus;
}

/** A page in a browser (the demo): no window, no OS integration. */
export const HEADLESS_STATUS: ShellStatus = {
  window: false,
  platform: 'other',
  displayServer: null,
  mediaKeys: 'unavailable',
  mpris: null,
  signInScheme: null,
};

export const headlessShell: ShellActions = {
  hidePopover: () => {},
  openLink: async () => {
    throw new AppError('unexpected', 'Links open only in the app.');
  },
  copyText: () => false,
  hotkeys: () => [],
  applySettings: () => {},
  status: () => HEADLESS_STATUS,
  requestAccessibility: () => HEADLESS_STATUS,
};

export type EventListener = <E extends EventChannel>(event: E, payload: EventPayloadOf<E>) => void;

export interface AppCore {
  router: IpcRouter;
  handlers: InvokeHandlers;
  /** Every contract event; returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  emit<E extends EventChannel>(event: E, payload: EventPayloadOf<E>): void;
  /**
   * The shell (or the bridge) says whether the popover is on screen. While it is hidden, cloud households are not
   * polled and the popover is sent nothing it would not need on show: instead of every household patch, one
   * snapshot when it shows again; instead of every settings, account or diagnostics notice, the latest of each.
   */
  setPopoverVisible(visible: boolean): void;
  dispose(): void;
}

export interface AppCoreOptions {
  controller: Controller;
  account?: AccountService | null;
  /** Automatic updates (the Electron shell); none in the browser demo. */
  updates?: UpdateService | null;
  shell?: ShellActions;
  logger?: RouterLogger;
  /** Coalesce diagnostics-changed notices (connections flap together). */
  diagnosticsThrottleMs?: number;
  /** Told when the popover shows or hides (the account's cloud poller). */
  onPopoverVisible?: (visible: boolean) => void;
  /**
   * Album art for the popover: each art URL becomes a path the shell or the bridge serves from this proxy. Without
   * one the popover gets no art URLs at all (it may load nothing from the network).
   */
  art?: ArtProxy | null;
  /**
   * Whether the popover is on screen at start (default true, for hosts that never say). The app's popover starts
   * hidden; the browser bridge says so when a page connects.
   */
  popoverVisible?: boolean;
}

/** Events the popover needs only as their latest value: held while it is hidden, the last one sent on show. */
const LATEST_ONLY: ReadonlySet<EventChannel> = new Set([
  'settings:changed',
  'account:state',
  'diagnostics:changed',
]);

function noAccount(): never {
  throw new AppError('auth-not-configured', 'Sonos account sign-in is not available here.');
}

export function createAppCore(options: AppCoreOptions): AppCore {
  const { controller } = options;
  const account = options.account ?? null;
  const updates = options.updates ?? null;
  const shell = options.shell ?? headlessShell;
  const listeners = new Set<EventListener>();
  const emit: AppCore['emit'] = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  let visible = options.popoverVisible ?? true;
  /** While hidden: whether the household changed (a snapshot goes on show), and the latest of other notices. */
  let householdChanged = false;
  const held = new Map<EventChannel, unknown>();
  const toPopover: AppCore['emit'] = (event, payload) => {
    if (!visible && event === 'household:patch') {
      householdChanged = true;
      return;
    }
    if (!visible && LATEST_ONLY.has(event)) {
      held.delete(event);
      held.set(event, payload);
      return;
    }
    emit(event, payload);
  };

  const accountStatus = (): AccountState['status'] => account?.state().status ?? 'signedOut';

  // What the popover sees of the household: art as paths main serves, never a remote URL.
  const art = options.art ?? null;
  const presentGroup = (group: Group): Group => {
    const url = group.nowPlaying?.artUrl;
    if (!url || !group.nowPlaying) return group;
    const path = art?.pathFor(url, {
      playerId: group.coordinatorId,
      host: controller.playerHost(group.coordinatorId),
    });
    return { ...group, nowPlaying: { ...group.nowPlaying, artUrl: path ?? null } };
  };
  /** A favorite's art is the household's: a player of it serves it (http) when it is on that player's address. */
  const favoriteArtSource = (url: string, householdId: string): ArtSource => {
    let hostname: string;
    try {
      hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return { playerId: null, host: null };
    }
    for (const player of Object.values(controller.snapshot().players)) {
      if (player.householdId !== householdId) continue;
      const host = controller.playerHost(player.id);
      if (host === hostname) return { playerId: player.id, host };
    }
    return { playerId: null, host: null };
  };
  const presentHousehold = (household: Household): Household => {
    const favorites = household.favorites;
    if (!favorites?.items.some((item) => item.artUrl)) return household;
    return {
      ...household,
      favorites: {
        ...favorites,
        items: favorites.items.map((item) =>
          item.artUrl
            ? {
                ...item,
                artUrl: art?.pathFor(item.artUrl, favoriteArtSource(item.artUrl, household.id)) ?? null,
              }
            : item,
        ),
      },
    };
  };
  const presentEach = <T, U extends T | null>(entries: Record<string, U>, present: (value: T) => T) =>
    Object.fromEntries(
      Object.entries(entries).map(([id, value]) => [id, value === null ? value : present(value as T)]),
    ) as Record<string, U>;
  const presentSnapshot = (snapshot: HouseholdSnapshot): HouseholdSnapshot => ({
    ...snapshot,
    households: presentEach(snapshot.households, presentHousehold),
    groups: presentEach(snapshot.groups, presentGroup),
  });
  const presentPatch = (patch: HouseholdPatch): HouseholdPatch => ({
    ...patch,
    ...(patch.households && { households: presentEach(patch.households, presentHousehold) }),
    ...(patch.groups && { groups: presentEach(patch.groups, presentGroup) }),
  });
  const diagnostics = (): Diagnostics => ({
    ...controller.diagnostics(accountStatus()),
    hotkeys: shell.hotkeys(),
  });
  const report = (): string => {
    const d = diagnostics();
    const lines = [
      `Tray for Sonos ${d.app.version}${d.app.electron ? ` (Electron ${d.app.electron})` : ''}, Node ${d.app.node}, ${d.app.os}`,
      `Account: ${d.account.status}; last transport: ${d.account.lastTransport ?? 'none'}`,
      '',
      'Speakers:',
      ...d.players.map(
        (p) =>
          `- ${p.name} (${p.id}) at ${p.host ?? '?'} via ${p.foundBy.join('+')}: ${p.connection}` +
          `${p.lastError ? ` — ${p.lastError.message}${p.lastError.details?.technical ? ` [${p.lastError.details.technical}]` : ''}` : ''}` +
          `; TLS ${p.tls.status}${p.tls.fingerprint ? ` ${p.tls.fingerprint}` : ''}`,
      ),
      '',
      'Hotkeys:',
      ...d.hotkeys.map(
        (h) =>
          `- ${h.action}: ${h.accelerator} ${h.registered ? 'registered' : h.state === 'requested' ? 'requested from the desktop' : `not registered (${h.problem ?? 'unknown'})`}`,
      ),
    ];
    return lines.join('\n');
  };

  const handlers: InvokeHandlers = {
    'household:getSnapshot': () => presentSnapshot(controller.snapshot()),
    'group:setVolume': async ({ groupId, volume }) => (
      await controller.setGroupVolume(groupId, volume),
      null
    ),
    'group:adjustVolume': async ({ groupId, delta }) => (
      await controller.adjustGroupVolume(groupId, delta),
      null
    ),
    'group:setMute': async ({ groupId, muted }) => (await controller.setGroupMute(groupId, muted), null),
    'player:setVolume': async ({ playerId, volume }) => (
      await controller.setPlayerVolume(playerId, volume),
      null
    ),
    'player:adjustVolume': async ({ playerId, delta }) => (
      await controller.adjustPlayerVolume(playerId, delta),
      null
    ),
    'player:setMute': async ({ playerId, muted }) => (await controller.setPlayerMute(playerId, muted), null),
    'playback:command': async ({ groupId, action }) => (await controller.playback(groupId, action), null),
    'group:setPlayModes': async ({ groupId, ...modes }) => (
      await controller.transport.setPlayModes(groupId, modes),
      null
    ),
    'group:seek': async ({ groupId, positionMs }) => (
      await controller.transport.seek(groupId, positionMs),
      null
    ),
    'group:seekBy': async ({ groupId, deltaMs }) => (
      await controller.transport.seekBy(groupId, deltaMs),
      null
    ),
    'rooms:join': async ({ playerId, groupId }) => (await controller.rooms.join(playerId, groupId), null),
    'rooms:leave': async ({ playerId }) => (await controller.rooms.leave(playerId), null),
    'rooms:groupAll': async ({ groupId }) => (await controller.rooms.groupAll(groupId), null),
    'rooms:ungroupAll': async ({ householdId }) => (await controller.rooms.ungroupAll(householdId), null),
    'playback:pauseAll': async () => ({ paused: await controller.pauseAll() }),
    'playback:resumeAll': async () => ({ resumed: await controller.resumeAll() }),
    'music:playFavorite': async ({ groupId, favoriteId }) => (
      await controller.music.playFavorite(groupId, favoriteId),
      null
    ),
    'music:playPlaylist': async ({ groupId, playlistId }) => (
      await controller.music.playPlaylist(groupId, playlistId),
      null
    ),
    'music:refresh': async ({ householdId }) => (await controller.music.refresh(householdId), null),
    'player:setHomeTheater': async ({ playerId, ...options }) => (
      await controller.homeTheater.set(playerId, options),
      null
    ),
    'speakers:rescan': () => (controller.rescan(), null),
    'settings:get': () => controller.settings,
    'settings:update': (update) => {
      const settings = controller.updateSettings(update);
      shell.applySettings(settings);
      return settings;
    },
    'account:getState': () => (account ? account.state() : noAccount()),
    'account:configure': (input) => (account ? account.configure(input) : noAccount()),
    'account:signIn': () => (account ? account.signIn() : noAccount()),
    'account:cancelSignIn': () => (account ? account.cancelSignIn() : noAccount()),
    'account:submitCallback': ({ url }) => (account ? account.submitCallback(url) : noAccount()),
    'account:signOut': () => (account ? account.signOut() : noAccount()),
    'account:setInsecureStorage': ({ allowed }) =>
      account ? account.setInsecureStorage(allowed) : noAccount(),
    'diagnostics:get': () => diagnostics(),
    'diagnostics:copyReport': () => {
      const text = report();
      return { text, copied: shell.copyText(text) };
    },
    'diagnostics:trustCertificate': ({ playerId, fingerprint }) => (
      controller.trustCertificate(playerId, fingerprint),
      null
    ),
    'app:openLink': async ({ url }) => (await shell.openLink(url), null),
    'popover:hide': () => (shell.hidePopover(), null),
    'updates:getState': () => updates?.state() ?? UNAVAILABLE_UPDATES,
    'updates:check': () => updates?.check() ?? UNAVAILABLE_UPDATES,
    'updates:install': () => {
      if (!updates) throw new AppError('unexpected', 'Updates are not available here.');
      updates.install();
      return null;
    },
    'app:getStatus': () => shell.status(),
    'app:requestAccessibility': () => shell.requestAccessibility(),
  };

  let diagnosticsTimer: NodeJS.Timeout | null = null;
  const throttle = options.diagnosticsThrottleMs ?? 250;
  const onDiagnostics = (): void => {
    // Hidden: no timer at all (an idle app should not wake up for a view nobody sees), one notice on show.
    if (!visible) return toPopover('diagnostics:changed', null);
    if (diagnosticsTimer) return;
    diagnosticsTimer = setTimeout(() => {
      diagnosticsTimer = null;
      toPopover('diagnostics:changed', null);
    }, throttle);
    diagnosticsTimer.unref?.();
  };
  const onPatch = (patch: EventPayloadOf<'household:patch'>): void =>
    toPopover('household:patch', presentPatch(patch));
  const onSettings = (settings: Settings): void => toPopover('settings:changed', settings);
  controller.on('patch', onPatch);
  controller.on('settings', onSettings);
  controller.on('diagnostics', onDiagnostics);
  const offAccount = account?.onChange((state) => {
    toPopover('account:state', state);
    onDiagnostics();
  });
  const offUpdates = updates?.onChange((state) => emit('updates:state', state));

  return {
    router: createIpcRouter(handlers, options.logger),
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    setPopoverVisible(shown) {
      const was = visible;
      visible = shown;
      if (shown && !was) {
        if (householdChanged) emit('household:snapshot', presentSnapshot(controller.snapshot()));
        householdChanged = false;
        const latest = [...held];
        held.clear();
        for (const [event, payload] of latest) emit(event, payload as never);
      }
      options.onPopoverVisible?.(shown);
    },
    dispose() {
      if (diagnosticsTimer) clearTimeout(diagnosticsTimer);
      controller.off('patch', onPatch);
      controller.off('settings', onSettings);
      controller.off('diagnostics', onDiagnostics);
      offAccount?.();
      offUpdates?.();
      listeners.clear();
    },
  };
}
