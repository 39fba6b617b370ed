import { beforeEach, describe, expect, it } from 'vitest';
import { TRANSPORT } from '../../../main/contract/transport';
import { contextBridge, ipcRenderer, resetElectronFake } from '../../fakes/electron';

describe('preload', () => {
  beforeEach(() => {
    resetElectronFake();
  });

  it('exposes only invoke and on as window.tray', async () => {
    await import('../../../preload/index');
    const api = contextBridge.exposed.tray as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards invoke on the transport channel and filters events by name', async () => {
    const { createPreloadApi } = await import('../../../preload/api');
    ipcRenderer.invokeImpl = async (...args) => ({ ok: true, value: args });
    const api = createPreloadApi(ipcRenderer);
    await expect(api.invoke('group:setMute', { groupId: 'g:1', muted: true })).resolves.toEqual({
      ok: true,
      value: [TRANSPORT.invoke, 'group:setMute', { groupId: 'g:1', muted: true }],
    });

    const seen: unknown[] = [];
    const off = api.on('popover:navigate', (payload) => seen.push(payload));
    ipcRenderer.emit(TRANSPORT.event, {}, { event: 'popover:navigate', payload: { view: 'settings' } });
    ipcRenderer.emit(TRANSPORT.event, {}, { event: 'popover:shown', payload: null });
    ipcRenderer.emit(TRANSPORT.event, {}, 'garbage');
    off();
    ipcRenderer.emit(TRANSPORT.event, {}, { event: 'popover:navigate', payload: { view: 'main' } });
    expect(seen).toEqual([{ view: 'settings' }]);
    expect(ipcRenderer.listenerCount(TRANSPORT.event)).toBe(0);
  });
});
