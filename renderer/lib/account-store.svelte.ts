/**
 * The Sonos account as the settings view shows it. Main owns the sign-in flow and pushes `account:state`; this
 * class only sends the user's requests and remembers the last refusal for the form. When main has no account
 * service at all (`auth-not-configured`), `unavailable` holds that error and the form stays hidden.
 */
import type { AccountConfigure, AccountState, AppErrorPayload } from '../../main/contract/model';
import type { Ipc } from './ipc';

export class AccountStore {
  state = $state.raw<AccountState | null>(null);
  unavailable = $state.raw<AppErrorPayload | null>(null);
  /** The last request main refused (as opposed to `state.error`, a failure of the sign-in flow itself). */
  requestError = $state.raw<AppErrorPayload | null>(null);
  busy = $state(false);
  loading = $state(true);

  /** What to show under the form: a refused request first, else the flow's own error. */
  error = $derived(this.requestError ?? this.state?.error ?? null);

  readonly #ipc: Ipc;

  constructor(ipc: Ipc) {
    this.#ipc = ipc;
  }

  connect(): () => void {
    const off = this.#ipc.tray.on('account:state', (state) => {
      this.state = state;
      this.unavailable = null;
    });
    void this.load();
    return off;
  }

  async load(): Promise<void> {
    this.loading = true;
    const result = await this.#ipc.request('account:getState');
    this.loading = false;
    if (result.ok) {
      this.state = result.value;
      this.unavailable = null;
    } else if (result.error.code === 'auth-not-configured') {
      this.unavailable = result.error;
    } else {
      this.requestError = result.error;
    }
  }

  /** Saves the integration (when it changed) and starts the browser sign-in. */
  async signIn(client: AccountConfigure | null): Promise<void> {
    await this.#send(async () => {
      if (client) {
        const configured = await this.#ipc.request('account:configure', client);
        if (!configured.ok) return configured;
        this.state = configured.value;
      }
      return this.#ipc.request('account:signIn');
    });
  }

  cancel = (): Promise<void> => this.#send(() => this.#ipc.request('account:cancelSignIn'));
  signOut = (): Promise<void> => this.#send(() => this.#ipc.request('account:signOut'));
  submitCallback = (url: string): Promise<void> =>
    this.#send(() => this.#ipc.request('account:submitCallback', { url }));
  allowInsecureStorage = (allowed: boolean): Promise<void> =>
    this.#send(() => this.#ipc.request('account:setInsecureStorage', { allowed }));

  async #send(
    request: () => Promise<{ ok: true; value: AccountState } | { ok: false; error: AppErrorPayload }>,
  ): Promise<void> {
    this.busy = true;
    this.requestError = null;
    const result = await request();
    this.busy = false;
    if (result.ok) this.state = result.value;
    else if (result.error.code === 'auth-not-configured') this.unavailable = result.error;
    else this.requestError = result.error;
  }
}
