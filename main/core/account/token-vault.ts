/**
 * Where the account's secrets and records live: inside the data store's `account` field, as a versioned record of
 * its own. Secrets (access and refresh token, client secret) are always kept in memory and written only sealed by
 * the injected `SecretStorage`; where that storage only obscures (Linux `basic_text`) or does not exist, they are
 * written only after the user opts in, and otherwise stay in memory for this run.
 *
 * Loading upgrades older layouts one record at a time, saving after each, so an interruption never loses or
 * doubles a record: the 0.0.x prototype's plaintext client secret and tokens are sealed (or, when they cannot be
 * carried over, kept as a record with a blank token marked "sign in again"), and its household nicknames are
 * moved over without ever overwriting a nickname already set here.
 */
import * as v from 'valibot';
import type { AccountState } from '../../contract/model';
import type { Logger } from '../logger';
import { storagePolicy, type SecretStorage } from './secret-storage';
import type { TokenSet } from './token-client';

export const ACCOUNT_RECORD_VERSION = 1;

export type SessionStatus = 'signedIn' | 'needsReauth';
/** Why a session needs the user: its refresh was refused, or its tokens could not be carried over. */
export type ReauthReason = 'refused' | 'not-carried-over';

export interface Session {
  status: SessionStatus;
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: number | null;
  scope: string | null;
  reason: ReauthReason | null;
}

export interface HouseholdRecord {
  id: string;
  /** The name Sonos reports, if any. */
  name: string | null;
  /** The name the user chose; only the user changes it. */
  nickname: string | null;
  /** In the account's latest household list from Sonos (a record kept only for its nickname is not). */
  listed: boolean;
}

export interface ClientRecord {
  clientId: string | null;
  redirectUri: string | null;
  clientSecret: string | null;
}

interface AccountStore {
  account: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// The record on disk

const SealedSchema = v.object({
  via: v.picklist(['sealed', 'plain']),
  /** What sealed it (`SecretStorage.backend()`), so a better backend later can re-seal it. */
  backend: v.nullable(v.string()),
  data: v.pipe(v.string(), v.maxLength(65_536)),
});
type Sealed = v.InferOutput<typeof SealedSchema>;

const Text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const NicknameSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64));

const ClientSchema = v.object({
  clientId: v.optional(v.nullable(Text(256)), null),
  redirectUri: v.optional(v.nullable(Text(2048)), null),
  secret: v.optional(v.nullable(SealedSchema), null),
});

const SessionSchema = v.object({
  status: v.picklist(['signedIn', 'needsReauth']),
  accessToken: v.nullable(SealedSchema),
  refreshToken: v.nullable(SealedSchema),
  expiresAt: v.nullable(v.number()),
  scope: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(512))), null),
  reason: v.optional(v.nullable(v.picklist(['refused', 'not-carried-over'])), null),
});

const HouseholdSchema = v.object({
  name: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(256))), null),
  nickname: v.optional(v.nullable(NicknameSchema), null),
  listed: v.optional(v.boolean(), true),
});

interface AccountRecord {
  version: number;
  insecureStorageAllowed: boolean;
  client: v.InferOutput<typeof ClientSchema>;
  session: v.InferOutput<typeof SessionSchema> | null;
  households: Record<string, v.InferOutput<typeof HouseholdSchema>>;
  /** Prototype fields not upgraded yet (only while an upgrade is under way). */
  legacy?: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------

export interface TokenVaultOptions {
  store: AccountStore;
  storage: SecretStorage;
  logger: Logger;
}

export class TokenVault {
  private readonly storage: SecretStorage;
  private readonly logger: Logger;
  private insecureAllowed = false;
  private clientRecord: ClientRecord = { clientId: null, redirectUri: null, clientSecret: null };
  private sessionRecord: Session | null = null;
  private householdRecords = new Map<string, Omit<HouseholdRecord, 'id'>>();
  /** Sealed forms of secrets we hold, so saving does not re-encrypt (and re-ask the keyring) every time. */
  private readonly sealed = new Map<string, Sealed>();
  /** Prototype fields still to upgrade; emptied one record at a time. */
  private legacy: Record<string, unknown> | null = null;

  constructor(private readonly options: TokenVaultOptions) {
    this.storage = options.storage;
    this.logger = options.logger;
    this.load();
  }

  // ---- reading ----

  get policy(): 'encrypted' | 'insecure' {
    return storagePolicy(this.storage);
  }

  /** Where secrets live right now, as the UI says it. */
  mode(): AccountState['storage'] {
    if (this.policy === 'encrypted') return 'encrypted';
    return this.insecureAllowed ? 'plaintext' : 'memory';
  }

