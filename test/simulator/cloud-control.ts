/**
 * The simulated Control REST API (`/control/api/v1`): the same household as the players, so cloud commands cause
 * the same local events. Paths and bodies follow Sonos' OpenAPI description (v2.0.0); `homeTheater` is not in it,
 * so it is not here either. Stale, moved or unknown group ids answer 410 with the captured body; unknown routes,
 * players and households 404. Commands wait for the same hold-back as local ones.
 */
import type { ServerResponse } from 'node:http';
import type { CloudDeps } from './cloud-server';
import {
  favoritesBody,
  groupInfoBody,
  groupVolumeBody,
  groupsBody,
  metadataStatusBody,
  playbackStatusBody,
  playerSetErrorBody,
  playerVolumeBody,
  playlistSummaryBody,
  playlistsBody,
  type Json,
  type JsonObject,
  type Namespace,
} from './frames';
import {
  IncompatiblePlayersError,
  InvalidPlayersError,
  PLAYBACK_ACTIONS,
  type PlaybackAction,
  type SimGroup,
} from './household';
import { validateMusicBody } from './local-music-commands';
import type { QueueAction } from './music-engine';
import { actionsOf, type PlayModes } from './sessions';
import type { TimerSet } from './timers';

/** The captured 410 body: only errorCode (cloud/error_410_resource_gone.json). */
export const RESOURCE_GONE_BODY = '{"errorCode":"ERROR_RESOURCE_GONE"}';

type Answer = (status: number, payload: unknown) => void;

export class CloudControl {
  constructor(
    private readonly deps: CloudDeps,
    private readonly timers: TimerSet,
    private readonly later: (fn: () => void) => void,
  ) {}

  handle(
    method: string,
    path: string,
    rawBody: string,
    res: ServerResponse,
    sendJson: (res: ServerResponse, status: number, payload: unknown) => void,
  ): void {
    const household = this.deps.household;
    const frames = this.deps.frames;
    const ok: Answer = (status, payload) => this.later(() => sendJson(res, status, payload));
    const notFound = () =>
      ok(404, { errorCode: 'ERROR_RESOURCE_NOT_FOUND', reason: `No route ${method} ${path}` });
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [collection, id, resource, sub] = segments;

    if (collection === 'households' && segments.length === 1 && method === 'GET') {
      return ok(200, { households: [{ id: household.householdId }] });
    }
    if (collection === 'households' && id !== undefined && resource !== undefined) {
      if (id !== household.householdId)
        return ok(404, { errorCode: 'ERROR_RESOURCE_NOT_FOUND', reason: 'Unknown household' });
      if (method === 'GET' && segments.length === 3) {
        if (resource === 'groups') return ok(200, groupsBody(frames, { rest: true }));
        if (resource === 'favorites') return ok(200, favoritesBody(frames));
        if (resource === 'playlists') return ok(200, playlistsBody(frames));
      }
      if (method === 'GET' && resource === 'playlists' && sub !== undefined && segments.length === 4) {
        const summary = playlistSummaryBody(frames, sub);
        return summary
          ? ok(200, summary)
          : ok(404, { errorCode: 'ERROR_INVALID_OBJECT_ID', reason: 'Unknown playlist' });
      }
      if (method === 'POST' && resource === 'groups' && sub === 'createGroup' && segments.length === 4) {
        return this.command('groups', 'createGroup', rawBody, ok, 'household', () =>
          this.groupCommand(null, 'createGroup', rawBody, ok),
        );
      }
      return notFound();
    }
    if (collection === 'groups' && id !== undefined && resource !== undefined && segments.length <= 4) {
      const lookup = household.lookupGroup(id);
      // The cloud knows only current ids; stale or moved ones are gone.
      if (lookup.status !== 'current') return this.later(() => sendJson(res, 410, RESOURCE_GONE_BODY));
      return this.groupRoute(lookup.group, method, resource, sub, rawBody, ok, notFound, () =>
        this.later(() => sendJson(res, 410, RESOURCE_GONE_BODY)),
      );
    }
    if (collection === 'players' && id !== undefined && resource === 'playerVolume' && segments.length <= 4) {
      const player = household.player(id);
      if (!player) return ok(404, { errorCode: 'ERROR_RESOURCE_NOT_FOUND', reason: 'Unknown player' });
      if (method === 'GET' && sub === undefined) return ok(200, playerVolumeBody(player));
      if (method !== 'POST') return notFound();
      return this.volumeCommand(`player:${id}`, sub, rawBody, ok, notFound, {
        set: (v) => household.setPlayerVolume(id, v),
        relative: (d) => household.setPlayerRelativeVolume(id, d),
        mute: (m) => household.setPlayerMute(id, m),
      });
    }
    return notFound();
  }

