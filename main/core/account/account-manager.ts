/**
 * The Sonos account as the app sees it (`AccountService`), built from small parts in the manner of AppAuth-JS:
 * an authorization request (state, one-shot, 7 minutes) → the injected browser opener → the callback parser →
 * the pending-request check → the token client → the token vault → the refresh scheduler.
 *
 * States: signedOut → awaitingBrowser → exchanging → signedIn, and needsReauth when a refresh is refused (manual
 * re-authorisation: settings, households and nicknames stay; only the tokens go). The state it reports never
 * holds a token, a code or the client secret. It is also the cloud client's source of access tokens (`CloudAuth`).
 */
import type { AccountConfigure, AccountState, AccountStatus, AppErrorPayload } from '../../contract/model';
import { systemClock, type Clock, type TimerHandle } from '../clock';
import { AppError, toErrorPayload } from '../errors';
import type { Logger } from '../logger';
import type { AccountService } from './account-service';
import { createAuthorizationRequest, PENDING_LIFETIME_MS } from './authorization-request';
import { CALLBACK_SCHEME, parseCallback, type CallbackParams } from './callback';
import type { Endpoints } from './endpoints';
import { PendingRequests, type TakeResult } from './pending-requests';
import { RefreshScheduler } from './refresh-scheduler';
import { TokenError, type TokenClient } from './token-client';
import type { ReauthReason, TokenVault } from './token-vault';

/** Opens a page in the user's browser (Electron's `shell.openExternal` in the app; printing it in the CLI). */
export interface BrowserOpener {
  openExternal(url: string): Promise<void>;
}

/** What the cloud client needs from the account: a valid access token, and a new one when Sonos rejects it. */
export interface CloudAuth {
  isSignedIn(): boolean;
  householdIds(): string[];
  accessToken(): Promise<string>;
  /** Sonos answered 401 to `rejected`: refresh (one refresh however many callers ask) and return the new token. */
  refreshAfterRejection(rejected: string): Promise<string>;
}

export interface AccountManagerOptions {
  vault: TokenVault;
  tokenClient: TokenClient;
  endpoints: Pick<Endpoints, 'authorizeUrl'>;
  opener: BrowserOpener;
  logger: Logger;
  clock?: Clock;
  random?: (size: number) => Buffer;
  pendingLifetimeMs?: number;
  /** Runs after a successful sign-in (the households are fetched here); a failure is logged, not fatal. */
  afterSignIn?: () => Promise<void>;
}

type Flow = 'idle' | 'awaitingBrowser' | 'exchanging';

/** Refresh ahead of use when the token has less than this left, rather than sending a request that fails. */
const EXPIRY_MARGIN_MS = 30_000;

export const TIMEOUT_MESSAGE = 'Sign-in timed out — restart sign-in.';

function payload(
  code: AppErrorPayload['code'],
  message: string,
  retryable: boolean,
  details: Partial<NonNullable<AppErrorPayload['details']>> | null = null,
): AppErrorPayload {
  return new AppError(code, message, { retryable, ...(details ? { details } : {}) }).toPayload();
}

/** An OAuth error callback as people read it; the raw facts go to the Details view. */
function callbackError(params: CallbackParams): AppErrorPayload {
  const details = {
    code: params.error,
    description: params.errorDescription,
    uri: params.errorUri && /^https:\/\//i.test(params.errorUri) ? params.errorUri : null,
    technical:
      params.errorUri && !/^https:\/\//i.test(params.errorUri) ? `error_uri: ${params.errorUri}` : null,
  };
  // access_denied: Deny was chosen on the Sonos page (or Sonos refused this integration there) — not a cancel here.
  return params.error === 'access_denied'
    ? payload(
        'auth-cancelled',
        'Access was denied on the Sonos sign-in page, so Tray for Sonos is not signed in. Sign in again to allow it.',
        true,
        details,
      )
    : payload('auth-refused', 'Sonos refused sign-in.', true, details);
}

function reauthMessage(reason: ReauthReason | null): string {
  return reason === 'not-carried-over'
    ? 'Sign in to your Sonos account again: your earlier sign-in could not be kept safely on this computer.'
    : 'Your Sonos sign-in has expired or was withdrawn. Sign in again.';
}

const IGNORED: Record<Exclude<TakeResult, { ok: true }>['reason'], string> = {
  missing: 'This address does not belong to a sign-in from Tray for Sonos.',
  unknown:
    'This address does not belong to the sign-in in progress. Use the address from your latest sign-in.',
  replaced: 'This address belongs to an earlier sign-in. Use the address from your latest sign-in.',
  used: 'This sign-in address was already used.',
  cancelled: 'That sign-in was cancelled. Start sign-in again.',
  expired: TIMEOUT_MESSAGE,
};