  canEncrypt(): boolean {
    return this.policy === 'encrypted';
  }

  insecureStorageAllowed(): boolean {
    return this.insecureAllowed;
  }

  client(): ClientRecord {
    return { ...this.clientRecord };
  }

  session(): Session | null {
    return this.sessionRecord ? { ...this.sessionRecord } : null;
  }

  households(): HouseholdRecord[] {
    return [...this.householdRecords].map(([id, record]) => ({ id, ...record }));
  }

  // ---- writing ----

  /** A new integration: a different client id invalidates the session (tokens belong to one client). */
  setClient(client: { clientId: string; redirectUri: string; clientSecret?: string | undefined }): void {
    const changed = this.clientRecord.clientId !== null && this.clientRecord.clientId !== client.clientId;
    this.clientRecord = {
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      clientSecret: client.clientSecret ?? (changed ? null : this.clientRecord.clientSecret),
    };
    this.logger.addSecret(this.clientRecord.clientSecret);
    if (changed) this.sessionRecord = null;
    this.save();
  }

  saveTokens(tokens: TokenSet): void {
    this.logger.addSecret(tokens.accessToken);
    this.logger.addSecret(tokens.refreshToken);
    this.sessionRecord = {
      status: 'signedIn',
      accessToken: tokens.accessToken,
      // A refresh may not hand out a new refresh token: keep the newest one we have.
      refreshToken: tokens.refreshToken ?? this.sessionRecord?.refreshToken ?? null,
      expiresAt: tokens.expiresAt,
      scope: tokens.scope,
      reason: null,
    };
    this.save();
  }

  /** Manual re-authorisation: tokens go, everything else (client, households, nicknames) stays. */
  requireReauth(reason: ReauthReason): void {
    this.sessionRecord = {
      status: 'needsReauth',
      accessToken: null,
      refreshToken: null,
      expiresAt: null,
      scope: this.sessionRecord?.scope ?? null,
      reason,
    };
    this.save();
  }

  clearSession(): void {
    this.sessionRecord = null;
    this.save();
  }

  /** The CLI's logout: its secret came from the environment and is not kept once signed out. */
  forgetClientSecret(): void {
    this.clientRecord = { ...this.clientRecord, clientSecret: null };
    this.save();
  }

  /** The account's households as Sonos lists them; names follow Sonos, nicknames are never touched. */
  setHouseholds(list: { id: string; name: string | null }[]): void {
    const next = new Map<string, Omit<HouseholdRecord, 'id'>>();
    for (const { id, name } of list)
      next.set(id, { name, nickname: this.householdRecords.get(id)?.nickname ?? null, listed: true });
    // A household that disappeared keeps its record if the user named it, so the name is there when it returns.
    for (const [id, record] of this.householdRecords)
      if (!next.has(id) && record.nickname) next.set(id, { ...record, listed: false });
    this.householdRecords = next;
    this.save();
  }

  setNickname(householdId: string, nickname: string | null): void {
    const record = this.householdRecords.get(householdId) ?? { name: null, nickname: null, listed: false };
    record.nickname = nickname === null ? null : v.parse(NicknameSchema, nickname);
    this.householdRecords.set(householdId, record);
    this.save();
  }

  setInsecureStorageAllowed(allowed: boolean): void {
    this.insecureAllowed = allowed;
    this.save();
  }

  // ---- persistence ----

  private load(): void {
    const raw = this.options.store.account;
    if (raw !== null && raw !== undefined && !isRecord(raw))
      this.logger.warn('account: record unreadable; starting empty');
    const source = isRecord(raw) ? raw : {};
    // A record without a version is what the data store's v0 migration leaves: `{legacy}` and nothing else.
    const version = typeof source.version === 'number' ? source.version : ACCOUNT_RECORD_VERSION;
    if (version > ACCOUNT_RECORD_VERSION)
      this.logger.info('account: record from a newer version; reading what is known', { version });
    const dropped: string[] = [];
    const part = <T>(name: string, schema: v.GenericSchema<unknown, T>, value: unknown, fallback: T): T => {
      if (value === undefined) return fallback;
      const parsed = v.safeParse(schema, value);
      if (parsed.success) return parsed.output;
      dropped.push(name);
      return fallback;
    };

    this.insecureAllowed = source.insecureStorageAllowed === true;
    const client = part('client', ClientSchema, source.client, {
      clientId: null,
      redirectUri: null,
      secret: null,
    });
    this.clientRecord = {
      clientId: client.clientId,
      redirectUri: client.redirectUri,
      clientSecret: client.secret ? this.unseal(client.secret, 'client secret') : null,
    };
    const session = part('session', v.nullable(SessionSchema), source.session, null);
    if (session) this.sessionRecord = this.restoreSession(session);
    if (isRecord(source.households)) {
      for (const [id, value] of Object.entries(source.households)) {
        const household = part(`household ${id.slice(0, 40)}`, HouseholdSchema, value, null);
        if (household && id.length > 0 && id.length <= 256) this.householdRecords.set(id, { ...household });
      }
    }
    if (dropped.length > 0) this.logger.warn('account: dropped unreadable parts of the record', { dropped });
    this.legacy = isRecord(source.legacy) ? structuredClone(source.legacy) : null;
    for (const secret of [
      this.clientRecord.clientSecret,
      this.sessionRecord?.accessToken,
      this.sessionRecord?.refreshToken,
    ])
      this.logger.addSecret(secret);

    this.migrateLegacy();
    // Re-seal what an older policy wrote (plaintext from an opt-in, a weaker backend) and drop what was unreadable.
    if (JSON.stringify(this.serialise()) !== JSON.stringify(raw ?? null)) this.save();
  }

