/**
 * The Sonos Control REST API (the cloud path), on undici through an injected requester: households, groups,
 * group and player volume, playback and metadata — the same intents as the local socket. A 401 refreshes the
 * token (one refresh shared by every caller) and retries once; a renewed token refused again means signing in again
 * (`needs-reauth`, and that token is not renewed again). A 410 says a group id went stale and is handed to
 * the caller, which refetches groups and retries once (`CloudTransport`). Error bodies come in many shapes
 * (`{errorCode, reason}`, `{errorCode}`, an API-gateway `fault`, OAuth's `{error}`, HTML); whatever is not
 * understood is an "unexpected error", never a crash.
 */
import * as v from 'valibot';
import type { PlaybackAction } from '../../../contract/ipc';
import type { ErrorCode } from '../../../contract/model';
import type { CloudAuth } from '../../account/account-manager';
import { AppError } from '../../errors';
import {
  describeResponse,
  toRequestFailure,
  type HttpRequester,
  type HttpResponse,
} from '../../http-requester';
import type { Logger } from '../../logger';
import type { SonosPlayModes } from '../../commands/command';
import {
  FavoritesBodySchema,
  GroupsBodySchema,
  MetadataStatusBodySchema,
  PlaybackStatusBodySchema,
  PlaylistsBodySchema,
  VolumeBodySchema,
} from '../local/frames';

export type GroupsBody = v.InferOutput<typeof GroupsBodySchema>;
export type VolumeBody = v.InferOutput<typeof VolumeBodySchema>;
export type PlaybackStatusBody = v.InferOutput<typeof PlaybackStatusBodySchema>;
export type MetadataStatusBody = v.InferOutput<typeof MetadataStatusBodySchema>;
export type FavoritesBody = v.InferOutput<typeof FavoritesBodySchema>;
export type PlaylistsBody = v.InferOutput<typeof PlaylistsBodySchema>;

const HouseholdsBodySchema = v.looseObject({
  households: v.array(
    v.looseObject({
      id: v.pipe(v.union([v.string(), v.number()]), v.transform(String)),
      name: v.optional(v.string()),
    }),
  ),
});

/** A cloud request that failed, with the HTTP status and Sonos' `errorCode` for callers that react to them. */
export class CloudError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
    options: ConstructorParameters<typeof AppError>[2] = {},
  ) {
    super(code, message, options);
    this.name = 'CloudError';
  }

  get gone(): boolean {
    return this.status === 410;
  }
}

export interface CloudClientOptions {
  apiBase: string;
  auth: CloudAuth;
  requester: HttpRequester;
  logger: Logger;
  timeoutMs?: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sonos' error code and reason from any of the body shapes seen in the wild; nulls when there is none. */
export function readCloudError(body: unknown): { errorCode: string | null; reason: string | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { errorCode: null, reason: null };
  const record = body as Record<string, unknown>;
  const text = (value: unknown): string | null =>
    typeof value === 'string' && value.length > 0 ? value.slice(0, 512) : null;
  if (text(record.errorCode)) return { errorCode: text(record.errorCode), reason: text(record.reason) };
  if (text(record.error)) return { errorCode: text(record.error), reason: text(record.error_description) };
  const fault = record.fault;
  if (typeof fault === 'object' && fault !== null) {
    const f = fault as Record<string, unknown>;
    const detail = (typeof f.detail === 'object' && f.detail !== null ? f.detail : {}) as Record<
      string,
      unknown
    >;
    return { errorCode: text(detail.errorcode) ?? 'fault', reason: text(f.faultstring) };
  }
  return { errorCode: null, reason: null };
}

export class CloudClient {
  private readonly timeoutMs: number;
  private readonly apiBase: string;
  /** A token Sonos refused right after it was renewed: not sent, and not renewed, again. */
  private turnedDown: string | null = null;

  constructor(private readonly options: CloudClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.apiBase = options.apiBase.replace(/\/+$/, '');
  }

  async households(): Promise<{ id: string; name: string | null }[]> {
    const body = await this.get('/households', HouseholdsBodySchema);
    return body.households.map((h) => ({ id: h.id, name: h.name?.trim().slice(0, 256) || null }));
  }

