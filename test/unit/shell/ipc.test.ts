import { beforeEach, describe, expect, it } from 'vitest';
import { TRANSPORT } from '../../../main/contract/transport';
import { createIpcRouter, type InvokeHandlers } from '../../../main/core/ipc/router';
import { isTrustedSender, registerIpc, sendEvent, type SenderPolicy } from '../../../main/shell/ipc';
import { FakeWebContents, FakeWebFrameMain, ipcMain, resetElectronFake } from '../../fakes/electron';

const APP_ORIGIN = 'app://popover';

function setup() {
  const popover = new FakeWebContents(`${APP_ORIGIN}/index.html`);
  const policy: SenderPolicy = { popover: () => popover, origins: [APP_ORIGIN] };
  const router = createIpcRouter({ 'popover:hide': () => null } as unknown as InvokeHandlers);
  registerIpc(ipcMain, router, policy);
  return { popover, policy };
}

describe('shell IPC', () => {
  beforeEach(() => resetElectronFake());

  it('answers the popover through the router', async () => {
    const { popover } = setup();
    await expect(ipcMain.invoke(popover, TRANSPORT.invoke, 'popover:hide', undefined)).resolves.toEqual({
      ok: true,
      value: null,
    });
    await expect(ipcMain.invoke(popover, TRANSPORT.invoke, 'no:such', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
  });

  it('refuses another window, an iframe and a page from another origin', async () => {
    const { popover, policy } = setup();
    const other = new FakeWebContents(`${APP_ORIGIN}/index.html`);
    await expect(ipcMain.invoke(other, TRANSPORT.invoke, 'popover:hide', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });

    const iframe = new FakeWebFrameMain(`${APP_ORIGIN}/index.html`, 2);
    expect(isTrustedSender({ sender: popover, senderFrame: iframe } as never, policy)).toBe(false);

    popover.mainFrame.url = 'https://evil.example/index.html';
    await expect(ipcMain.invoke(popover, TRANSPORT.invoke, 'popover:hide', undefined)).resolves.toMatchObject(
      {
        ok: false,
        error: { code: 'forbidden-sender' },
      },
    );
    popover.mainFrame.url = 'not a url';
    expect(isTrustedSender({ sender: popover, senderFrame: popover.mainFrame } as never, policy)).toBe(false);
  });

  it('refuses everyone while there is no popover', () => {
    const popover = new FakeWebContents(`${APP_ORIGIN}/index.html`);
    const policy: SenderPolicy = { popover: () => null, origins: [APP_ORIGIN] };
    expect(isTrustedSender({ sender: popover, senderFrame: popover.mainFrame } as never, policy)).toBe(false);
  });

  it('sends only valid events, and nothing to a missing window', () => {
    const popover = new FakeWebContents(`${APP_ORIGIN}/index.html`);
    expect(sendEvent(popover, 'popover:navigate', { view: 'settings' })).toBe(true);
    expect(popover.sent).toEqual([
      { channel: TRANSPORT.event, args: [{ event: 'popover:navigate', payload: { view: 'settings' } }] },
    ]);
    // @ts-expect-error deliberately invalid
    expect(sendEvent(popover, 'popover:navigate', { view: 'x' })).toBe(false);
    expect(sendEvent(null, 'popover:shown', null)).toBe(false);
  });
});
