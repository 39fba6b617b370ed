/**
 * What the app can do on this desktop (`app:getStatus`, then `app:status` whenever it changes): whether the popover
 * is a window the user can close, how media keys reach the app, whether the OS hands it sign-in addresses. A main
 * that does not know the channel (an older bridge) leaves it null, and the views show none of it.
 */
import type { ShellStatus } from '../../main/contract/model';
import type { Ipc } from './ipc';

export class ShellStatusStore {
  value = $state.raw<ShellStatus | null>(null);
  /** Set after asking macOS for the Accessibility permission, until the keys work. */
  asked = $state(false);

  readonly #ipc: Ipc;

  constructor(ipc: Ipc) {
    this.#ipc = ipc;
  }

  connect(): () => void {
    const off = this.#ipc.tray.on('app:status', (status) => (this.value = status));
    void this.#ipc.request('app:getStatus').then((result) => {
      if (result.ok && result.value) this.value = result.value;
    });
    return off;
  }

  /** macOS shows its prompt; the keys work once the user allowed the app in System Settings. */
  async requestAccessibility(): Promise<void> {
    const status = await this.#ipc.run('app:requestAccessibility');
    if (status) this.value = status;
    this.asked = true;
  }
}