  private restoreSession(s: v.InferOutput<typeof SessionSchema>): Session | null {
    const accessToken = s.accessToken ? this.unseal(s.accessToken, 'access token') : null;
    const refreshToken = s.refreshToken ? this.unseal(s.refreshToken, 'refresh token') : null;
    const lost =
      (s.accessToken !== null && accessToken === null) || (s.refreshToken !== null && refreshToken === null);
    if (s.status === 'signedIn' && refreshToken !== null && !lost) {
      return {
        status: 'signedIn',
        accessToken,
        refreshToken,
        expiresAt: s.expiresAt,
        scope: s.scope,
        reason: null,
      };
    }
    if (s.status === 'signedIn' && s.accessToken === null && s.refreshToken === null) {
      // Saved without tokens: it was a memory-only session, and it ended with the last run.
      return null;
    }
    // Tokens that cannot be read here (another keyring, a reinstalled OS) or a refused refresh: sign in again.
    return {
      status: 'needsReauth',
      accessToken: null,
      refreshToken: null,
      expiresAt: null,
      scope: s.scope,
      reason: s.status === 'needsReauth' ? (s.reason ?? 'refused') : 'not-carried-over',
    };
  }

  private migrateLegacy(): void {
    const legacy = this.legacy;
    if (!legacy) return;
    let step: string | null;
    while ((step = this.migrateOneLegacyRecord(legacy)) !== null) {
      this.logger.info('account: upgraded a record from the prototype', { record: step });
      this.save();
    }
    this.legacy = null;
    this.save();
  }

  /** Moves one prototype record over and removes it from `legacy`; null when nothing is left. */
  private migrateOneLegacyRecord(legacy: Record<string, unknown>): string | null {
    if ('clientId' in legacy || 'clientSecret' in legacy || 'redirectUri' in legacy) {
      const clientId = v.safeParse(Text(256), legacy.clientId);
      const redirectUri = v.safeParse(Text(2048), legacy.redirectUri);
      const secret = v.safeParse(Text(512), legacy.clientSecret);
      const current = this.clientRecord;
      // Only fill what this version does not have yet: newer settings win over the prototype's.
      if (current.clientId === null && clientId.success) {
        current.clientId = clientId.output;
        if (current.redirectUri === null && redirectUri.success) current.redirectUri = redirectUri.output;
        if (current.clientSecret === null && secret.success) {
          if (this.canWriteSecrets()) {
            current.clientSecret = secret.output;
            this.logger.addSecret(secret.output);
          } else {
            this.logger.warn('account: the stored client secret cannot be kept safely; enter it again');
          }
        }
      }
      delete legacy.clientId;
      delete legacy.clientSecret;
      delete legacy.redirectUri;
      return 'client';
    }
    const account = isRecord(legacy.account) ? legacy.account : null;
    if (account && ('accessToken' in account || 'refreshToken' in account || 'expiresAt' in account)) {
      const access = v.safeParse(Text(8192), account.accessToken);
      const refresh = v.safeParse(Text(8192), account.refreshToken);
      const expiresAt = typeof account.expiresAt === 'number' ? account.expiresAt : null;
      if (this.sessionRecord === null && (access.success || refresh.success)) {
        if (refresh.success && this.canWriteSecrets() && this.clientRecord.clientId !== null) {
          this.logger.addSecret(access.success ? access.output : null);
          this.logger.addSecret(refresh.output);
          this.sessionRecord = {
            status: 'signedIn',
            accessToken: access.success ? access.output : null,
            refreshToken: refresh.output,
            expiresAt,
            scope: null,
            reason: null,
          };
        } else {
          // Kept as a record with a blank token: the user signs in again (manual re-authorisation).
          this.sessionRecord = {
            status: 'needsReauth',
            accessToken: null,
            refreshToken: null,
            expiresAt: null,
            scope: null,
            reason: 'not-carried-over',
          };
        }
      }
      delete account.accessToken;
      delete account.refreshToken;
      delete account.expiresAt;
      return 'session';
    }
    if (account && Array.isArray(account.households) && account.households.length > 0) {
      const item: unknown = account.households.shift();
      if (isRecord(item) && typeof item.id === 'string' && item.id.length > 0 && item.id.length <= 256) {
        const existing = this.householdRecords.get(item.id);
        const nickname = v.safeParse(NicknameSchema, item.nickname);
        const name = typeof item.name === 'string' ? item.name.slice(0, 256) : null;
        this.householdRecords.set(item.id, {
          name: existing?.name ?? name,
          // Never overwrite a nickname the user already set.
          nickname: existing?.nickname ?? (nickname.success ? nickname.output : null),
          // Until Sonos lists the account's households again, the prototype's list is the best we know.
          listed: existing?.listed ?? true,
        });
      }
      return 'household';
    }
    if ('account' in legacy) {
      const left = account
        ? Object.keys(account).filter((key) => !(key === 'households' && Array.isArray(account.households)))
        : ['account'];
      delete legacy.account;
      if (left.length > 0) this.logger.info('account: dropped unknown prototype fields', { fields: left });
      return 'account';
    }
    const left = Object.keys(legacy);
    if (left.length > 0) {
      for (const key of left) delete legacy[key];
      this.logger.info('account: dropped unknown prototype fields', { fields: left });
      return 'unknown fields';
    }
    return null;
  }

