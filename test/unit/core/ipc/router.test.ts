import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../main/core/errors';
import { createIpcRouter, encodeEvent, type InvokeHandlers } from '../../../../main/core/ipc/router';
import {
  sampleAccountState,
  sampleDiagnostics,
  sampleSettings,
  sampleShellStatus,
  sampleSnapshot,
  sampleUpdateState,
} from '../../../support/samples';

function handlers(overrides: Partial<InvokeHandlers> = {}): InvokeHandlers {
  const account = () => sampleAccountState();
  return {
    'household:getSnapshot': () => sampleSnapshot(),
    'group:setVolume': () => null,
    'group:adjustVolume': () => null,
    'group:setMute': () => null,
    'player:setVolume': () => null,
    'player:adjustVolume': () => null,
    'player:setMute': () => null,
    'playback:command': () => null,
    'group:setPlayModes': () => null,
    'group:seek': () => null,
    'group:seekBy': () => null,
    'rooms:join': () => null,
    'rooms:leave': () => null,
    'rooms:groupAll': () => null,
    'rooms:ungroupAll': () => null,
    'playback:pauseAll': () => ({ paused: 0 }),
    'playback:resumeAll': () => ({ resumed: 0 }),
    'music:playFavorite': () => null,
    'music:playPlaylist': () => null,
    'music:refresh': () => null,
    'player:setHomeTheater': () => null,
    'speakers:rescan': () => null,
    'settings:get': () => sampleSettings(),
    'settings:update': () => sampleSettings(),
    'account:getState': account,
    'account:configure': account,
    'account:signIn': account,
    'account:cancelSignIn': account,
    'account:submitCallback': account,
    'account:signOut': account,
    'account:setInsecureStorage': account,
    'diagnostics:get': () => sampleDiagnostics(),
    'diagnostics:copyReport': () => ({ text: 'report', copied: false }),
    'diagnostics:trustCertificate': () => null,
    'app:openLink': () => null,
    'popover:hide': () => null,
    'updates:getState': () => sampleUpdateState(),
    'updates:check': () => sampleUpdateState(),
    'updates:install': () => null,
    'app:getStatus': () => sampleShellStatus(),
    'app:requestAccessibility': () => sampleShellStatus(),
    ...overrides,
  };
}

describe('createIpcRouter', () => {
  it('runs the handler with the validated payload and wraps its reply', async () => {
    const setVolume = vi.fn(() => null);
    const router = createIpcRouter(handlers({ 'group:setVolume': setVolume }));
    await expect(router.handle('group:setVolume', { groupId: 'g:1', volume: 30 })).resolves.toEqual({
      ok: true,
      value: null,
    });
    expect(setVolume).toHaveBeenCalledWith({ groupId: 'g:1', volume: 30 });
  });

  it('answers an unknown channel with a typed error and calls nothing', async () => {
    const warn = vi.fn();
    const router = createIpcRouter(handlers(), { warn });
    for (const channel of ['nope', '__proto__', 'constructor', 42, null, { toString: 'x' }]) {
      const result = await router.handle(channel, undefined);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('unknown-channel');
    }
    expect(warn).toHaveBeenCalled();
  });

  it('answers a bad payload with invalid-request naming the field, and never calls the handler', async () => {
    const setVolume = vi.fn(() => null);
    const router = createIpcRouter(handlers({ 'group:setVolume': setVolume }));
    const result = await router.handle('group:setVolume', { groupId: 'g:1', volume: 400 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (!result.ok) expect(result.error.details?.technical).toContain('volume');
    expect(setVolume).not.toHaveBeenCalled();
  });

  it('passes an AppError from a handler through as a value', async () => {
    const router = createIpcRouter(
      handlers({
        'playback:command': () => {
          throw new AppError('unreachable', 'Kitchen is not answering.', { retryable: true });
        },
      }),
    );
    await expect(router.handle('playback:command', { groupId: 'g:1', action: 'play' })).resolves.toEqual({
      ok: false,
      error: { code: 'unreachable', message: 'Kitchen is not answering.', retryable: true, details: null },
    });
  });

  it('turns a crash or a rejected promise into an internal error, never a throw', async () => {
    const router = createIpcRouter(
      handlers({
        'speakers:rescan': () => {
          throw new TypeError('boom');
        },
        'settings:get': () => Promise.reject(new Error('disk gone')),
      }),
    );
    const crash = await router.handle('speakers:rescan', undefined);
    expect(crash).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!crash.ok) expect(crash.error.details?.technical).toBe('TypeError: boom');
    await expect(router.handle('settings:get', undefined)).resolves.toMatchObject({ ok: false });
  });

  it('refuses to return a reply that breaks the contract', async () => {
    const router = createIpcRouter(
      handlers({ 'settings:get': () => ({ ...sampleSettings(), hotkeyVolumeStep: 99 }) }),
    );
    await expect(router.handle('settings:get', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});

describe('the rooms and music channels', () => {
  it('pass only what the contract allows to the handler: play modes, seek, home theater', async () => {
    const setPlayModes = vi.fn(() => null);
    const setHomeTheater = vi.fn(() => null);
    const seek = vi.fn(() => null);
    const router = createIpcRouter(
      handlers({
        'group:setPlayModes': setPlayModes,
        'player:setHomeTheater': setHomeTheater,
        'group:seek': seek,
      }),
    );
    await expect(router.handle('group:setPlayModes', { groupId: 'g:1', repeat: 'one' })).resolves.toEqual({
      ok: true,
      value: null,
    });
    expect(setPlayModes).toHaveBeenCalledWith({ groupId: 'g:1', repeat: 'one' });
    // Nothing named: refused before any handler runs (it would send nothing anyway).
    const empty = await router.handle('group:setPlayModes', { groupId: 'g:1' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const none = await router.handle('player:setHomeTheater', { playerId: 'RINCON_A' });
    expect(none).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const late = await router.handle('group:seek', { groupId: 'g:1', positionMs: -5 });
    expect(late).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(setHomeTheater).not.toHaveBeenCalled();
    expect(seek).not.toHaveBeenCalled();
  });

  it('checks the replies of pause-all and resume-all, and passes a not-allowed refusal through', async () => {
    const router = createIpcRouter(
      handlers({
        'playback:pauseAll': () => ({ paused: 2 }),
        // A broken handler: a count must be a whole number.
        'playback:resumeAll': () => ({ resumed: -1 }),
        'rooms:leave': () => {
          throw new AppError('not-allowed', 'Kitchen cannot leave.');
        },
      }),
    );
    await expect(router.handle('playback:pauseAll', undefined)).resolves.toEqual({
      ok: true,
      value: { paused: 2 },
    });
    await expect(router.handle('playback:resumeAll', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    await expect(router.handle('rooms:leave', { playerId: 'RINCON_A' })).resolves.toEqual({
      ok: false,
      error: { code: 'not-allowed', message: 'Kitchen cannot leave.', retryable: false, details: null },
    });
  });
});

describe('encodeEvent', () => {
  it('passes valid events and drops invalid ones with a log line', () => {
    const warn = vi.fn();
    expect(encodeEvent('popover:navigate', { view: 'settings' }, { warn })).toEqual({
      event: 'popover:navigate',
      payload: { view: 'settings' },
    });
    // @ts-expect-error deliberately invalid
    expect(encodeEvent('popover:navigate', { view: 'nowhere' }, { warn })).toBeNull();
    expect(warn).toHaveBeenCalledOnce();
  });
});
