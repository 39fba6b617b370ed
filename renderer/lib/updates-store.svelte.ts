/**
 * Updates as Settings shows them: main owns the checks and downloads and pushes `updates:state`; this class asks
 * for a check or the install and keeps the last refusal. It never holds an address or a file: the contract only
 * carries versions and sentences.
 */
import type { AppErrorPayload, UpdateState } from '../../main/contract/model';
import type { Ipc } from './ipc';

export class UpdatesStore {
  state = $state.raw<UpdateState | null>(null);
  requestError = $state.raw<AppErrorPayload | null>(null);

  readonly #ipc: Ipc;

  constructor(ipc: Ipc) {
    this.#ipc = ipc;
  }

  connect(): () => void {
    const off = this.#ipc.tray.on('updates:state', (state) => (this.state = state));
    void this.#ipc.request('updates:getState').then((result) => {
      if (result.ok) this.state = result.value;
      else this.requestError = result.error;
    });
    return off;
  }

  async check(): Promise<void> {
    const result = await this.#ipc.request('updates:check');
    if (result.ok) {
      this.state = result.value;
      this.requestError = null;
    } else this.requestError = result.error;
  }

  async install(): Promise<void> {
    const result = await this.#ipc.request('updates:install');
    this.requestError = result.ok ? null : result.error;
  }
}

const UNSUPPORTED: Record<NonNullable<UpdateState['unsupported']>, string> = {
  development: 'Tray for Sonos runs from its source here, so it does not update itself.',
  'not-installed':
    'This copy was not installed from an AppImage, deb or rpm, so it does not update itself. New versions are on the releases page.',
  store: 'Your software store keeps Tray for Sonos up to date.',
  'unsigned-mac':
    'This copy is not signed, and macOS installs updates only into signed apps, so it does not update itself. New versions are on the releases page.',
  unavailable: 'Updates are not available here.',
};

export function unsupportedText(reason: UpdateState['unsupported']): string {
  return UNSUPPORTED[reason ?? 'unavailable'];
}

/** One line about where updates stand, for a status region. */
export function updateStatusText(state: UpdateState, now: number = Date.now()): string {
  const version = state.currentVersion ? ` (${state.currentVersion})` : '';
  switch (state.status) {
    case 'checking':
      return 'Checking for updates…';
    case 'downloading':
      return `Downloading ${state.availableVersion ?? 'the update'}${state.progress !== null ? ` — ${state.progress}%` : '…'}`;
    case 'ready':
      return `Version ${state.availableVersion ?? 'new'} is downloaded and verified. It installs when you restart or quit.`;
    case 'unsupported':
      return unsupportedText(state.unsupported);
    default:
      if (state.error) return `The last attempt failed; Tray for Sonos tries again later.`;
      if (state.lastCheckedAt === null) return `Tray for Sonos${version} has not checked for updates yet.`;
      return `Tray for Sonos${version} is up to date (checked ${ago(now - state.lastCheckedAt)}).`;
  }
}

function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}