export class AccountManager implements AccountService, CloudAuth {
  private readonly vault: TokenVault;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly pending = new PendingRequests();
  private readonly scheduler: RefreshScheduler;
  private readonly listeners = new Set<(state: AccountState) => void>();
  private flow: Flow = 'idle';
  /** Bumped whenever a sign-in starts, is cancelled or replaced: late answers of an older one are dropped. */
  private flowId = 0;
  private expiryTimer: TimerHandle | null = null;
  private error: AppErrorPayload | null = null;
  private stopped = false;

  constructor(private readonly options: AccountManagerOptions) {
    this.vault = options.vault;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.scheduler = new RefreshScheduler({
      clock: this.clock,
      refresh: () => this.refreshTokens(),
      isRetryable: (error) => !(error instanceof AppError && error.code === 'needs-reauth'),
      onError: (error, retry) =>
        this.logger.warn('account: automatic refresh failed', { error: toErrorPayload(error), retry }),
    });
    const session = this.vault.session();
    if (session?.status === 'signedIn') this.scheduler.schedule(session.expiresAt);
  }

  // ---------------------------------------------------------------------------------------------------------
  // AccountService

  state(): AccountState {
    const client = this.vault.client();
    const session = this.vault.session();
    const request = this.flow === 'awaitingBrowser' ? this.pending.current() : null;
    const status = this.status();
    return {
      status,
      client: {
        clientId: client.clientId,
        redirectUri: client.redirectUri,
        hasSecret: client.clientSecret !== null,
      },
      storage: this.vault.mode(),
      canEncrypt: this.vault.canEncrypt(),
      authorizeUrl: request?.url ?? null,
      pendingExpiresAt: request?.expiresAt ?? null,
      expiresAt: session?.status === 'signedIn' ? session.expiresAt : null,
      households: this.vault
        .households()
        .filter((h) => h.listed)
        .map((h) => ({ id: h.id, name: h.nickname ?? h.name })),
      error:
        this.error ??
        (status === 'needsReauth'
          ? payload('needs-reauth', reauthMessage(session?.reason ?? null), true)
          : null),
    };
  }

  onChange(listener: (state: AccountState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async configure(input: AccountConfigure): Promise<AccountState> {
    const redirect = checkRedirectUri(input.redirectUri);
    const before = this.vault.client();
    if (this.flow !== 'idle') this.endFlow('cancelled');
    const clientChanged = before.clientId !== null && before.clientId !== input.clientId;
    if (clientChanged) this.scheduler.stop();
    this.vault.setClient({
      clientId: input.clientId.trim(),
      redirectUri: redirect,
      ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret.trim() } : {}),
    });
    this.error = null;
    this.logger.info('account: integration configured', {
      clientChanged,
      secretChanged: input.clientSecret !== undefined,
    });
    this.emit();
    return this.state();
  }

  async signIn(): Promise<AccountState> {
    if (this.stopped) throw new AppError('unexpected', 'Tray for Sonos is shutting down.');
    const client = this.vault.client();
    if (!client.clientId || !client.redirectUri || !client.clientSecret) {
      throw new AppError(
        'auth-not-configured',
        'Enter your Sonos integration’s key, secret and redirect address in Settings first.',
        {
          details: {
            technical: `missing: ${[!client.clientId && 'key', !client.clientSecret && 'secret', !client.redirectUri && 'redirect address'].filter(Boolean).join(', ')}`,
          },
        },
      );
    }
    if (this.flow !== 'idle') this.endFlow('replaced');
    const now = this.clock.now();
    const request = createAuthorizationRequest({
      endpoints: this.options.endpoints,
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      now,
      lifetimeMs: this.options.pendingLifetimeMs ?? PENDING_LIFETIME_MS,
      ...(this.options.random ? { random: this.options.random } : {}),
    });
    this.pending.add(request, { exclusive: true });
    const flowId = ++this.flowId;
    this.flow = 'awaitingBrowser';
    this.error = null;
    this.expiryTimer = this.clock.setTimeout(() => this.expire(flowId), request.expiresAt - now);
    this.logger.info('account: sign-in started', { expiresAt: new Date(request.expiresAt).toISOString() });
    this.emit();
    try {
      await this.options.opener.openExternal(request.url);
    } catch (error) {
      if (flowId === this.flowId) {
        this.logger.warn('account: could not open the browser', { error });
        this.error = payload(
          'unexpected',
          'Your browser could not be opened. Copy the sign-in address and open it in your browser.',
          true,
          { technical: error instanceof Error ? error.message : String(error) },
        );
        this.emit();
      }
    }
    return this.state();
  }

