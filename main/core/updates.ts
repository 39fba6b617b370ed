/**
 * What the app core knows about updates: a service with a state, a "check now" and an "install now", served over
 * the contract. The Electron shell implements it with electron-updater (main/shell/updater.ts); the browser demo
 * has none, and answers with `UNAVAILABLE_UPDATES`.
 */
import type { UpdateState } from '../contract/model';

export interface UpdateService {
  state(): UpdateState;
  /** Starts a check the user asked for and returns the state at once (`checking`); the rest arrives by `onChange`. */
  check(): UpdateState;
  /** Quits, installs the downloaded update and starts it; throws an `AppError` when none is ready. */
  install(): void;
  onChange(listener: (state: UpdateState) => void): () => void;
}

export const UNAVAILABLE_UPDATES: UpdateState = {
  status: 'unsupported',
  currentVersion: null,
  availableVersion: null,
  progress: null,
  lastCheckedAt: null,
  error: null,
  unsupported: 'unavailable',
};