  groups(householdId: string): Promise<GroupsBody> {
    return this.get(`/households/${enc(householdId)}/groups`, GroupsBodySchema);
  }

  groupVolume(groupId: string): Promise<VolumeBody> {
    return this.get(`/groups/${enc(groupId)}/groupVolume`, VolumeBodySchema);
  }

  setGroupVolume(groupId: string, volume: number): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/groupVolume`, { volume });
  }

  adjustGroupVolume(groupId: string, volumeDelta: number): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/groupVolume/relative`, { volumeDelta });
  }

  setGroupMute(groupId: string, muted: boolean): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/groupVolume/mute`, { muted });
  }

  playback(groupId: string, action: PlaybackAction): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/playback/${action}`, {});
  }

  playbackStatus(groupId: string): Promise<PlaybackStatusBody> {
    return this.get(`/groups/${enc(groupId)}/playback`, PlaybackStatusBodySchema);
  }

  metadata(groupId: string): Promise<MetadataStatusBody> {
    return this.get(`/groups/${enc(groupId)}/playbackMetadata`, MetadataStatusBodySchema);
  }

  playerVolume(playerId: string): Promise<VolumeBody> {
    return this.get(`/players/${enc(playerId)}/playerVolume`, VolumeBodySchema);
  }

  setPlayerVolume(playerId: string, volume: number): Promise<void> {
    return this.post(`/players/${enc(playerId)}/playerVolume`, { volume });
  }

  adjustPlayerVolume(playerId: string, volumeDelta: number): Promise<void> {
    return this.post(`/players/${enc(playerId)}/playerVolume/relative`, { volumeDelta });
  }

  setPlayerMute(playerId: string, muted: boolean): Promise<void> {
    return this.post(`/players/${enc(playerId)}/playerVolume/mute`, { muted });
  }

  // Rooms and music: paths and bodies as in Sonos' OpenAPI description of the Control API.

  setPlayModes(groupId: string, playModes: SonosPlayModes): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/playback/playMode`, { playModes });
  }

  seek(groupId: string, positionMillis: number): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/playback/seek`, { positionMillis });
  }

  seekRelative(groupId: string, deltaMillis: number): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/playback/seekRelative`, { deltaMillis });
  }

  modifyGroupMembers(groupId: string, playerIdsToAdd: string[], playerIdsToRemove: string[]): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/groups/modifyGroupMembers`, {
      playerIdsToAdd,
      playerIdsToRemove,
    });
  }

  setGroupMembers(groupId: string, playerIds: string[]): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/groups/setGroupMembers`, { playerIds });
  }

  createGroup(householdId: string, playerIds: string[], musicContextGroupId?: string): Promise<void> {
    return this.post(`/households/${enc(householdId)}/groups/createGroup`, {
      playerIds,
      ...(musicContextGroupId !== undefined ? { musicContextGroupId } : {}),
    });
  }

  favorites(householdId: string): Promise<FavoritesBody> {
    return this.get(`/households/${enc(householdId)}/favorites`, FavoritesBodySchema);
  }

  playlists(householdId: string): Promise<PlaylistsBody> {
    return this.get(`/households/${enc(householdId)}/playlists`, PlaylistsBodySchema);
  }

  /** `body` is `{favoriteId, action, playOnCompletion}` (see `loadBody`). */
  loadFavorite(groupId: string, body: Record<string, unknown>): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/favorites`, body);
  }

  loadPlaylist(groupId: string, body: Record<string, unknown>): Promise<void> {
    return this.post(`/groups/${enc(groupId)}/playlists`, body);
  }

  // ---------------------------------------------------------------------------------------------------------

  private async get<S extends v.GenericSchema>(path: string, schema: S): Promise<v.InferOutput<S>> {
    const response = await this.call('GET', path);
    const parsed = v.safeParse(schema, parseJson(response.text));
    if (!parsed.success) {
      this.options.logger.warn('cloud: answer of unexpected shape', {
        path,
        answer: describeResponse(response),
      });
      throw unexpected(
        `${describeResponse(response)}: not the expected answer for GET ${path}`,
        response.status,
      );
    }
    return parsed.output;
  }

  /** Commands answer `{}`; an empty 2xx body is accepted too (the command was taken; polling shows the rest). */
  private async post(path: string, body: Record<string, unknown>): Promise<void> {
    await this.call('POST', path, JSON.stringify(body));
  }

  private async call(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpResponse> {
    const { auth, logger } = this.options;
    let token = await auth.accessToken();
    if (token === this.turnedDown) throw turnedDown(method, path, null, null);
    let response = await this.send(method, path, token, body);
    if (response.status === 401) {
      const { errorCode } = readCloudError(parseJson(response.text));
      logger.info('cloud: token rejected; refreshing once', { path, errorCode });
      token = await auth.refreshAfterRejection(token);
      response = await this.send(method, path, token, body);
      if (response.status === 401) {
        // Renewed and still refused (access withdrawn in the Sonos app, say): renewing again would not help.
        this.turnedDown = token;
        const again = readCloudError(parseJson(response.text));
        logger.warn('cloud: a renewed token was turned down', { path, errorCode: again.errorCode });
        throw turnedDown(method, path, response, again.errorCode);
      }
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw this.failure(method, path, response);
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: string,
  ): Promise<HttpResponse> {
    const started = Date.now();
    try {
      const response = await this.options.requester({
        method,
        url: this.apiBase + path,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        timeoutMs: this.timeoutMs,
      });
      this.options.logger.debug('cloud request', {
        method,
        path,
        status: response.status,
        ms: Date.now() - started,
      });
      return response;
    } catch (error) {
      const failure = toRequestFailure(error);
      this.options.logger.warn('cloud request failed', {
        method,
        path,
        failure: failure.kind,
        technical: failure.technical,
      });
      if (failure.kind === 'timeout') {
        throw new CloudError('timeout', 'Sonos did not answer in time.', null, null, {
          retryable: true,
          maybeDelivered: true,
          details: { technical: `${method} ${path}: ${failure.technical}` },
        });
      }
      throw new CloudError(
        'unreachable',
        'Could not reach Sonos. Check your internet connection.',
        null,
        null,
        {
          retryable: true,
          details: { technical: `${method} ${path}: ${failure.kind} ${failure.technical}` },
        },
      );
    }
  }

  private failure(method: string, path: string, response: HttpResponse): CloudError {
    const { errorCode, reason } = readCloudError(parseJson(response.text));
    const status = response.status;
    const details = {
      code: errorCode,
      description: reason,
      technical: `${method} ${path}: ${describeResponse(response)}`,
    };
    this.options.logger.warn('cloud: request refused', { method, path, status, errorCode });
    if (status === 410)
      return new CloudError('not-found', 'That group has changed. Try again.', status, errorCode, {
        retryable: true,
        details,
      });
    if (errorCode === null || status >= 500 || status === 429)
      return new CloudError(
        'unexpected',
        'Sonos answered with an unexpected error. Try again.',
        status,
        errorCode,
        {
          retryable: true,
          details,
        },
      );
    if (errorCode === 'ERROR_DISALLOWED_BY_POLICY')
      return new CloudError('not-allowed', 'What is playing does not allow that.', status, errorCode, {
        details,
      });
    if (status === 403 || errorCode === 'ERROR_NO_PERMISSION')
      return new CloudError(
        'refused',
        'Sonos does not allow this account to control that.',
        status,
        errorCode,
        { details },
      );
    if (status === 404)
      return new CloudError(
        'not-found',
        'Sonos does not know that speaker or group any more.',
        status,
        errorCode,
        {
          retryable: true,
          details,
        },
      );
    return new CloudError('invalid-request', 'Sonos did not accept that command.', status, errorCode, {
      details,
    });
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function turnedDown(
  method: string,
  path: string,
  response: HttpResponse | null,
  errorCode: string | null,
): CloudError {
  return new CloudError(
    'needs-reauth',
    'Sonos no longer accepts this sign-in. Sign in again.',
    response?.status ?? 401,
    errorCode,
    {
      details: {
        code: errorCode,
        technical: `${method} ${path}: ${response ? describeResponse(response) : 'token already turned down'}`,
      },
    },
  );
}

function unexpected(technical: string, status: number): CloudError {
  return new CloudError('unexpected', 'Sonos answered with an unexpected error. Try again.', status, null, {
    retryable: true,
    details: { technical },
  });
}