  async cancelSignIn(): Promise<AccountState> {
    if (this.flow !== 'idle') {
      this.endFlow('cancelled');
      this.logger.info('account: sign-in cancelled');
    }
    this.error = null;
    this.emit();
    return this.state();
  }

  async submitCallback(url: string): Promise<AccountState> {
    const parsed = parseCallback(url);
    if (!parsed.ok) {
      this.logger.warn('account: ignored an address that is not a sign-in callback', {
        technical: parsed.error.details?.technical ?? null,
      });
      throw parsed.error;
    }
    const params = parsed.params;
    // From here on the code is never written to a log, whatever happens to it.
    this.logger.addSecret(params.code);
    // The state first, before anything with a side effect — also for error callbacks.
    const taken = this.pending.take(params.state, this.clock.now());
    if (!taken.ok) {
      this.logger.warn('account: ignored a sign-in callback', {
        reason: taken.reason,
        carried: params.error ? `error ${params.error}` : params.code ? 'a code' : 'nothing',
      });
      if (taken.reason === 'expired' && this.flow === 'awaitingBrowser' && this.pending.size === 0)
        this.expire(this.flowId);
      throw new AppError('auth-state-mismatch', IGNORED[taken.reason], {
        retryable: true,
        details: { technical: `callback state ${taken.reason}; no token request made` },
      });
    }
    const request = taken.request;
    const flowId = this.flowId;
    this.clearExpiryTimer();

    if (params.error !== null || params.code === null) {
      this.flow = 'idle';
      this.flowId += 1;
      this.error = params.error
        ? callbackError(params)
        : payload('unexpected', 'Sonos sent no sign-in code. Try again.', true, {
            technical: 'callback with a valid state but neither code nor error',
          });
      this.logger.info('account: sign-in ended by the browser', {
        error: params.error,
        description: params.errorDescription,
      });
      this.emit();
      return this.state();
    }

    const client = this.vault.client();
    if (!client.clientId || !client.clientSecret || client.clientId !== request.clientId) {
      this.flow = 'idle';
      this.error = payload(
        'auth-not-configured',
        'Your integration settings changed during sign-in. Sign in again.',
        true,
      );
      this.emit();
      return this.state();
    }
    this.flow = 'exchanging';
    this.emit();
    try {
      const tokens = await this.options.tokenClient.exchangeCode(
        { clientId: client.clientId, clientSecret: client.clientSecret },
        { code: params.code, redirectUri: request.redirectUri },
      );
      if (flowId !== this.flowId || this.stopped) {
        this.logger.info('account: discarded a sign-in that was cancelled while it finished');
        return this.state();
      }
      this.scheduler.stop();
      this.vault.saveTokens(tokens);
      this.scheduler.schedule(tokens.expiresAt);
      this.flow = 'idle';
      this.error = null;
      this.logger.info('account: signed in', {
        expiresAt: new Date(tokens.expiresAt).toISOString(),
        storage: this.vault.mode(),
      });
      this.emit();
      if (this.options.afterSignIn) {
        await this.options
          .afterSignIn()
          .catch((error: unknown) =>
            this.logger.warn('account: after sign-in step failed', { error: toErrorPayload(error) }),
          );
        this.emit();
      }
    } catch (error) {
      if (flowId === this.flowId) {
        this.flow = 'idle';
        this.error = toErrorPayload(error);
        this.emit();
      }
    }
    return this.state();
  }

  async signOut(): Promise<AccountState> {
    if (this.flow !== 'idle') this.endFlow('cancelled');
    this.scheduler.stop();
    this.vault.clearSession();
    this.error = null;
    this.logger.info('account: signed out');
    this.emit();
    return this.state();
  }

  async setInsecureStorage(allowed: boolean): Promise<AccountState> {
    this.vault.setInsecureStorageAllowed(allowed);
    this.logger.info('account: plaintext storage ' + (allowed ? 'allowed' : 'refused'), {
      storage: this.vault.mode(),
    });
    this.emit();
    return this.state();
  }

  // ---------------------------------------------------------------------------------------------------------
  // CloudAuth

  isSignedIn(): boolean {
    return this.vault.session()?.status === 'signedIn';
  }

  householdIds(): string[] {
    return this.isSignedIn() ? this.vault.households().flatMap((h) => (h.listed ? [h.id] : [])) : [];
  }

  /** The account's households as Sonos listed them (after sign-in, or a later refetch). */
  setHouseholds(list: { id: string; name: string | null }[]): void {
    this.vault.setHouseholds(list);
    this.emit();
  }

  async accessToken(): Promise<string> {
    const session = this.signedInSession();
    const fresh =
      session.accessToken !== null &&
      (session.expiresAt === null || session.expiresAt - this.clock.now() > EXPIRY_MARGIN_MS);
    if (fresh) return session.accessToken!;
    await this.refresh();
    return this.currentToken();
  }

