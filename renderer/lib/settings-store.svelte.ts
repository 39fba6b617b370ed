/**
 * The user's settings: loaded once, kept current by `settings:changed` (the tray menu or another window may
 * change them), and updated one field at a time. An update that main refuses comes back as the error, for the
 * form to show next to the field.
 */
import type { AppErrorPayload, Settings, SettingsUpdate } from '../../main/contract/model';
import type { Ipc } from './ipc';
import { withUpdate } from './settings-update';

/** Before settings load, the wheel and keys still need a step; 5 is main's default too. */
export const DEFAULT_VOLUME_STEP = 5;

export class SettingsStore {
  value = $state.raw<Settings | null>(null);
  volumeStep = $derived(this.value?.hotkeyVolumeStep ?? DEFAULT_VOLUME_STEP);

  readonly #ipc: Ipc;

  constructor(ipc: Ipc) {
    this.#ipc = ipc;
  }

  connect(): () => void {
    const off = this.#ipc.tray.on('settings:changed', (settings) => (this.value = settings));
    void this.#ipc.run('settings:get').then((settings) => {
      if (settings) this.value = settings;
    });
    return off;
  }

  /**
   * Resolves with the refusal (for the field that caused it) or null once saved. `optimistic` shows the change at
   * once (checkboxes and radios, whose dependants — the group list, a disabled fieldset — must follow the click
   * before the user tabs on) and puts main's value back if main refuses; typed values wait for main's verdict.
   */
  async update(
    update: SettingsUpdate,
    options: { optimistic?: boolean } = {},
  ): Promise<AppErrorPayload | null> {
    const before = this.value;
    if (options.optimistic && before) this.value = withUpdate(before, update);
    const result = await this.#ipc.request('settings:update', update);
    if (!result.ok) {
      if (options.optimistic && this.value !== before) this.value = before;
      return result.error;
    }
    this.value = result.value;
    return null;
  }
}
