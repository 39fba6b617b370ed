/**
 * The app's core behind the IPC contract: the request handlers and the event stream that both the Electron shell
 * and the browser bridge serve. Shell-only abilities (hiding the popover, opening a link, the clipboard, hotkey
 * status) come in as `ShellActions`, so this stays Electron-free.
 */
import type { EventChannel, EventPayloadOf } from '../contract/ipc';
import type { AccountState, Diagnostics, Settings } from '../contract/model';
import type { AccountService } from './account/account-service';
import type { Controller } from './controller';
import { AppError } from './errors';
import { createIpcRouter, type InvokeHandlers, type IpcRouter, type RouterLogger } from './ipc/router';

export interface ShellActions {
  hidePopover(): void;
  openLink(url: string): Promise<void>;
  /** Puts text on the clipboard; false where there is none (the browser demo copies on its side). */
  copyText(text: string): boolean;
  hotkeys(): Diagnostics['hotkeys'];
  /** Settings that the shell applies (launch at login, hotkeys). */
  applySettings(settings: Settings): void;
}

export const headlessShell: ShellActions = {
  hidePopover: () => {},
  openLink: async () => {
    throw new AppError('unexpected', 'Links open only in the app.');
  },
  copyText: () => false,
  hotkeys: () => [],
  applySettings: () => {},
};

export type EventListener = <E extends EventChannel>(event: E, payload: EventPayloadOf<E>) => void;

export interface AppCore {
  router: IpcRouter;
  handlers: InvokeHandlers;
  /** Every contract event; returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  emit<E extends EventChannel>(event: E, payload: EventPayloadOf<E>): void;
  /** The shell (or the bridge) says whether the popover is on screen: cloud households are polled only then. */
  setPopoverVisible(visible: boolean): void;
  dispose(): void;
}

export interface AppCoreOptions {
  controller: Controller;
  account?: AccountService | null;
  shell?: ShellActions;
  logger?: RouterLogger;
  /** Coalesce diagnostics-changed notices (connections flap together). */
  diagnosticsThrottleMs?: number;
  /** Told when the popover shows or hides (the account's cloud poller). */
  onPopoverVisible?: (visible: boolean) => void;
}

function noAccount(): never {
  throw new AppError('auth-not-configured', 'Sonos account sign-in is not available here.');
}

export function createAppCore(options: AppCoreOptions): AppCore {
  const { controller } = options;
  const account = options.account ?? null;
  const shell = options.shell ?? headlessShell;
  const listeners = new Set<EventListener>();
  const emit: AppCore['emit'] = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };

  const accountStatus = (): AccountState['status'] => account?.state().status ?? 'signedOut';
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
          `- ${h.action}: ${h.accelerator} ${h.registered ? 'registered' : `not registered (${h.problem ?? 'unknown'})`}`,
      ),
    ];
    return lines.join('\n');
  };

  const handlers: InvokeHandlers = {
    'household:getSnapshot': () => controller.snapshot(),
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
  };

  let diagnosticsTimer: NodeJS.Timeout | null = null;
  const throttle = options.diagnosticsThrottleMs ?? 250;
  const onDiagnostics = (): void => {
    if (diagnosticsTimer) return;
    diagnosticsTimer = setTimeout(() => {
      diagnosticsTimer = null;
      emit('diagnostics:changed', null);
    }, throttle);
    diagnosticsTimer.unref?.();
  };
  const onPatch = (patch: EventPayloadOf<'household:patch'>): void => emit('household:patch', patch);
  const onSettings = (settings: Settings): void => emit('settings:changed', settings);
  controller.on('patch', onPatch);
  controller.on('settings', onSettings);
  controller.on('diagnostics', onDiagnostics);
  const offAccount = account?.onChange((state) => {
    emit('account:state', state);
    onDiagnostics();
  });

  return {
    router: createIpcRouter(handlers, options.logger),
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    setPopoverVisible(visible) {
      options.onPopoverVisible?.(visible);
    },
    dispose() {
      if (diagnosticsTimer) clearTimeout(diagnosticsTimer);
      controller.off('patch', onPatch);
      controller.off('settings', onSettings);
      controller.off('diagnostics', onDiagnostics);
      offAccount?.();
      listeners.clear();
    },
  };
}
