/**
 * The diagnostics view's data. It is only fetched while the view is open: `diagnostics:changed` is a bare notice
 * (connections flap together), so an open view reloads on it and a closed one ignores it.
 */
import type { AppErrorPayload, Diagnostics } from '../../main/contract/model';
import type { Ipc } from './ipc';

export type CopyOutcome = { copied: true; text: string } | { copied: false; text: string | null };

export class DiagnosticsStore {
  value = $state.raw<Diagnostics | null>(null);
  error = $state.raw<AppErrorPayload | null>(null);

  readonly #ipc: Ipc;

  constructor(ipc: Ipc) {
    this.#ipc = ipc;
  }

  /** Loads now and on every change notice until the returned teardown runs (the view closes). */
  watch(): () => void {
    void this.load();
    return this.#ipc.tray.on('diagnostics:changed', () => void this.load());
  }

  async load(): Promise<void> {
    const result = await this.#ipc.request('diagnostics:get');
    if (result.ok) {
      this.value = result.value;
      this.error = null;
    } else {
      this.error = result.error;
    }
  }

  /**
   * Main renders the report and copies it where it can (the app: the page may not, its permissions are all
   * denied); where main could not (the browser demo) we try the page's clipboard. When neither works the text
   * comes back for the view to show for copying by hand.
   */
  async copyReport(): Promise<CopyOutcome> {
    const report = await this.#ipc.run('diagnostics:copyReport');
    if (!report) return { copied: false, text: null };
    if (report.copied) return { copied: true, text: report.text };
    try {
      await navigator.clipboard.writeText(report.text);
      return { copied: true, text: report.text };
    } catch {
      return { copied: false, text: report.text };
    }
  }

  /** Trusts exactly the certificate shown, by its fingerprint. */
  async trust(playerId: string, fingerprint: string): Promise<void> {
    await this.#ipc.run('diagnostics:trustCertificate', { playerId, fingerprint });
    await this.load();
  }
}