  private groupRoute(
    group: SimGroup,
    method: string,
    resource: string,
    sub: string | undefined,
    rawBody: string,
    ok: Answer,
    notFound: () => void,
    gone: () => void,
  ): void {
    const household = this.deps.household;
    const frames = this.deps.frames;
    const target = `group:${group.id}`;
    if (resource === 'groupVolume') {
      if (method === 'GET' && sub === undefined) return ok(200, groupVolumeBody(frames, group));
      if (method !== 'POST') return notFound();
      return this.volumeCommand(target, sub, rawBody, ok, notFound, {
        set: (v) => household.setGroupVolume(group.id, v),
        relative: (d) => household.setGroupRelativeVolume(group.id, d),
        mute: (m) => household.setGroupMute(group.id, m),
      });
    }
    if (resource === 'playbackMetadata' && method === 'GET' && sub === undefined)
      return ok(200, metadataStatusBody(frames, group));
    if (resource === 'playback' && method === 'GET' && sub === undefined)
      return ok(200, playbackStatusBody(frames, group));
    if (method !== 'POST') return notFound();
    // From here on: commands, run in the group's hold-back queue against the state at that moment.
    const run = (namespace: Namespace, command: string, act: (current: SimGroup, body: JsonObject) => void) =>
      this.command(namespace, command, rawBody, ok, target, (body) => {
        const current = household.group(group.id);
        if (!current) return gone();
        act(current, body);
      });
    if (
      resource === 'playback' &&
      sub !== undefined &&
      (PLAYBACK_ACTIONS as readonly string[]).includes(sub)
    ) {
      return run('playback', sub, (current) => {
        if (!household.playback(current.id, sub as PlaybackAction))
          return ok(400, { errorCode: 'ERROR_DISALLOWED_BY_POLICY', reason: 'Skip is not allowed' });
        ok(200, {});
      });
    }
    if (resource === 'playback' && sub === 'playMode') {
      return run('playback', 'setPlayModes', (current, body) => {
        const refused = household.music.setPlayModes(current, body['playModes'] as Partial<PlayModes>);
        if (refused)
          return ok(400, { errorCode: 'ERROR_DISALLOWED_BY_POLICY', reason: `${refused} is not allowed` });
        ok(200, {});
      });
    }
    if (resource === 'playback' && (sub === 'seek' || sub === 'seekRelative')) {
      return run('playback', sub, (current, body) => {
        if (body['itemId'] !== undefined)
          return ok(400, { errorCode: 'ERROR_INVALID_OBJECT_ID', reason: 'Invalid itemId' });
        if (!actionsOf(current.session).canSeek)
          return ok(400, { errorCode: 'ERROR_DISALLOWED_BY_POLICY', reason: 'Seek is not allowed' });
        const to =
          sub === 'seek'
            ? Number(body['positionMillis'])
            : household.position(current.session) + Number(body['deltaMillis']);
        household.music.seek(current, to);
        ok(200, {});
      });
    }
    if (resource === 'groups' && (sub === 'modifyGroupMembers' || sub === 'setGroupMembers')) {
      return run('groups', sub, (current) => this.groupCommand(current, sub, rawBody, ok));
    }
    if ((resource === 'favorites' || resource === 'playlists') && sub === undefined) {
      const favorite = resource === 'favorites';
      return run(resource, favorite ? 'loadFavorite' : 'loadPlaylist', (current, body) => {
        const library = household.library;
        const itemId = String(body[favorite ? 'favoriteId' : 'playlistId']);
        const playlist = favorite ? undefined : library.playlist(itemId);
        const content = favorite
          ? library.favorite(itemId)?.content
          : playlist && library.playlistContent(playlist);
        if (!content) return ok(400, { errorCode: 'ERROR_INVALID_OBJECT_ID', reason: `Unknown ${resource}` });
        const modes = body['playModes'];
        household.music.load(
          current,
          content,
          (body['action'] as QueueAction | undefined) ?? 'APPEND',
          body['playOnCompletion'] === true,
          isObject(modes) ? (modes as Partial<PlayModes>) : null,
        );
        ok(200, {});
      });
    }
    notFound();
  }

