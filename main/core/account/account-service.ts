import type { AccountConfigure, AccountState } from '../../contract/model';

/**
 * What the app needs from the Sonos account module: its state for the UI (never a token or the secret) and the
 * sign-in actions. The account issue implements it on the OAuth object model; the IPC handlers only call this.
 */
export interface AccountService {
  state(): AccountState;
  onChange(listener: (state: AccountState) => void): () => void;
  configure(input: AccountConfigure): Promise<AccountState>;
  signIn(): Promise<AccountState>;
  cancelSignIn(): Promise<AccountState>;
  /** A callback URL from the custom scheme, a second instance, or pasted by the user. */
  submitCallback(url: string): Promise<AccountState>;
  signOut(): Promise<AccountState>;
  setInsecureStorage(allowed: boolean): Promise<AccountState>;
}