  async refreshAfterRejection(rejected: string): Promise<string> {
    const session = this.signedInSession();
    // Someone refreshed since this token was sent: use the new one instead of refreshing again.
    if (session.accessToken !== null && session.accessToken !== rejected && !this.scheduler.refreshing)
      return session.accessToken;
    await this.refresh();
    return this.currentToken();
  }

  /** Refreshes now, or joins the refresh already running. */
  async refresh(): Promise<void> {
    this.signedInSession();
    await this.scheduler.refreshNow();
  }

  /** When the next automatic refresh is due (epoch ms). */
  get nextRefreshAt(): number | null {
    return this.scheduler.nextRefreshAt;
  }

  stop(): void {
    this.stopped = true;
    this.clearExpiryTimer();
    this.scheduler.stop();
    this.listeners.clear();
  }

  // ---------------------------------------------------------------------------------------------------------

  private status(): AccountStatus {
    if (this.flow !== 'idle') return this.flow;
    return this.vault.session()?.status ?? 'signedOut';
  }

  private signedInSession() {
    const session = this.vault.session();
    if (session?.status === 'signedIn') return session;
    if (session?.status === 'needsReauth')
      throw new AppError('needs-reauth', reauthMessage(session.reason), { retryable: false });
    throw new AppError(
      'not-signed-in',
      'Sign in to your Sonos account to control speakers through the cloud.',
    );
  }

  private currentToken(): string {
    const token = this.signedInSession().accessToken;
    if (!token)
      throw new AppError('unexpected', 'Sonos did not give a usable sign-in. Try again.', {
        retryable: true,
      });
    return token;
  }

  /** The scheduler's refresh: one token request, and the account's reaction to its answer. */
  private async refreshTokens(): Promise<number | null> {
    const session = this.signedInSession();
    const client = this.vault.client();
    if (!session.refreshToken || !client.clientId || !client.clientSecret) {
      this.vault.requireReauth('not-carried-over');
      this.emit();
      throw new AppError('needs-reauth', reauthMessage('not-carried-over'));
    }
    try {
      const tokens = await this.options.tokenClient.refresh(
        { clientId: client.clientId, clientSecret: client.clientSecret },
        session.refreshToken,
      );
      if (this.vault.session()?.refreshToken !== session.refreshToken) {
        // Signed out or signed in afresh while this ran: these tokens belong to nobody now.
        this.logger.info('account: discarded a refresh that finished after the session changed');
        return this.vault.session()?.expiresAt ?? null;
      }
      this.vault.saveTokens(tokens);
      this.logger.info('account: tokens refreshed', { expiresAt: new Date(tokens.expiresAt).toISOString() });
      this.emit();
      return tokens.expiresAt;
    } catch (error) {
      if (
        error instanceof TokenError &&
        error.refused &&
        this.vault.session()?.refreshToken === session.refreshToken
      ) {
        this.vault.requireReauth('refused');
        this.scheduler.stop();
        this.error = error.toPayload();
        this.logger.warn('account: Sonos refused the refresh; the user must sign in again', {
          error: error.oauthError,
        });
        this.emit();
      }
      throw error;
    }
  }

  private expire(flowId: number): void {
    if (flowId !== this.flowId || this.flow !== 'awaitingBrowser') return;
    this.pending.retireAll('expired');
    this.expiryTimer = null;
    this.flow = 'idle';
    this.flowId += 1;
    this.error = payload('auth-timeout', TIMEOUT_MESSAGE, true, {
      technical: 'no answer from the browser within 7 minutes; the sign-in request expired',
    });
    this.logger.info('account: sign-in expired');
    this.emit();
  }

  private endFlow(reason: 'cancelled' | 'replaced'): void {
    this.pending.retireAll(reason);
    this.clearExpiryTimer();
    this.flow = 'idle';
    this.flowId += 1;
  }

  private clearExpiryTimer(): void {
    if (this.expiryTimer) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const state = this.state();
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch (error) {
        this.logger.warn('account: a state listener failed', { error });
      }
    }
  }
}

/** Sonos accepts only https redirect addresses; the custom scheme is where the bounce page forwards to. */
export function checkRedirectUri(text: string): string {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new AppError(
      'invalid-request',
      'Enter the full https:// address you registered as the redirect URI.',
    );
  }
  if (url.protocol === `${CALLBACK_SCHEME}:`) {
    throw new AppError(
      'invalid-request',
      'Sonos needs an https:// redirect address: host the bounce page and enter its address here.',
    );
  }
  if (url.protocol !== 'https:')
    throw new AppError(
      'invalid-request',
      'The redirect address must start with https:// (Sonos requires it).',
    );
  return trimmed;
}