  /** Parses and validates a command's body as the players do, then runs it in `target`'s hold-back queue. */
  private command(
    namespace: Namespace,
    command: string,
    rawBody: string,
    ok: Answer,
    target: string,
    act: (body: JsonObject) => void,
  ): void {
    const body = parseBody(rawBody);
    if (!body) return ok(400, { errorCode: 'ERROR_INVALID_SYNTAX', reason: 'Body is not a JSON object' });
    const error = validateMusicBody(namespace, command, body);
    if (error) return ok(400, { errorCode: error.code, reason: error.reason });
    this.deps.queues.enqueue(target, true, () => act(body));
  }

  private groupCommand(group: SimGroup | null, command: string, rawBody: string, ok: Answer): void {
    const household = this.deps.household;
    const body = parseBody(rawBody) ?? {};
    try {
      let result: SimGroup;
      if (command === 'createGroup') {
        const from = body['musicContextGroupId'];
        if (typeof from === 'string' && !household.group(from))
          return ok(400, { errorCode: 'ERROR_INVALID_OBJECT_ID', reason: `Invalid groupId:${from}` });
        result = household.createGroup(
          strings(body['playerIds']),
          typeof from === 'string' ? from : undefined,
        );
      } else if (command === 'setGroupMembers') {
        result = household.setGroupMembers(group!.id, strings(body['playerIds']));
      } else {
        result = household.modifyGroupMembers(
          group!.id,
          strings(body['playerIdsToAdd']),
          strings(body['playerIdsToRemove']),
        );
      }
      // The OpenAPI description: playbackState comes only with getGroups, not in a groupInfo.
      ok(200, groupInfoBody(this.deps.frames, result));
    } catch (error) {
      if (error instanceof IncompatiblePlayersError)
        return ok(
          400,
          playerSetErrorBody(
            'ERROR_INVALID_PARAMETER',
            'Players run different software versions',
            error.playerIds,
          ),
        );
      if (!(error instanceof InvalidPlayersError)) throw error;
      ok(400, {
        errorCode: 'ERROR_INVALID_PARAMETER',
        reason: `Invalid value:playerIds ${error.playerIds.join(',')}`,
      });
    }
  }

  private volumeCommand(
    target: string,
    sub: string | undefined,
    rawBody: string,
    ok: Answer,
    notFound: () => void,
    apply: { set(v: number): void; relative(d: number): void; mute(m: boolean): void },
  ): void {
    const body = parseBody(rawBody);
    if (!body) return ok(400, { errorCode: 'ERROR_INVALID_SYNTAX', reason: 'Body is not a JSON object' });
    const field =
      sub === undefined ? 'volume' : sub === 'relative' ? 'volumeDelta' : sub === 'mute' ? 'muted' : null;
    if (field === null) return notFound();
    const value = body[field];
    if (value === undefined)
      return ok(400, { errorCode: 'ERROR_MISSING_PARAMETERS', reason: `Missing required value:${field}` });
    const valid =
      field === 'muted'
        ? typeof value === 'boolean'
        : typeof value === 'number' &&
          Number.isInteger(value) &&
          (field === 'volume' ? value >= 0 && value <= 100 : value >= -100 && value <= 100);
    if (!valid) return ok(400, { errorCode: 'ERROR_INVALID_PARAMETER', reason: `Invalid value:${field}` });
    this.deps.queues.enqueue(target, true, () => {
      const run = () => {
        try {
          if (field === 'volume') apply.set(Number(value));
          else if (field === 'volumeDelta') apply.relative(Number(value));
          else apply.mute(value === true);
        } catch {
          // The group went away between the answer and the change; the player would drop it silently too.
        }
      };
      ok(200, {});
      const delay = this.deps.settings.applyDelayMs();
      if (delay <= 0) run();
      else this.timers.after(delay, run);
    });
  }
}

function parseBody(raw: string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(raw === '' ? '{}' : raw);
    return isObject(parsed) ? (parsed as JsonObject) : null;
  } catch {
    return null;
  }
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
