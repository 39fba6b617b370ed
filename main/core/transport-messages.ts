/**
 * What a speaker's trouble means depends on the way commands can travel: a household that refuses local control
 * is no trouble at all while the Sonos account can reach it, and "Is it switched on?" is the wrong question about
 * a speaker the cloud still controls. These words are chosen from the account's state, in one place, so the
 * model, the notices and the CLI agree.
 */
import type { AccountStatus } from '../contract/model';

/** What the core knows about the account when it words a message. */
export interface AccountView {
  status: AccountStatus;
  /** The signed-in account lists this household (its speakers can be controlled through the cloud). */
  covers(householdId: string): boolean;
}

export const NO_ACCOUNT: AccountView = { status: 'signedOut', covers: () => false };

/** A household with authentication on (`ERROR_NO_PERMISSION`), as the user can act on it now. */
export function localControlRefused(account: AccountView, householdId: string): string {
  const refused = 'This household does not allow local control.';
  if (account.covers(householdId)) return `${refused} Commands go through your Sonos account.`;
  switch (account.status) {
    case 'signedIn':
      return `${refused} Your Sonos account does not include it: sign in with the account these speakers belong to.`;
    case 'needsReauth':
      return `${refused} Sign in to your Sonos account again to control it through the cloud.`;
    case 'awaitingBrowser':
    case 'exchanging':
      return `${refused} Finish signing in to your Sonos account to control it through the cloud.`;
    default:
      return `${refused} Sign in to your Sonos account to control it through the cloud.`;
  }
}