  private canWriteSecrets(): boolean {
    return this.policy === 'encrypted' || this.insecureAllowed;
  }

  private seal(text: string): Sealed | null {
    if (!this.canWriteSecrets()) return null;
    let backend: string | null = null;
    try {
      if (this.storage.isEncryptionAvailable()) {
        backend = this.storage.backend();
        // Sealing is not always deterministic and may ask the OS keyring: reuse what this backend sealed.
        const cached = this.sealed.get(text);
        if (cached?.via === 'sealed' && cached.backend === backend) return cached;
        const sealed: Sealed = {
          via: 'sealed',
          backend,
          data: this.storage.encrypt(text).toString('base64'),
        };
        this.sealed.set(text, sealed);
        return sealed;
      }
    } catch (error) {
      this.logger.warn('account: sealing a secret failed', { error, backend });
      // Never fall back to plaintext where the user was promised encryption.
      if (this.policy === 'encrypted') return null;
    }
    return { via: 'plain', backend: null, data: text };
  }

  private unseal(sealed: Sealed, what: string): string | null {
    if (sealed.via === 'plain') return sealed.data;
    try {
      const text = this.storage.decrypt(Buffer.from(sealed.data, 'base64'));
      this.sealed.set(text, sealed);
      return text;
    } catch (error) {
      this.logger.warn(`account: the stored ${what} cannot be read here`, { error, backend: sealed.backend });
      return null;
    }
  }

  private serialise(): AccountRecord {
    const session = this.sessionRecord;
    // Every id an own property, whatever it is called (`Object.fromEntries` defines `__proto__`, never assigns it).
    const households: AccountRecord['households'] = Object.fromEntries(
      [...this.householdRecords].map(([id, record]) => [id, { ...record }]),
    );
    const persistSession = session !== null && (session.status === 'needsReauth' || this.canWriteSecrets());
    const record: AccountRecord = {
      version: ACCOUNT_RECORD_VERSION,
      insecureStorageAllowed: this.insecureAllowed,
      client: {
        clientId: this.clientRecord.clientId,
        redirectUri: this.clientRecord.redirectUri,
        secret: this.clientRecord.clientSecret ? this.seal(this.clientRecord.clientSecret) : null,
      },
      session:
        persistSession && session
          ? {
              status: session.status,
              accessToken: session.accessToken ? this.seal(session.accessToken) : null,
              refreshToken: session.refreshToken ? this.seal(session.refreshToken) : null,
              expiresAt: session.expiresAt,
              scope: session.scope,
              reason: session.reason,
            }
          : null,
      households,
    };
    if (this.legacy && Object.keys(this.legacy).length > 0) record.legacy = this.legacy;
    return record;
  }

  private save(): void {
    this.options.store.account = this.serialise();
    const held = new Set([
      this.clientRecord.clientSecret,
      this.sessionRecord?.accessToken,
      this.sessionRecord?.refreshToken,
    ]);
    for (const text of [...this.sealed.keys()]) if (!held.has(text)) this.sealed.delete(text);
  }
}
